// The shape every controller shares (kubernetes/sample-controller): informer handlers only
// enqueue keys; run() waits for the caches to sync, then starts workers; a worker pops a key
// and calls reconcile(key), which reads from listers, is idempotent and writes status last.
// A failed reconcile requeues the key with per-key backoff; a successful one forgets it.

import type { ApiClient, EventRecorder, Informer, WorkQueue } from '../client/interfaces.js';
import type { KubeObject } from '../api/types.js';
import type { ResourceType } from '../api/resources.js';
import type { Logger } from '../client/log.js';
import type { ControllerMetrics } from './metrics.js';
import { objectKey } from '../api/meta.js';

/** Where controllers get their shared informers (one per resource per process). */
export interface InformerSource {
  /** By resource name (`pods`, built-in kinds) or by a kind found through discovery. */
  informerFor<T extends KubeObject>(resource: string | ResourceType): Informer<T>;
}

/** What the controller-manager hands each controller it starts. */
export interface ControllerContext {
  client: ApiClient;
  informers: InformerSource;
  newQueue(name: string): WorkQueue<string>;
  recorder: EventRecorder;
  metrics?: ControllerMetrics;
  log: Logger;
  /** Milliseconds since the epoch; injectable so tests can move time. */
  now(): number;
}

/** A reconcile may ask to be run again later (a deadline, minReadySeconds) even when it succeeded. */
export type ReconcileResult = void | { requeueAfterMs: number };

export abstract class Controller {
  readonly queue: WorkQueue<string>;
  private readonly synced: Informer<KubeObject>[] = [];

  constructor(
    readonly name: string,
    protected readonly ctx: ControllerContext,
  ) {
    this.queue = ctx.newQueue(name);
  }

  /** Brings one key's world to its desired state. Must be idempotent. */
  abstract reconcile(key: string): Promise<ReconcileResult>;

  /** Registers an informer whose cache must be synced before workers start. */
  protected uses<T extends KubeObject>(informer: Informer<T>): Informer<T> {
    this.synced.push(informer as unknown as Informer<KubeObject>);
    return informer;
  }

  protected enqueue(obj: KubeObject): void {
    this.queue.add(objectKey(obj));
  }

  /** Runs `workers` workers until `signal` aborts, then drains what is in flight. */
  async run(workers: number, signal: AbortSignal): Promise<void> {
    await Promise.all(this.synced.map((i) => i.waitForSync(signal)));
    if (signal.aborted) return;
    this.ctx.log.debug({ controller: this.name, workers }, 'controller started');
    const onAbort = (): void => this.queue.shutDown();
    signal.addEventListener('abort', onAbort, { once: true });
    await Promise.all(Array.from({ length: workers }, () => this.worker()));
    signal.removeEventListener('abort', onAbort);
  }

  private async worker(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      await this.processKey(key);
    }
  }

  /** One pass of a worker over one key: reconcile, then forget or requeue with backoff. */
  async processKey(key: string): Promise<void> {
    const stopTimer = this.ctx.metrics?.reconcileSeconds.startTimer({ controller: this.name });
    try {
      const result = await this.reconcile(key);
      // Forget clears the backoff so the next failure of this key starts from the base delay.
      this.queue.forget(key);
      if (result) this.queue.addAfter(key, result.requeueAfterMs);
      this.ctx.metrics?.reconciles.inc({ controller: this.name, result: 'success' });
    } catch (err) {
      this.ctx.log.debug({ controller: this.name, key, err: errorMessage(err) }, 'reconcile failed, requeued');
      this.queue.addRateLimited(key);
      this.ctx.metrics?.reconciles.inc({ controller: this.name, result: 'error' });
    } finally {
      stopTimer?.();
      this.queue.done(key);
    }
  }
}

// Keys are api/meta's: `namespace/name`, or `name` for cluster-scoped objects.
export { objectKey as keyOf, splitKey } from '../api/meta.js';

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
