// client-go's rate-limited work queue. Three sets keep the promises of the WorkQueue contract:
// `queue` (ordered keys waiting for a worker), `dirty` (keys that need processing, queued or
// not) and `processing` (keys a worker holds). A key added while it is processing stays only
// in `dirty` and is queued again by done(), so no key is handed to two workers at once and a
// change that arrives mid-reconcile is never lost. Delayed adds wait in a heap behind one timer.

import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { WorkQueue } from './interfaces.js';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.js';

export interface WorkQueueOptions<K> {
  /** Names the queue in metrics (`name` label). */
  name?: string;
  /** Registers workqueue_* metrics here when given (with `name`). */
  metricsRegistry?: Registry;
  /** Defaults to client-go's controller limiter: max(5 ms·2^n up to 1000 s, 10 qps burst 100). */
  rateLimiter?: RateLimiter<K>;
}

interface QueueMetrics {
  depth: Gauge<'name'>;
  adds: Counter<'name'>;
  latency: Histogram<'name'>;
  workDuration: Histogram<'name'>;
  retries: Counter<'name'>;
}

// 1 µs to ~10 s, as client-go's workqueue buckets.
const BUCKETS = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1, 10];

function metricsIn(registry: Registry): QueueMetrics {
  // Many queues share one registry; each metric is registered once and labelled by queue name.
  const get = <M>(name: string, make: () => M): M => (registry.getSingleMetric(name) as M | undefined) ?? make();
  const labelNames = ['name'] as const;
  const registers = [registry];
  return {
    depth: get('workqueue_depth', () => new Gauge({ name: 'workqueue_depth', help: 'Current depth of workqueue', labelNames, registers })),
    adds: get('workqueue_adds_total', () => new Counter({ name: 'workqueue_adds_total', help: 'Total number of adds handled by workqueue', labelNames, registers })),
    latency: get('workqueue_queue_duration_seconds', () => new Histogram({ name: 'workqueue_queue_duration_seconds', help: 'How long in seconds an item stays in workqueue before being requested', labelNames, buckets: BUCKETS, registers })),
    workDuration: get('workqueue_work_duration_seconds', () => new Histogram({ name: 'workqueue_work_duration_seconds', help: 'How long in seconds processing an item from workqueue takes', labelNames, buckets: BUCKETS, registers })),
    retries: get('workqueue_retries_total', () => new Counter({ name: 'workqueue_retries_total', help: 'Total number of retries handled by workqueue', labelNames, registers })),
  };
}

/** A min-heap of delayed keys by ready time; stale entries (superseded by an earlier addAfter) are skipped on pop. */
class ReadyHeap<K> {
  private readonly items: { at: number; key: K }[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): { at: number; key: K } | undefined {
    return this.items[0];
  }

  push(entry: { at: number; key: K }): void {
    const a = this.items;
    a.push(entry);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p].at <= a[i].at) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }

  pop(): { at: number; key: K } | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l].at < a[m].at) m = l;
        if (r < a.length && a[r].at < a[m].at) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }

  clear(): void {
    this.items.length = 0;
  }
}

export class RateLimitingQueue<K = string> implements WorkQueue<K> {
  private readonly queue: K[] = [];
  private head = 0;
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly getters: ((key: K | undefined) => void)[] = [];
  private shuttingDown = false;
  private drainWaiters: (() => void)[] = [];

  private readonly waiting = new Map<K, number>();
  private readonly heap = new ReadyHeap<K>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;

  private readonly limiter: RateLimiter<K>;
  private readonly metrics?: QueueMetrics;
  private readonly name: string;
  private readonly addedAt = new Map<K, number>();
  private readonly startedAt = new Map<K, number>();

  constructor(opts: WorkQueueOptions<K> = {}) {
    this.limiter = opts.rateLimiter ?? defaultControllerRateLimiter<K>();
    this.name = opts.name ?? '';
    if (opts.metricsRegistry) this.metrics = metricsIn(opts.metricsRegistry);
  }

  add(key: K): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.metrics?.adds.inc({ name: this.name });
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.enqueue(key);
  }

  addAfter(key: K, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const at = Date.now() + delayMs;
    const existing = this.waiting.get(key);
    // A key already waiting keeps its earlier ready time, as client-go's delaying queue does.
    if (existing !== undefined && existing <= at) return;
    this.waiting.set(key, at);
    this.heap.push({ at, key });
    this.armTimer();
  }

  addRateLimited(key: K): void {
    this.metrics?.retries.inc({ name: this.name });
    this.addAfter(key, this.limiter.when(key));
  }

  forget(key: K): void {
    this.limiter.forget(key);
  }

  numRequeues(key: K): number {
    return this.limiter.numRequeues(key);
  }

  get(): Promise<K | undefined> {
    if (this.length() > 0) return Promise.resolve(this.take());
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  done(key: K): void {
    if (!this.processing.delete(key)) return;
    const started = this.startedAt.get(key);
    this.startedAt.delete(key);
    if (this.metrics && started !== undefined) this.metrics.workDuration.observe({ name: this.name }, (performance.now() - started) / 1000);
    if (this.dirty.has(key)) this.enqueue(key);
    else if (this.processing.size === 0) this.notifyDrained();
  }

  len(): number {
    return this.length();
  }

  shutDown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.heap.clear();
    this.waiting.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // Waiting getters only exist while the queue is empty: there is nothing left to drain.
    for (const g of this.getters.splice(0)) g(undefined);
  }

  shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private length(): number {
    return this.queue.length - this.head;
  }

  private enqueue(key: K): void {
    this.queue.push(key);
    if (this.metrics) {
      this.addedAt.set(key, performance.now());
      this.metrics.depth.set({ name: this.name }, this.length());
    }
    const getter = this.getters.shift();
    if (getter) getter(this.take());
  }

  /** Hands the first queued key to a worker: it leaves `dirty` and enters `processing`. */
  private take(): K {
    const key = this.queue[this.head++];
    // Compact the array now and then so a long-lived queue does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    this.processing.add(key);
    this.dirty.delete(key);
    if (this.metrics) {
      const added = this.addedAt.get(key);
      this.addedAt.delete(key);
      const now = performance.now();
      if (added !== undefined) this.metrics.latency.observe({ name: this.name }, (now - added) / 1000);
      this.startedAt.set(key, now);
      this.metrics.depth.set({ name: this.name }, this.length());
    }
    return key;
  }

  private notifyDrained(): void {
    for (const w of this.drainWaiters.splice(0)) w();
  }

  /** Keeps one timer for the earliest waiting key. */
  private armTimer(): void {
    const next = this.heap.peek();
    if (!next || next.at >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = next.at;
    this.timer = setTimeout(() => this.releaseReady(), Math.max(0, next.at - Date.now()));
  }

  private releaseReady(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = Date.now();
    for (let top = this.heap.peek(); top && top.at <= now; top = this.heap.peek()) {
      this.heap.pop();
      // Skip entries superseded by an earlier addAfter of the same key.
      if (this.waiting.get(top.key) !== top.at) continue;
      this.waiting.delete(top.key);
      this.add(top.key);
    }
    this.armTimer();
  }
}

/** A rate-limited work queue with client-go's default controller rate limiter. */
export function createWorkQueue<K = string>(opts: WorkQueueOptions<K> = {}): WorkQueue<K> {
  return new RateLimitingQueue<K>(opts);
}
