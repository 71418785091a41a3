// The scheduling queue, in kube-scheduler's three parts:
// - activeQ: pods ready to be tried, highest `spec.priority` first, then first-come-first-served;
// - backoffQ: pods that failed recently and wait out a per-pod exponential backoff
//   (initial × 2^(attempts−1), capped) before going back to activeQ;
// - unschedulable: pods no node could take. They stay parked until a cluster event that could
//   change the answer for the plugins that rejected them (a node added, a pod removed, ...),
//   or until they have been parked for maxInUnschedulable — never in a hot loop.
// A pod that fails while an event arrived during its attempt goes to backoffQ rather than
// being parked, so the event is not lost.

import type { Pod } from '../api/types.js';
import { KeyedHeap } from './heap.js';
import { podKey } from './node-info.js';

export interface QueuedPod {
  readonly key: string;
  pod: Pod;
  /** When the pod entered the queue or last failed. */
  timestamp: number;
  /** Enqueue order into activeQ: first-come-first-served among equal priorities. */
  order: number;
  /** When the pod was first queued; for scheduler_pod_scheduling_duration_seconds. */
  readonly initialTimestamp: number;
  /** Scheduling attempts so far (incremented on pop). */
  attempts: number;
  /** Plugins that rejected it on its last attempt; empty means "retry on any event". */
  unschedulablePlugins: Set<string>;
  backoffExpiry: number;
}

/** A change in the cluster that may make parked pods schedulable. */
export type ClusterEvent = 'NodeAdd' | 'NodeUpdate' | 'AssignedPodAdd' | 'AssignedPodUpdate' | 'AssignedPodDelete';

const ALL = '*';
/** Which plugins' verdicts an event can change (the kube-scheduler EventsToRegister, condensed). */
const INTERESTED: Record<ClusterEvent, ReadonlySet<string>> = {
  NodeAdd: new Set([ALL]),
  NodeUpdate: new Set([ALL]),
  AssignedPodAdd: new Set(['InterPodAffinity', 'PodTopologySpread']),
  AssignedPodUpdate: new Set(['InterPodAffinity', 'PodTopologySpread']),
  AssignedPodDelete: new Set(['NodeResourcesFit', 'NodePorts', 'InterPodAffinity', 'PodTopologySpread']),
};

export interface QueueOptions {
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  maxInUnschedulableMs?: number;
  now?: () => number;
}

export type QueueName = 'active' | 'backoff' | 'unschedulable';

export class SchedulingQueue {
  private readonly active = new KeyedHeap<QueuedPod>((p) => p.key, (a, b) => {
    const pa = a.pod.spec?.priority ?? 0;
    const pb = b.pod.spec?.priority ?? 0;
    return pa !== pb ? pa > pb : a.order < b.order;
  });
  private readonly backoff = new KeyedHeap<QueuedPod>((p) => p.key, (a, b) => a.backoffExpiry < b.backoffExpiry);
  private readonly unschedulable = new Map<string, QueuedPod>();
  /** Popped and being scheduled: key → latest pod object seen meanwhile. */
  private readonly inFlight = new Map<string, QueuedPod>();
  private readonly waiters: Array<(p: QueuedPod | undefined) => void> = [];
  private schedulingCycle = 0;
  private moveRequestCycle = -1;
  private closed = false;
  private backoffTimer?: NodeJS.Timeout;
  private leftoverTimer?: NodeJS.Timeout;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxInUnschedulableMs: number;
  private readonly now: () => number;
  private seq = 0;

  constructor(opts: QueueOptions = {}) {
    this.initialBackoffMs = opts.initialBackoffMs ?? 1000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.maxInUnschedulableMs = opts.maxInUnschedulableMs ?? 5 * 60_000;
    this.now = opts.now ?? Date.now;
  }

  /** Starts the timers that flush backoffQ and long-parked pods. */
  run(): void {
    const every = Math.max(50, Math.min(30_000, Math.floor(this.maxInUnschedulableMs / 4)));
    this.leftoverTimer = setInterval(() => this.flushUnschedulableLeftover(), every);
    this.leftoverTimer.unref();
    this.armBackoffTimer();
  }

  close(): void {
    this.closed = true;
    clearInterval(this.leftoverTimer);
    clearTimeout(this.backoffTimer);
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  /** A new pending pod. */
  add(pod: Pod): void {
    const key = podKey(pod);
    if (this.inFlight.has(key) || this.where(key)) return this.update(pod);
    const now = this.now();
    this.pushActive({ key, pod, timestamp: now, order: 0, initialTimestamp: now, attempts: 0, unschedulablePlugins: new Set(), backoffExpiry: 0 });
  }

  /** A pending pod changed. A parked pod whose spec or labels changed gets another try. */
  update(pod: Pod): void {
    const key = podKey(pod);
    const flying = this.inFlight.get(key);
    if (flying) {
      flying.pod = pod;
      return;
    }
    const inActive = this.active.get(key);
    if (inActive) {
      inActive.pod = pod;
      this.active.push(inActive);
      return;
    }
    const inBackoff = this.backoff.get(key);
    if (inBackoff) {
      inBackoff.pod = pod;
      return;
    }
    const parked = this.unschedulable.get(key);
    if (parked) {
      const changed = JSON.stringify(parked.pod.spec) !== JSON.stringify(pod.spec) || JSON.stringify(parked.pod.metadata?.labels) !== JSON.stringify(pod.metadata?.labels);
      parked.pod = pod;
      if (changed) {
        this.unschedulable.delete(key);
        this.requeue(parked);
      }
      return;
    }
    this.add(pod);
  }

  /** The pod was deleted, or got bound and is no longer pending. */
  delete(pod: Pod): void {
    const key = podKey(pod);
    this.active.delete(key);
    this.backoff.delete(key);
    this.unschedulable.delete(key);
    this.inFlight.delete(key);
  }

  /** The next pod to schedule; waits while activeQ is empty; undefined once closed. */
  pop(): Promise<QueuedPod | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    const next = this.active.pop();
    if (next) return Promise.resolve(this.startAttempt(next));
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The cycle the last popped pod is being scheduled in. */
  get cycle(): number {
    return this.schedulingCycle;
  }

  /**
   * No node fits `qp` (popped in `podCycle`). Parks it, or puts it in backoffQ if an event
   * arrived while it was being scheduled. Dropped if the pod was deleted meanwhile.
   */
  addUnschedulable(qp: QueuedPod, podCycle: number, plugins: Set<string>): void {
    const latest = this.finishAttempt(qp);
    if (!latest) return;
    latest.unschedulablePlugins = plugins;
    latest.timestamp = this.now();
    if (this.moveRequestCycle >= podCycle) this.pushBackoff(latest);
    else this.unschedulable.set(latest.key, latest);
  }

  /** Scheduling hit an error (not a verdict): retry after backoff. */
  addBackoff(qp: QueuedPod): void {
    const latest = this.finishAttempt(qp);
    if (latest) this.pushBackoff(latest);
  }

  /** Scheduled: the pod leaves the queue. */
  done(qp: QueuedPod): void {
    this.inFlight.delete(qp.key);
  }

  /** Gives parked pods another chance after `event`, if it concerns a plugin that rejected them. */
  moveAllToActiveOrBackoff(event: ClusterEvent): void {
    const interested = INTERESTED[event];
    for (const [key, qp] of this.unschedulable) {
      if (!this.cares(qp, interested)) continue;
      this.unschedulable.delete(key);
      this.requeue(qp);
    }
    this.moveRequestCycle = this.schedulingCycle;
  }

  pending(): Record<QueueName, number> {
    return { active: this.active.size, backoff: this.backoff.size, unschedulable: this.unschedulable.size };
  }

  /** Which queue holds `key`, if any. */
  where(key: string): QueueName | undefined {
    if (this.active.has(key)) return 'active';
    if (this.backoff.has(key)) return 'backoff';
    if (this.unschedulable.has(key)) return 'unschedulable';
    return undefined;
  }

  /** Moves pods whose backoff ended to activeQ. */
  flushBackoffCompleted(): void {
    const now = this.now();
    for (let head = this.backoff.peek(); head && head.backoffExpiry <= now; head = this.backoff.peek()) {
      this.backoff.pop();
      this.pushActive(head);
    }
    this.armBackoffTimer();
  }

  /** Pods parked longer than maxInUnschedulable get another try. */
  flushUnschedulableLeftover(): void {
    const now = this.now();
    for (const [key, qp] of this.unschedulable) {
      if (now - qp.timestamp < this.maxInUnschedulableMs) continue;
      this.unschedulable.delete(key);
      this.requeue(qp);
    }
  }

  /** initial × 2^(attempts−1), capped at max. */
  backoffDuration(attempts: number): number {
    let d = this.initialBackoffMs;
    for (let i = 1; i < attempts && d < this.maxBackoffMs; i++) d *= 2;
    return Math.min(d, this.maxBackoffMs);
  }

  private cares(qp: QueuedPod, interested: ReadonlySet<string>): boolean {
    if (interested.has(ALL) || qp.unschedulablePlugins.size === 0) return true;
    for (const p of qp.unschedulablePlugins) if (interested.has(p)) return true;
    return false;
  }

  private requeue(qp: QueuedPod): void {
    if (this.now() < qp.backoffExpiry) this.pushBackoff(qp);
    else this.pushActive(qp);
  }

  private startAttempt(qp: QueuedPod): QueuedPod {
    qp.attempts++;
    this.schedulingCycle++;
    this.inFlight.set(qp.key, qp);
    return qp;
  }

  /** Ends an attempt; returns the pod with its latest object, or undefined if it was deleted meanwhile. */
  private finishAttempt(qp: QueuedPod): QueuedPod | undefined {
    const latest = this.inFlight.get(qp.key);
    this.inFlight.delete(qp.key);
    if (!latest || this.closed) return undefined;
    latest.backoffExpiry = this.now() + this.backoffDuration(latest.attempts);
    return latest;
  }

  private pushActive(qp: QueuedPod): void {
    if (this.closed) return;
    const waiter = this.waiters.shift();
    qp.order = this.seq++;
    if (waiter) waiter(this.startAttempt(qp));
    else this.active.push(qp);
  }

  private pushBackoff(qp: QueuedPod): void {
    if (this.closed) return;
    this.backoff.push(qp);
    if (this.backoff.peek() === qp) this.armBackoffTimer();
  }

  private armBackoffTimer(): void {
    clearTimeout(this.backoffTimer);
    this.backoffTimer = undefined;
    const head = this.backoff.peek();
    if (!head || this.closed) return;
    this.backoffTimer = setTimeout(() => this.flushBackoffCompleted(), Math.max(0, head.backoffExpiry - this.now()));
    this.backoffTimer.unref();
  }
}
