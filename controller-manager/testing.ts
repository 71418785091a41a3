// Test support for controller unit tests (imported only by *.test.ts): informers whose caches
// are filled on demand from a FakeApiClient, a work queue that records keys instead of running
// them, and an event recorder that keeps what it was told. Tests seed objects, call sync(),
// run reconcile(key) and assert the actions the fake client saw.

import type { KubeObject } from '../api/types.js';
import type { EventHandlers, EventRecorder, Informer, Lister, WorkQueue } from '../client/interfaces.js';
import { FakeApiClient } from '../client/fake.js';
import { createLogger } from '../client/log.js';
import { keyOf, type ControllerContext, type InformerSource } from './controller.js';
import type { ResourceType } from '../api/resources.js';

export class SnapshotInformer<T extends KubeObject> implements Informer<T> {
  private readonly items = new Map<string, T>();
  private readonly handlers: EventHandlers<T>[] = [];
  private readonly indexers = new Map<string, (obj: T) => string[]>([['namespace', (o) => [o.metadata?.namespace ?? '']]]);
  readonly lister: Lister<T> = {
    get: (key) => this.items.get(key),
    list: () => [...this.items.values()],
    byIndex: (index, value) => {
      const f = this.indexers.get(index);
      return f ? [...this.items.values()].filter((o) => f(o).includes(value)) : [];
    },
  };

  addEventHandler(h: EventHandlers<T>): void {
    this.handlers.push(h);
  }
  addIndex(name: string, indexer: (obj: T) => string[]): void {
    this.indexers.set(name, indexer);
  }
  start(): void {}
  stop(): void {}
  hasSynced(): boolean {
    return true;
  }
  async waitForSync(): Promise<void> {}

  /** Replaces the cache with `objs`, calling handlers for what was added, changed or removed. */
  replace(objs: T[]): void {
    const next = new Map(objs.map((o) => [keyOf(o), o]));
    for (const [k, old] of this.items) {
      if (!next.has(k)) {
        this.items.delete(k);
        for (const h of this.handlers) h.onDelete?.(old);
      }
    }
    for (const [k, obj] of next) {
      const old = this.items.get(k);
      this.items.set(k, obj);
      if (!old) for (const h of this.handlers) h.onAdd?.(obj);
      else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) for (const h of this.handlers) h.onUpdate?.(old, obj);
    }
  }
}

export class RecordingQueue implements WorkQueue<string> {
  readonly added: string[] = [];
  readonly delayed: { key: string; delayMs: number }[] = [];
  readonly rateLimited: string[] = [];
  add(key: string): void {
    if (!this.added.includes(key)) this.added.push(key);
  }
  addAfter(key: string, delayMs: number): void {
    this.delayed.push({ key, delayMs });
  }
  addRateLimited(key: string): void {
    this.rateLimited.push(key);
  }
  forget(): void {}
  async get(): Promise<string | undefined> {
    return this.added.shift();
  }
  done(): void {}
  len(): number {
    return this.added.length;
  }
  numRequeues(): number {
    return 0;
  }
  shutDown(): void {}
  async shutDownWithDrain(): Promise<void> {}
}

export class RecordedEvents implements EventRecorder {
  readonly events: { kind?: string; name?: string; type: string; reason: string; message: string }[] = [];
  event(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.events.push({ kind: obj.kind, name: obj.metadata?.name, type, reason, message });
  }
  reasons(): string[] {
    return this.events.map((e) => e.reason);
  }
}

/** A FakeApiClient, informers over it, a recording queue, and a clock the test moves. */
export class ControllerTestEnv implements InformerSource {
  readonly client: FakeApiClient;
  readonly queue = new RecordingQueue();
  readonly recorder = new RecordedEvents();
  private readonly informers = new Map<string, SnapshotInformer<KubeObject>>();
  clock: number;

  constructor(objects: KubeObject[] = [], start = Date.parse('2026-01-01T00:00:00Z')) {
    this.clock = start;
    this.client = new FakeApiClient({ objects, now: () => new Date(this.clock) });
  }

  informerFor<T extends KubeObject>(resource: string | ResourceType): Informer<T> {
    const name = typeof resource === 'string' ? resource : resource.resource;
    let inf = this.informers.get(name);
    if (!inf) {
      inf = new SnapshotInformer<KubeObject>();
      this.informers.set(name, inf);
    }
    return inf as unknown as Informer<T>;
  }

  get context(): ControllerContext {
    return {
      client: this.client,
      informers: this,
      newQueue: () => this.queue,
      recorder: this.recorder,
      log: createLogger('test', 'silent'),
      now: () => this.clock,
    };
  }

  /** Fills every informer from the fake's current state, as a watch would have delivered it. */
  async sync(): Promise<void> {
    for (const [resource, inf] of this.informers) {
      const list = await this.client.for(resource).list(undefined);
      inf.replace(list.items);
    }
  }

  /** Objects of a resource as stored now. */
  async all<T extends KubeObject>(resource: string, namespace?: string): Promise<T[]> {
    return (await this.client.for<T>(resource).list(namespace)).items;
  }

  writes(resource?: string): { verb: string; resource: string; subresource?: string; name?: string }[] {
    return this.client
      .actions()
      .filter((a) => !resource || a.resource === resource)
      .map((a) => ({ verb: a.verb, resource: a.resource, ...(a.subresource ? { subresource: a.subresource } : {}), ...(a.name ? { name: a.name } : {}) }));
  }
}

/** Runs queued keys through `reconcile` (syncing informers after each) until the queue is empty. */
export async function drainQueue(env: ControllerTestEnv, reconcile: (key: string) => Promise<unknown>, maxSteps = 1000): Promise<void> {
  await env.sync();
  for (let i = 0; i < maxSteps; i++) {
    const key = await env.queue.get();
    if (key === undefined) return;
    await reconcile(key);
    await env.sync();
  }
  throw new Error('queue did not drain');
}
