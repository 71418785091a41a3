// `skiff logs POD|KIND/NAME [-c C] [-f] [--previous] [--tail N] [--since 5m] [--timestamps]`:
// the pods/log subresource, streamed to stdout as it arrives (with -f, until the container
// stops or the user interrupts).

import { resourcePath } from '../../api/resources.js';
import { connect, resolveKind, type ConnectionFlags } from '../resources/connection.js';
import { chooseContainer, resolvePod } from './pods.js';
import { endOnClosedStdout, openStream } from './stream.js';

export interface LogsFlags extends ConnectionFlags {
  container?: string;
  follow?: boolean;
  previous?: boolean;
  tail?: string;
  since?: string;
  sinceTime?: string;
  timestamps?: boolean;
  limitBytes?: string;
}

const UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** A Go duration (`5m`, `1h30m`, `90s`, `1.5h`) in seconds; throws saying what is accepted. */
export function parseDuration(text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== text) throw new Error(`invalid duration "${text}": use a number and a unit, as 30s, 5m, 1h30m`);
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]], 0);
}

/** The pods/log query for the flags, as kubectl sends it. */
export function logQuery(container: string, flags: LogsFlags): URLSearchParams {
  const q = new URLSearchParams({ container });
  if (flags.follow) q.set('follow', 'true');
  if (flags.previous) q.set('previous', 'true');
  if (flags.timestamps) q.set('timestamps', 'true');
  if (flags.since && flags.sinceTime) throw new Error('--since and --since-time cannot both be given');
  if (flags.since) q.set('sinceSeconds', String(Math.max(1, Math.ceil(parseDuration(flags.since)))));
  if (flags.sinceTime) {
    if (Number.isNaN(Date.parse(flags.sinceTime))) throw new Error(`invalid --since-time "${flags.sinceTime}": use RFC 3339, as 2026-11-22T12:00:00Z`);
    q.set('sinceTime', flags.sinceTime);
  }
  if (flags.tail !== undefined && flags.tail !== '-1') {
    if (!/^\d+$/.test(flags.tail)) throw new Error(`invalid --tail "${flags.tail}": use a number of lines, or -1 for all`);
    q.set('tailLines', flags.tail);
  }
  if (flags.limitBytes !== undefined) {
    if (!/^\d+$/.test(flags.limitBytes) || flags.limitBytes === '0') throw new Error(`invalid --limit-bytes "${flags.limitBytes}": use a positive number`);
    q.set('limitBytes', flags.limitBytes);
  }
  return q;
}

export async function runLogs(ref: string, flags: LogsFlags): Promise<number> {
  endOnClosedStdout();
  const conn = await connect(flags);
  try {
    const { pod, note } = await resolvePod(conn.client, conn.registry, conn.namespace, ref);
    if (note) process.stderr.write(`${note}\n`);
    const container = chooseContainer(pod, flags.container);
    if (container.note) process.stderr.write(`${container.note}\n`);
    const query = logQuery(container.name, flags);
    const path = resourcePath(resolveKind('pods', conn.registry), pod.metadata?.namespace ?? conn.namespace, pod.metadata?.name ?? '', 'log');
    const res = await openStream(conn.client.config, path, query);
    await new Promise<void>((resolve, reject) => {
      res.on('data', (chunk: Buffer) => process.stdout.write(chunk));
      res.on('end', resolve);
      res.on('error', reject);
    });
    return 0;
  } finally {
    conn.client.close();
  }
}
