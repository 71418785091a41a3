// Structured logs (one JSON object per line on stderr), quiet by default: `info` carries only
// lifecycle events (started, leader changes, a component giving up); per-request and
// per-reconcile detail is `debug`. The level comes from SKIFF_LOG_LEVEL or a `--v` flag.

import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(component: string, level = process.env.SKIFF_LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: component, level, base: { component }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination(2));
}

/** Maps kube-style verbosity (`--v=4`) to a level: 0-1 info, 2-3 debug, 4+ trace. */
export function levelFromVerbosity(v: number | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v >= 4) return 'trace';
  if (v >= 2) return 'debug';
  return 'info';
}
