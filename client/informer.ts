// An informer, as client-go's shared informer: list (in pages of 500), then watch from the
// list's resourceVersion with bookmarks, keeping a local indexed cache that listers read and
// telling handlers what changed. Handlers run from one delivery loop, in event order. After a
// 410 Gone the informer lists again and turns the difference into events: deletes for objects
// that vanished while it was not watching, updates for the ones that changed. A periodic
// resync re-delivers every cached object as onUpdate(obj, obj) so level-triggered controllers
// revisit everything now and then.

import type { ResourceType } from '../api/resources.js';
import type { KubeObject, WatchEvent } from '../api/types.js';
import { IndexedCache, objectKey } from './cache.js';
import { GoneError, isGone } from './errors.js';
import type { ApiClient, EventHandlers, Informer, Lister, ResourceClient } from './interfaces.js';
import { clientLogger } from './client-log.js';
import type { Logger } from './log.js';
import { backoffDelay, sleep } from './rate-limiter.js';
import { Watcher } from './watch.js';

export interface InformerOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Re-deliver every object as an update this often; 0 or absent: never. */
  resyncPeriodMs?: number;
  /** List page size; default 500 as client-go. */
  pageSize?: number;
  /** First retry delay after a failed list or watch (doubles up to 30 s); default 250 ms. */
  backoffMs?: number;
  logger?: Logger;
}

type Notification<T extends KubeObject> =
  | { kind: 'add'; obj: T; to?: EventHandlers<T> }
  | { kind: 'update'; old: T; obj: T; to?: EventHandlers<T> }
  | { kind: 'delete'; obj: T; to?: EventHandlers<T> }
  | { kind: 'synced' };

export class ListWatchInformer<T extends KubeObject> implements Informer<T> {
  private readonly cache = new IndexedCache<T>();
  private readonly handlers: EventHandlers<T>[] = [];
  private readonly pending: Notification<T>[] = [];
  private delivering = false;
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private abort?: AbortController;
  private resyncTimer?: NodeJS.Timeout;
  private readonly log: Logger;

  constructor(
    private readonly client: ResourceClient<T>,
    private readonly opts: InformerOptions = {},
  ) {
    this.log = opts.logger ?? clientLogger().child({ part: 'informer' });
  }

  get lister(): Lister<T> {
    return this.cache;
  }

  /** Handlers added after the informer has synced first hear of every cached object as an add. */
  addEventHandler(handlers: EventHandlers<T>): void {
    this.handlers.push(handlers);
    if (this.synced) {
      for (const obj of this.cache.list()) this.pending.push({ kind: 'add', obj, to: handlers });
      this.deliver();
    }
  }

  addIndex(name: string, indexer: (obj: T) => string[]): void {
    this.cache.addIndex(name, indexer);
  }

  start(): void {
    if (this.abort) return;
    const abort = (this.abort = new AbortController());
    void this.run(abort.signal);
    const period = this.opts.resyncPeriodMs ?? 0;
    if (period > 0) {
      this.resyncTimer = setInterval(() => this.resync(), period);
      this.resyncTimer.unref();
    }
  }

  stop(): void {
    this.abort?.abort();
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    this.resyncTimer = undefined;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  waitForSync(signal?: AbortSignal): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => reject(signal!.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.syncWaiters.push(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }

  /** The resourceVersion-tagged list-then-watch loop; returns when stopped. */
  private async run(signal: AbortSignal): Promise<void> {
    const rv = await this.listUntilDone(signal);
    if (rv === undefined) return;
    this.pending.push({ kind: 'synced' });
    this.deliver();
    const watcher = new Watcher<T>(this.client, {
      namespace: this.opts.namespace,
      labelSelector: this.opts.labelSelector,
      fieldSelector: this.opts.fieldSelector,
      resourceVersion: rv,
      backoffMs: this.opts.backoffMs,
      logger: this.log,
      onEvent: (ev) => this.onWatchEvent(ev),
      relist: async (s) => {
        const next = await this.listUntilDone(s);
        if (next === undefined) throw s.reason ?? new Error('informer stopped');
        return next;
      },
    });
    await watcher.run(signal);
  }

  /** Lists (retrying with backoff) and replaces the cache; undefined when stopped first. */
  private async listUntilDone(signal: AbortSignal): Promise<string | undefined> {
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        const { items, resourceVersion } = await this.listAll();
        if (signal.aborted) return undefined;
        this.replace(items);
        return resourceVersion;
      } catch (err) {
        if (signal.aborted) return undefined;
        this.log.debug({ resource: this.client.type.resource, err: String(err) }, 'informer: list failed');
        try {
          await sleep(backoffDelay(attempt, this.opts.backoffMs ?? 250, 30_000), signal);
        } catch {
          return undefined;
        }
      }
    }
    return undefined;
  }

  /** Every page of the collection; a continue token that expired mid-way (410) restarts the list. */
  private async listAll(): Promise<{ items: T[]; resourceVersion: string }> {
    for (;;) {
      const items: T[] = [];
      let cont: string | undefined;
      let rv = '';
      try {
        do {
          const page = await this.client.list(this.opts.namespace, {
            labelSelector: this.opts.labelSelector,
            fieldSelector: this.opts.fieldSelector,
            limit: this.opts.pageSize ?? 500,
            continue: cont,
          });
          items.push(...page.items);
          // Every page is served from the first page's snapshot; its resourceVersion is the list's.
          if (!rv) rv = page.metadata.resourceVersion ?? '';
          cont = page.metadata.continue || undefined;
        } while (cont);
      } catch (err) {
        if (cont && (isGone(err) || err instanceof GoneError)) continue;
        throw err;
      }
      return { items, resourceVersion: rv };
    }
  }

  /** Makes the cache equal to a fresh list, notifying what differs from what we knew. */
  private replace(items: T[]): void {
    const seen = new Set<string>();
    for (const obj of items) {
      const key = objectKey(obj);
      seen.add(key);
      const old = this.cache.get(key);
      if (old && old.metadata?.resourceVersion === obj.metadata?.resourceVersion) continue;
      this.cache.put(obj);
      this.pending.push(old ? { kind: 'update', old, obj } : { kind: 'add', obj });
    }
    for (const key of this.cache.keys()) {
      if (seen.has(key)) continue;
      const gone = this.cache.remove(key)!;
      this.pending.push({ kind: 'delete', obj: gone });
    }
    this.deliver();
  }

  private onWatchEvent(ev: WatchEvent<T>): void {
    const obj = ev.object;
    const key = objectKey(obj);
    if (ev.type === 'DELETED') {
      // The event's object is the last state, carrying the delete's resourceVersion.
      this.cache.remove(key);
      this.pending.push({ kind: 'delete', obj });
    } else if (ev.type === 'ADDED' || ev.type === 'MODIFIED') {
      const old = this.cache.get(key);
      // The same resourceVersion twice (a replayed event after a reconnect) is no change.
      if (old && old.metadata?.resourceVersion === obj.metadata?.resourceVersion) return;
      this.cache.put(obj);
      this.pending.push(old ? { kind: 'update', old, obj } : { kind: 'add', obj });
    } else {
      return;
    }
    this.deliver();
  }

  private resync(): void {
    if (!this.synced) return;
    for (const obj of this.cache.list()) this.pending.push({ kind: 'update', old: obj, obj });
    this.deliver();
  }

  /** The delivery loop: one notification at a time, to every handler, in order. Re-entrant calls just queue. */
  private deliver(): void {
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (let n = this.pending.shift(); n; n = this.pending.shift()) {
        if (n.kind === 'synced') {
          this.synced = true;
          for (const w of this.syncWaiters.splice(0)) w();
          continue;
        }
        for (const h of n.to ? [n.to] : this.handlers) {
          try {
            if (n.kind === 'add') h.onAdd?.(n.obj);
            else if (n.kind === 'update') h.onUpdate?.(n.old, n.obj);
            else h.onDelete?.(n.obj);
          } catch (err) {
            this.log.error({ resource: this.client.type.resource, key: objectKey(n.obj), err: String(err) }, 'informer: event handler threw');
          }
        }
      }
    } finally {
      this.delivering = false;
    }
  }
}

/** An informer over one kind: `createInformer<Pod>(client, podsType, { namespace: 'x' })`. */
export function createInformer<T extends KubeObject>(client: ApiClient, type: ResourceType, opts: InformerOptions = {}): Informer<T> {
  return new ListWatchInformer<T>(client.resource<T>(type), opts);
}

export interface SharedInformerOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/**
 * One informer per (kind, namespace, selectors) for a whole process: the controllers of a
 * controller-manager share their pod informer instead of each listing and watching pods.
 * Informers made after start() start at once.
 */
export class SharedInformerFactory {
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private started = false;

  constructor(
    private readonly client: ApiClient,
    private readonly defaults: { resyncPeriodMs?: number; backoffMs?: number; logger?: Logger } = {},
  ) {}

  informerFor<T extends KubeObject>(resource: string | ResourceType, opts: SharedInformerOptions = {}): Informer<T> {
    const rc = typeof resource === 'string' ? this.client.for<T>(resource) : this.client.resource<T>(resource);
    const t = rc.type;
    const key = [t.group, t.version, t.resource, opts.namespace ?? '', opts.labelSelector ?? '', opts.fieldSelector ?? ''].join('|');
    let informer = this.informers.get(key) as Informer<T> | undefined;
    if (!informer) {
      informer = new ListWatchInformer<T>(rc, { ...this.defaults, ...opts });
      this.informers.set(key, informer as unknown as Informer<KubeObject>);
      if (this.started) informer.start();
    }
    return informer;
  }

  start(): void {
    this.started = true;
    for (const i of this.informers.values()) i.start();
  }

  async waitForSync(signal?: AbortSignal): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync(signal)));
  }

  stop(): void {
    for (const i of this.informers.values()) i.stop();
  }
}
