// `skiff logs POD|KIND/NAME [-c C] [-f] [--previous] [--tail N] [--since 5m] [--timestamps]`,
// or `skiff logs -l SELECTOR` / `--all-containers`: the pods/log subresource, streamed to stdout
// as it arrives (with -f, until the containers stop or the user interrupts). Several logs print
// one after another, or interleaved by line when followed; `--prefix` names each line's source.

import { resourcePath } from '../../api/resources.js';
import type { Pod } from '../../api/types.js';
import type { ClientConfig } from '../../client/kubeconfig.js';
import { connect, resolveKind, type Connection, type ConnectionFlags } from '../resources/connection.js';
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
  selector?: string;
  allContainers?: boolean;
  prefix?: boolean;
  maxLogRequests?: string;
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

/** One container's log to print. */
interface LogSource {
  pod: Pod;
  container: string;
}

/** `[pod/web-abc/web] ` as kubectl's --prefix writes it. */
export function linePrefix(source: LogSource): string {
  return `[pod/${source.pod.metadata?.name ?? ''}/${source.container}] `;
}

/** The containers `--all-containers` means: init containers first, then the app's, as kubectl. */
export function allContainerNames(pod: Pod): string[] {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.name);
}

async function sourcesFor(conn: Connection, ref: string | undefined, flags: LogsFlags): Promise<LogSource[]> {
  let pods: Pod[];
  if (flags.selector) {
    if (ref) throw new Error('give a pod or a selector (-l), not both');
    pods = (await conn.client.resource<Pod>(resolveKind('pods', conn.registry)).list(conn.namespace, { labelSelector: flags.selector })).items;
    if (pods.length === 0) throw new Error(`no pods match ${flags.selector} in namespace ${conn.namespace}`);
  } else {
    if (!ref) throw new Error('name a pod (or KIND/NAME), or select pods with -l');
    const { pod, note } = await resolvePod(conn.client, conn.registry, conn.namespace, ref);
    if (note) process.stderr.write(`${note}\n`);
    pods = [pod];
  }
  return pods.flatMap((pod) => {
    if (flags.allContainers) return allContainerNames(pod).map((container) => ({ pod, container }));
    const choice = chooseContainer(pod, flags.container);
    if (choice.note && !flags.selector) process.stderr.write(`${choice.note}\n`);
    return [{ pod, container: choice.name }];
  });
}

/** Streams one log to stdout, each line prefixed when asked (whole lines only, so interleaved logs stay readable). */
async function copyLog(config: ClientConfig, conn: Connection, source: LogSource, flags: LogsFlags): Promise<void> {
  const path = resourcePath(resolveKind('pods', conn.registry), source.pod.metadata?.namespace ?? conn.namespace, source.pod.metadata?.name ?? '', 'log');
  const res = await openStream(config, path, logQuery(source.container, flags));
  const prefix = flags.prefix ? linePrefix(source) : '';
  let partial = '';
  await new Promise<void>((resolve, reject) => {
    res.on('data', (chunk: Buffer) => {
      if (!prefix) return void process.stdout.write(chunk);
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      if (lines.length) process.stdout.write(lines.map((l) => `${prefix}${l}\n`).join(''));
    });
    res.on('end', () => {
      if (partial) process.stdout.write(`${prefix}${partial}\n`);
      resolve();
    });
    res.on('error', reject);
  });
}

export async function runLogs(ref: string | undefined, flags: LogsFlags): Promise<number> {
  endOnClosedStdout();
  // kubectl shows the last 10 lines of each pod when pods are selected by label.
  const effective: LogsFlags = flags.selector && (flags.tail === undefined || flags.tail === '-1') ? { ...flags, tail: '10' } : flags;
  logQuery('', effective); // refuses bad flags before any request
  const conn = await connect(flags);
  try {
    const sources = await sourcesFor(conn, ref, effective);
    if (!effective.follow) {
      for (const source of sources) await copyLog(conn.client.config, conn, source, effective);
      return 0;
    }
    const max = Number(effective.maxLogRequests ?? '5');
    if (sources.length > max) {
      throw new Error(`you are attempting to follow ${sources.length} log streams, but the maximum allowed concurrency is ${max}; use --max-log-requests to increase the limit`);
    }
    await Promise.all(sources.map((source) => copyLog(conn.client.config, conn, source, effective)));
    return 0;
  } finally {
    conn.client.close();
  }
}
