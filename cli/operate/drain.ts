// `skiff drain NODE`: cordons the node, then removes its pods through the eviction API (so
// PodDisruptionBudgets are honoured; a 429 is retried with a message, as kubectl does) and
// waits until each is gone, within --timeout.

import type { DaemonSet, Node, Pod } from '../../api/types.js';
import { isNotFound, isTooManyRequests, ApiStatusError } from '../../client/errors.js';
import type { DeleteOptions } from '../../client/interfaces.js';
import { RestClient } from '../../client/rest.js';
import { connect, type Connection, type ConnectionFlags } from '../resources/connection.js';
import { parseDuration } from '../resources/delete.js';
import { describeError, printError, printOut } from '../resources/output.js';
import { setUnschedulable } from './cordon.js';
import { planDrain } from './drain-filters.js';
import { statusLine } from './status-line.js';

export interface DrainFlags extends ConnectionFlags {
  ignoreDaemonsets?: boolean;
  force?: boolean;
  deleteEmptydirData?: boolean;
  gracePeriod?: string;
  timeout?: string;
  podSelector?: string;
  disableEviction?: boolean;
  /** Only say what would be done: nothing is cordoned or removed. */
  dryRun?: boolean;
  /** How long to wait before evicting again after a 429 (kubectl: 5s). */
  evictionRetry?: string;
}

class DrainTimeout extends Error {}

export async function runDrain(nodes: string[], flags: DrainFlags): Promise<number> {
  if (!nodes.length) throw new Error('say which node to drain (see `skiff get nodes`)');
  const grace = flags.gracePeriod === undefined || flags.gracePeriod === '-1' ? undefined : Number(flags.gracePeriod);
  if (grace !== undefined && (!Number.isInteger(grace) || grace < 0)) throw new Error(`--grace-period must be whole seconds (or -1 for each pod's own), not "${flags.gracePeriod}"`);
  const timeoutMs = flags.timeout && flags.timeout !== '0' && flags.timeout !== '0s' ? parseDuration(flags.timeout) : 0;
  const retryMs = parseDuration(flags.evictionRetry ?? '5s');
  const conn = await connect(flags);
  // Evictions answered 429 are retried here, with a message, not silently by the client.
  const evictor = new RestClient(conn.client.config, { maxRetries: 0, userAgent: 'skiff-cli/0.1.0' });
  try {
    let failed = false;
    for (const node of nodes) {
      let cordoned = false;
      try {
        const dry = flags.dryRun ? ' (dry run)' : '';
        if (flags.dryRun) {
          const n = await conn.client.for<Node>('nodes').get(undefined, node);
          printOut(`node/${node} ${n.spec?.unschedulable ? 'already cordoned' : 'cordoned'}${dry}`);
        } else {
          printOut(`node/${node} ${await setUnschedulable(conn.client, node, true)}`);
          cordoned = true;
        }
        await drainNode(conn, evictor, node, flags, { gracePeriodSeconds: grace }, timeoutMs, retryMs);
        printOut(`node/${node} drained${dry}`);
      } catch (err) {
        failed = true;
        printError(`error: unable to drain node "${node}": ${err instanceof ApiStatusError ? describeError(err) : err instanceof Error ? err.message : String(err)}`);
        if (cordoned) process.stderr.write(`node/${node} stays cordoned; \`skiff uncordon ${node}\` makes it schedulable again\n`);
      }
    }
    return failed ? 1 : 0;
  } finally {
    evictor.close();
    conn.client.close();
  }
}

async function drainNode(conn: Connection, evictor: RestClient, node: string, flags: DrainFlags, options: DeleteOptions, timeoutMs: number, retryMs: number): Promise<void> {
  const pods = (await conn.client.for<Pod>('pods').list(undefined, { fieldSelector: `spec.nodeName=${node}`, labelSelector: flags.podSelector })).items;
  const daemonSets = new Set<string>();
  for (const ns of new Set(pods.filter((p) => p.metadata?.ownerReferences?.some((r) => r.kind === 'DaemonSet')).map((p) => p.metadata?.namespace ?? ''))) {
    for (const ds of (await conn.client.for<DaemonSet>('daemonsets').list(ns)).items) daemonSets.add(`${ns}/${ds.metadata?.name}`);
  }
  const plan = planDrain(pods, { ignoreDaemonsets: !!flags.ignoreDaemonsets, force: !!flags.force, deleteEmptydirData: !!flags.deleteEmptydirData }, (ns, name) => daemonSets.has(`${ns}/${name}`));
  if (plan.errors.length) throw new Error(plan.errors.join('; '));
  for (const w of plan.warnings) process.stderr.write(`Warning: ${w}\n`);
  if (flags.dryRun) {
    for (const p of plan.remove) printOut(`${flags.disableEviction ? 'deleting' : 'evicting'} pod ${p.metadata?.namespace}/${p.metadata?.name} (dry run)`);
    return;
  }
  const deadline = timeoutMs ? Date.now() + timeoutMs : Infinity;
  const waiting = new Set(plan.remove.map((p) => p.metadata?.name ?? ''));
  const line = process.stdout.isTTY ? statusLine() : undefined;
  const results = await Promise.allSettled(
    plan.remove.map(async (pod) => {
      await removePod(conn, evictor, pod, flags.disableEviction ?? false, options, deadline, retryMs, flags.timeout ?? '');
      await waitGone(conn, pod, deadline, flags.timeout ?? '');
      waiting.delete(pod.metadata?.name ?? '');
      line?.done(`pod/${pod.metadata?.name} ${flags.disableEviction ? 'deleted' : 'evicted'}`);
      if (!line) printOut(`pod/${pod.metadata?.name} ${flags.disableEviction ? 'deleted' : 'evicted'}`);
      if (line && waiting.size) line.update(`waiting for ${waiting.size} pod${waiting.size === 1 ? '' : 's'} to go: ${[...waiting].join(', ')}`);
    }),
  );
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (r.reason instanceof Error ? r.reason.message : String(r.reason)));
  if (failures.length) throw new Error(failures.join('; '));
}

async function removePod(conn: Connection, evictor: RestClient, pod: Pod, disableEviction: boolean, options: DeleteOptions, deadline: number, retryMs: number, timeout: string): Promise<void> {
  const ns = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  const opts: DeleteOptions = { ...options, preconditions: { uid: pod.metadata?.uid } };
  if (options.gracePeriodSeconds === undefined) delete opts.gracePeriodSeconds;
  printOut(`${disableEviction ? 'deleting' : 'evicting'} pod ${ns}/${name}`);
  for (;;) {
    try {
      if (disableEviction) await conn.client.for<Pod>('pods').delete(ns, name, opts);
      else await evictor.evictPod(ns, name, opts);
      return;
    } catch (err) {
      if (isNotFound(err)) return;
      if (!isTooManyRequests(err)) throw new Error(`error when ${disableEviction ? 'deleting' : 'evicting'} pods/"${name}" -n "${ns}": ${err instanceof Error ? err.message : String(err)}`);
      if (Date.now() + retryMs > deadline) throw new DrainTimeout(`global timeout reached: ${timeout} (evicting pods/"${name}" -n "${ns}": ${budgetReason(err)})`);
      process.stderr.write(`error when evicting pods/"${name}" -n "${ns}" (will retry after ${retryMs / 1000}s): ${budgetReason(err)}\n`);
      await new Promise((r) => setTimeout(r, retryMs));
    }
  }
}

/** The 429's message, with the budget's own reason when the server gives one. */
function budgetReason(err: unknown): string {
  if (!(err instanceof ApiStatusError)) return String(err);
  const why = err.details?.causes?.find((c) => c.reason === 'DisruptionBudget')?.message;
  return why ? `${err.message} ${why}.` : err.message;
}

/** Gone, or replaced by a new pod of the same name (another uid). */
async function waitGone(conn: Connection, pod: Pod, deadline: number, timeout: string): Promise<void> {
  const ns = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  for (;;) {
    try {
      const now = await conn.client.for<Pod>('pods').get(ns, name);
      if (now.metadata?.uid !== pod.metadata?.uid) return;
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (Date.now() >= deadline) throw new DrainTimeout(`error when waiting for pod "${name}" in namespace "${ns}" to terminate: global timeout reached: ${timeout}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
