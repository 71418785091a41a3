// skiff-scheduler's loop: take the next pending pod from the queue, decide its node against
// the cache, assume it there, and bind through the API while the next pod is already being
// decided. Informers keep the cache (nodes, bound pods) and the queue (pending pods of our
// profiles) current; cluster events give parked pods another try.
//
//   pod informer ─ pending ──▶ SchedulingQueue ─ pop ─▶ Algorithm(snapshot) ─▶ assume ─▶ bind (async)
//   pod/node informers ─ bound pods, nodes ─▶ SchedulerCache ◀─────────────────────────── confirm / forget

import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { getCondition, setCondition } from '../api/meta.js';
import type { Namespace, Node, Pod, PodCondition } from '../api/types.js';
import { isConflict, isNotFound } from '../client/errors.js';
import type { ApiClient, EventRecorder, Informer } from '../client/interfaces.js';
import { createLogger, type Logger } from '../client/log.js';
import { Algorithm, FitError } from './algorithm.js';
import { SchedulerCache } from './cache.js';
import { SchedulerMetrics } from './metrics.js';
import { allocatableOf, podKey } from './node-info.js';
import { nodeReadiness } from './plugins/node-ready.js';
import type { Profile } from './profile.js';
import { SchedulingQueue, type QueuedPod, type QueueOptions } from './queue.js';

export interface SchedulerOptions {
  client: ApiClient;
  pods: Informer<Pod>;
  nodes: Informer<Node>;
  namespaces?: Informer<Namespace>;
  recorder: EventRecorder;
  profiles: readonly Profile[];
  queue?: QueueOptions;
  /** How long a bound-but-unconfirmed assumed pod is kept; default 30 s. */
  assumedPodTtlMs?: number;
  /** Binds in flight at once (the REST client's socket count); the loop waits for one to finish beyond this. Default 128. */
  maxInFlightBinds?: number;
  metrics?: SchedulerMetrics;
  logger?: Logger;
  random?: () => number;
}

/** Yield to I/O (informer events, bind responses) at least this often while the queue is busy. */
const YIELD_EVERY_MS = 10;

export class Scheduler {
  readonly queue: SchedulingQueue;
  readonly cache: SchedulerCache;
  readonly metrics: SchedulerMetrics;
  private readonly algorithms = new Map<string, { profile: Profile; algorithm: Algorithm }>();
  private readonly log: Logger;
  private readonly maxInFlight: number;
  private inFlightBinds = 0;
  private bindSlotFreed?: () => void;
  private readonly binds = new Set<Promise<void>>();

  constructor(private readonly opts: SchedulerOptions) {
    this.queue = new SchedulingQueue(opts.queue);
    this.cache = new SchedulerCache({ assumedPodTtlMs: opts.assumedPodTtlMs });
    this.metrics = opts.metrics ?? new SchedulerMetrics();
    this.metrics.observeQueue(() => this.queue.pending());
    this.log = opts.logger ?? createLogger('scheduler');
    this.maxInFlight = opts.maxInFlightBinds ?? 128;
    for (const profile of opts.profiles) this.algorithms.set(profile.schedulerName, { profile, algorithm: new Algorithm(profile, opts.random) });
    this.watchPods();
    this.watchNodes();
    opts.namespaces?.addEventHandler({
      onAdd: (ns) => this.cache.setNamespace(ns.metadata?.name ?? '', ns.metadata?.labels),
      onUpdate: (_old, ns) => this.cache.setNamespace(ns.metadata?.name ?? '', ns.metadata?.labels),
      onDelete: (ns) => this.cache.removeNamespace(ns.metadata?.name ?? ''),
    });
  }

  /** Schedules until `signal` aborts. Informers must be started (and are waited for here). */
  async run(signal: AbortSignal): Promise<void> {
    await Promise.all([this.opts.pods.waitForSync(signal), this.opts.nodes.waitForSync(signal), this.opts.namespaces?.waitForSync(signal)]);
    if (signal.aborted) return;
    this.queue.run();
    const onAbort = () => this.queue.close();
    signal.addEventListener('abort', onAbort, { once: true });
    const cleanup = setInterval(() => this.expireAssumedPods(), 1000);
    cleanup.unref();
    this.log.info({ profiles: [...this.algorithms.keys()] }, 'scheduler started');
    try {
      let lastYield = performance.now();
      for (;;) {
        const qp = await this.queue.pop();
        if (!qp || signal.aborted) break;
        try {
          this.scheduleOne(qp);
        } catch (err) {
          // A bug must not stop scheduling for everyone: retry this pod later.
          this.log.error({ pod: qp.key, err: String(err) }, 'scheduling cycle crashed');
          this.queue.addBackoff(qp);
        }
        if (this.inFlightBinds >= this.maxInFlight) await new Promise<void>((r) => (this.bindSlotFreed = r));
        if (performance.now() - lastYield > YIELD_EVERY_MS) {
          await yieldToEvents();
          lastYield = performance.now();
        }
      }
    } finally {
      clearInterval(cleanup);
      signal.removeEventListener('abort', onAbort);
      this.queue.close();
      await Promise.allSettled([...this.binds]);
      this.log.info('scheduler stopped');
    }
  }

  /** One scheduling cycle, synchronous up to the bind, which runs on its own. */
  scheduleOne(qp: QueuedPod): void {
    const pod = qp.pod;
    const entry = this.algorithms.get(schedulerNameOf(pod));
    if (!entry || !this.responsibleFor(pod) || this.cache.isAssumed(pod)) {
      // Not ours, or a stale event re-queued a pod whose bind is in flight or just done.
      this.queue.done(qp);
      return;
    }
    // A pod deleted and re-created under the same name while its predecessor's bind was in flight.
    this.cache.dropNamesake(pod);
    const profile = entry.profile.schedulerName;
    const cycle = this.queue.cycle;
    const start = performance.now();
    let nodeName: string;
    try {
      nodeName = entry.algorithm.schedule(pod, this.cache.snapshot()).nodeName;
    } catch (err) {
      const seconds = (performance.now() - start) / 1000;
      if (err instanceof FitError) {
        this.metrics.attempt('unschedulable', profile, seconds);
        this.log.debug({ pod: qp.key, reason: err.message }, 'pod unschedulable');
        this.queue.addUnschedulable(qp, cycle, err.unschedulablePlugins);
        this.reportFailure(pod, 'Unschedulable', err.message);
      } else {
        this.metrics.attempt('error', profile, seconds);
        this.log.warn({ pod: qp.key, err }, 'scheduling attempt failed');
        this.queue.addBackoff(qp);
        this.reportFailure(pod, 'SchedulerError', String(err instanceof Error ? err.message : err));
      }
      return;
    }
    this.cache.assumePod(pod, nodeName);
    this.metrics.attempt('scheduled', profile, (performance.now() - start) / 1000);
    const bind = this.bind(qp, pod, nodeName).finally(() => {
      this.binds.delete(bind);
      this.inFlightBinds--;
      const wake = this.bindSlotFreed;
      this.bindSlotFreed = undefined;
      wake?.();
    });
    this.inFlightBinds++;
    this.binds.add(bind);
  }

  /** Binds in flight right now. */
  get pendingBinds(): number {
    return this.inFlightBinds;
  }

  private async bind(qp: QueuedPod, pod: Pod, nodeName: string): Promise<void> {
    const ns = pod.metadata?.namespace ?? 'default';
    const name = pod.metadata?.name ?? '';
    try {
      await this.opts.client.bindPod(ns, name, nodeName, pod.metadata?.uid);
    } catch (err) {
      this.cache.forgetPod(pod);
      if (isNotFound(err)) {
        // Deleted while we decided: nothing to do.
        this.queue.done(qp);
      } else if (isConflict(err)) {
        // Already bound (by us earlier, or someone else) or replaced: the informer tells us where.
        this.log.debug({ pod: qp.key, err: String(err) }, 'bind conflict, dropping');
        this.queue.done(qp);
      } else {
        this.log.warn({ pod: qp.key, node: nodeName, err: String(err) }, 'bind failed, retrying after backoff');
        this.queue.addBackoff(qp);
        this.reportFailure(pod, 'SchedulerError', `binding rejected: ${err instanceof Error ? err.message : String(err)}`);
      }
      return;
    }
    this.cache.finishBinding(pod);
    this.queue.done(qp);
    this.metrics.podSchedulingSeconds.observe({ attempts: String(qp.attempts) }, (Date.now() - qp.initialTimestamp) / 1000);
    this.opts.recorder.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${nodeName}`);
  }

  /** FailedScheduling event and PodScheduled=False condition with the reason and message. */
  private reportFailure(pod: Pod, reason: string, message: string): void {
    this.opts.recorder.event(pod, 'Warning', 'FailedScheduling', message);
    const latest = this.opts.pods.lister.get(podKey(pod)) ?? pod;
    const existing = getCondition<PodCondition>(latest.status?.conditions, 'PodScheduled');
    if (existing?.status === 'False' && existing.reason === reason && existing.message === message) return;
    const conditions = setCondition<PodCondition>(latest.status?.conditions, { type: 'PodScheduled', status: 'False', reason, message });
    const ns = pod.metadata?.namespace ?? 'default';
    this.opts.client
      .for<Pod>('pods')
      .patch(ns, pod.metadata?.name ?? '', 'merge', { status: { conditions } }, { subresource: 'status' })
      .catch((err: unknown) => {
        if (!isNotFound(err)) this.log.debug({ pod: podKey(pod), err: String(err) }, 'could not update PodScheduled condition');
      });
  }

  private expireAssumedPods(): void {
    for (const key of this.cache.cleanupExpired()) this.log.debug({ pod: key }, 'assumed pod expired without confirmation');
  }

  /** Pending, ours, alive, and not held back by scheduling gates (it is queued once they are all removed). */
  private responsibleFor(pod: Pod): boolean {
    if (pod.spec?.nodeName || pod.metadata?.deletionTimestamp) return false;
    if ((pod.spec?.schedulingGates?.length ?? 0) > 0) return false;
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return false;
    return this.algorithms.has(schedulerNameOf(pod));
  }

  private watchPods(): void {
    this.opts.pods.addEventHandler({
      onAdd: (pod) => {
        if (countsOnNode(pod)) {
          this.cache.addPod(pod);
          this.queue.moveAllToActiveOrBackoff('AssignedPodAdd');
        } else if (this.responsibleFor(pod)) {
          this.queue.add(pod);
        }
      },
      onUpdate: (oldPod, pod) => {
        if (countsOnNode(pod)) {
          // Bound now (by us or anyone): it leaves the queue, its node counts it.
          this.queue.delete(pod);
          this.cache.updatePod(pod);
          if (!countsOnNode(oldPod)) this.queue.moveAllToActiveOrBackoff('AssignedPodAdd');
          else if (JSON.stringify(oldPod.metadata?.labels) !== JSON.stringify(pod.metadata?.labels)) this.queue.moveAllToActiveOrBackoff('AssignedPodUpdate');
        } else if (pod.spec?.nodeName) {
          // Bound and finished: its resources are free again.
          if (countsOnNode(oldPod)) {
            this.cache.removePod(pod);
            this.queue.moveAllToActiveOrBackoff('AssignedPodDelete');
          }
        } else if (this.responsibleFor(pod)) {
          this.queue.update(pod);
        } else {
          this.queue.delete(pod);
        }
      },
      onDelete: (pod) => {
        if (pod.spec?.nodeName) {
          this.cache.removePod(pod);
          this.queue.moveAllToActiveOrBackoff('AssignedPodDelete');
        } else {
          this.queue.delete(pod);
        }
      },
    });
  }

  private watchNodes(): void {
    this.opts.nodes.addEventHandler({
      onAdd: (node) => {
        this.cache.addNode(node);
        this.queue.moveAllToActiveOrBackoff('NodeAdd');
      },
      onUpdate: (oldNode, node) => {
        this.cache.updateNode(node);
        if (nodeUpdateMayHelp(oldNode, node)) this.queue.moveAllToActiveOrBackoff('NodeUpdate');
      },
      onDelete: (node) => this.cache.removeNode(node),
    });
  }
}

export function schedulerNameOf(pod: Pod): string {
  return pod.spec?.schedulerName || 'default-scheduler';
}

/** A bound pod that still holds its node's resources (not Succeeded/Failed). */
function countsOnNode(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return Boolean(pod.spec?.nodeName) && phase !== 'Succeeded' && phase !== 'Failed';
}

/**
 * Whether a Node update could let a parked pod fit: allocatable grew, labels changed, a taint
 * went away, the node was uncordoned, became Ready, or its network came up. Heartbeats and
 * changes that only make a node less usable (a new taint, a cordon) wake nobody.
 */
export function nodeUpdateMayHelp(a: Node, b: Node): boolean {
  const before = allocatableOf(a);
  const after = allocatableOf(b);
  if (after.milliCPU > before.milliCPU || after.memory > before.memory || after.pods > before.pods) return true;
  if (JSON.stringify(a.metadata?.labels ?? {}) !== JSON.stringify(b.metadata?.labels ?? {})) return true;
  const remaining = new Set((b.spec?.taints ?? []).map((t) => `${t.key}=${t.value ?? ''}:${t.effect}`));
  if ((a.spec?.taints ?? []).some((t) => !remaining.has(`${t.key}=${t.value ?? ''}:${t.effect}`))) return true;
  if (a.spec?.unschedulable && !b.spec?.unschedulable) return true;
  return nodeReadiness(a) !== undefined && nodeReadiness(b) === undefined;
}
