// The Store on etcd: writes go straight to etcd, one transaction each (create.ts, update.ts,
// delete.ts, guaranteed-update.ts); reads are served from the per-type watch cache when its
// semantics allow, else from etcd (list.ts, get.ts).
//
// How a list is answered:
//   continue token            -> etcd at the token's revision (410 when compacted)
//   rv=N Exact, or N + limit  -> etcd at revision N
//   rv unset + limit          -> etcd at the current revision, paginated
//   rv unset                  -> consistent read from the cache: read etcd's current
//                                revision, wait until the cache has it (confirmed by an
//                                etcd progress request where etcd's version answers them
//                                reliably; on older etcd, by etcd confirming the type's keys
//                                have not changed since the cache's revision), else etcd
//   rv=0                      -> the cache as it is
//   rv=N (NotOlderThan)       -> the cache once it has seen N (504 if it does not in time)
// A cache that is not ready (etcd watch lost) falls back to etcd; with etcd down that is 503.

import { Registry } from 'prom-client';
import type { ResourceType } from '../../api/resources.js';
import { apiVersionOf, storageKey, storagePrefix } from '../../api/resources.js';
import type { KubeList, KubeObject } from '../../api/types.js';
import { createLogger, type Logger } from '../../client/log.js';
import { errors } from '../errors.js';
import { Compactor } from './compactor.js';
import { decodeContinue } from './continue-token.js';
import { createObject } from './create.js';
import { deleteObject } from './delete.js';
import { EtcdConnection, progressRequestsReliable } from './etcd-client.js';
import { getObject } from './get.js';
import { guaranteedUpdate, type Mutation } from './guaranteed-update.js';
import { listFromEtcd, tooLargeResourceVersion, type ListPage } from './list.js';
import { StorageMetrics } from './metrics.js';
import { parseList } from './serialized.js';
import type { GetOptions, ListOptions, Preconditions, SerializedList, Store, WatchOptions, WatchStream } from './store.js';
import { updateObject } from './update.js';
import { WatchCache, type WatchCacheOptions } from './watch-cache.js';

export interface EtcdStoreOptions {
  endpoints: string[];
  /** Deadline of each etcd call (default 5 s). */
  requestTimeoutMs?: number;
  /** How often an unreachable etcd is probed (default 1 s). */
  healthProbeIntervalMs?: number;
  /** `--etcd-compaction-interval`; 0 disables (default 5 min). */
  compactionIntervalMs?: number;
  watchCache?: Partial<Omit<WatchCacheOptions, 'progressRequests'>>;
  /**
   * Consistent reads from the watch cache rely on etcd progress requests: 'auto' uses them
   * when etcd's version answers them reliably (3.4.31+, 3.5.13+); 'off' never; 'on' always.
   */
  watchProgress?: 'auto' | 'on' | 'off';
  /** The API server's metrics registry; a private one when absent. */
  metricsRegistry?: Registry;
  logger?: Logger;
}

const DEFAULT_CACHE: Omit<WatchCacheOptions, 'progressRequests'> = {
  historySize: 10_000,
  watcherBufferSize: 1_000,
  bookmarkIntervalMs: 1_000,
  freshnessTimeoutMs: 3_000,
  readyTimeoutMs: 3_000,
};

export class EtcdStore implements Store {
  readonly conn: EtcdConnection;
  readonly compactor: Compactor;
  readonly metrics: StorageMetrics;
  private readonly caches = new Map<string, WatchCache>();
  private readonly cacheOptions: Omit<WatchCacheOptions, 'progressRequests'>;
  private readonly log: Logger;
  private readonly watchProgress: 'auto' | 'on' | 'off';
  private progressSupport: Promise<boolean> | undefined;

  constructor(opts: EtcdStoreOptions) {
    this.log = opts.logger ?? createLogger('storage');
    this.metrics = new StorageMetrics(opts.metricsRegistry ?? new Registry(), async () => {
      const status = await this.conn.call('status', '', (o) => this.conn.maintenance.status(o));
      return { endpoint: opts.endpoints[0] ?? '', bytes: Number(status.dbSize) };
    });
    this.conn = new EtcdConnection(
      { endpoints: opts.endpoints, requestTimeoutMs: opts.requestTimeoutMs ?? 5_000, healthProbeIntervalMs: opts.healthProbeIntervalMs ?? 1_000 },
      this.metrics,
      this.log,
    );
    this.cacheOptions = { ...DEFAULT_CACHE, ...opts.watchCache };
    this.watchProgress = opts.watchProgress ?? 'auto';
    this.compactor = new Compactor(this.conn, opts.compactionIntervalMs ?? 5 * 60_000, this.metrics, this.log);
    this.compactor.start();
  }

  create(type: ResourceType, obj: KubeObject): Promise<KubeObject> {
    return createObject(this.conn, type, obj);
  }

  async get(type: ResourceType, namespace: string | undefined, name: string, opts: GetOptions = {}): Promise<KubeObject> {
    const rv = parseResourceVersion(opts.resourceVersion);
    if (rv === undefined) return getObject(this.conn, type, namespace, name);
    // rv=0 / rv=N: from the watch cache when it is ready and new enough, as upstream serves it.
    const cache = await this.cacheFor(type);
    if (!(await cache.whenReady()) || !(await this.catchUp(type, cache, rv))) {
      const obj = await getObject(this.conn, type, namespace, name);
      if (Number(obj.metadata?.resourceVersion) < rv) {
        const current = await this.etcdRevision(type);
        if (rv > current) throw tooLargeResourceVersion(rv, current);
      }
      return obj;
    }
    const raw = cache.getRaw(storageKey(type, namespace, name));
    if (raw === undefined) throw errors.notFound(type.resource, type.group, name);
    return JSON.parse(raw) as KubeObject;
  }

  update(type: ResourceType, obj: KubeObject, preconditions?: Preconditions): Promise<KubeObject> {
    return updateObject(this.conn, type, obj, preconditions);
  }

  guaranteedUpdate(type: ResourceType, namespace: string | undefined, name: string, mutate: Mutation): Promise<KubeObject> {
    // The first attempt starts from the watch cache's copy when it has one (guaranteed-update.ts).
    const cache = this.caches.get(cacheKey(type));
    const cached = cache?.ready ? cache.getRaw(storageKey(type, namespace, name)) : undefined;
    return guaranteedUpdate(this.conn, type, namespace, name, mutate, cached);
  }

  delete(type: ResourceType, namespace: string | undefined, name: string, preconditions?: Preconditions): Promise<KubeObject> {
    return deleteObject(this.conn, type, namespace, name, preconditions);
  }

  async list(type: ResourceType, opts: ListOptions): Promise<KubeList> {
    return parseList(await this.listSerialized(type, opts));
  }

  async listSerialized(type: ResourceType, opts: ListOptions): Promise<SerializedList> {
    const page = await this.listPage(type, opts);
    const metadata: KubeList['metadata'] = { resourceVersion: page.resourceVersion };
    if (page.continue) metadata.continue = page.continue;
    if (page.remainingItemCount !== undefined) metadata.remainingItemCount = page.remainingItemCount;
    return { apiVersion: apiVersionOf(type), kind: `${type.kind}List`, metadata, items: page.items };
  }

  private async listPage(type: ResourceType, opts: ListOptions): Promise<ListPage> {
    const namespace = type.namespaced ? opts.namespace || undefined : undefined;
    const base = { namespace, filter: opts.filter, limit: opts.limit };
    const rv = parseResourceVersion(opts.resourceVersion);
    if (opts.continue) {
      if (rv !== undefined && rv !== 0) throw errors.badRequest('specifying resource version is not allowed when using continue');
      const point = decodeContinue(opts.continue);
      return listFromEtcd(this.conn, type, { ...base, revision: point.revision, start: point.start, continued: true });
    }
    if (opts.resourceVersionMatch === 'Exact') {
      if (rv === undefined || rv === 0) throw errors.badRequest('resourceVersionMatch=Exact requires a resourceVersion other than 0');
      return listFromEtcd(this.conn, type, { ...base, revision: rv });
    }
    if (rv !== undefined && rv > 0 && opts.limit && opts.resourceVersionMatch === undefined) {
      // Legacy semantics: an rv with a limit and no match is an exact read.
      return listFromEtcd(this.conn, type, { ...base, revision: rv });
    }
    if (rv === undefined && opts.limit) return listFromEtcd(this.conn, type, base);

    const cache = await this.cacheFor(type);
    if (!(await cache.whenReady())) return this.listFallback(type, base, rv);
    if (rv === undefined) {
      if (!(await this.catchUp(type, cache))) return listFromEtcd(this.conn, type, base);
    } else if (rv > 0 && !(await this.catchUp(type, cache, rv))) {
      return this.listFallback(type, base, rv);
    }
    return cache.list(namespace, opts.filter);
  }

  /**
   * Whether the cache is at least as new as `revision` (undefined: etcd's current revision).
   * With reliable etcd progress requests it waits (up to the freshness timeout) for the cache
   * to get there. Without them it asks etcd whether the type's keys changed since the cache's
   * revision (WatchCache.confirmUnchanged): a cache behind only because other kinds were
   * written is then fresh, and one that really is behind makes the caller read etcd.
   */
  private async catchUp(type: ResourceType, cache: WatchCache, revision?: number): Promise<boolean> {
    if (revision !== undefined && cache.currentRevision >= revision) return true;
    if (await this.progressRequests()) {
      const target = revision ?? (await this.etcdRevision(type));
      return cache.waitUntilFresh(target).then(
        () => true,
        () => false,
      );
    }
    const confirmed = await cache.confirmUnchanged();
    return confirmed !== undefined && (revision === undefined || confirmed >= revision);
  }

  /** The cache cannot answer: read etcd at its current revision (which also satisfies "not older than"). */
  private async listFallback(type: ResourceType, base: { namespace?: string; filter?: ListOptions['filter'] }, rv: number | undefined): Promise<ListPage> {
    const page = await listFromEtcd(this.conn, type, base);
    if (rv !== undefined && Number(page.resourceVersion) < rv) throw tooLargeResourceVersion(rv, Number(page.resourceVersion));
    return page;
  }

  async watch(type: ResourceType, opts: WatchOptions): Promise<WatchStream> {
    if (!this.conn.healthy()) throw errors.unavailable('etcd: not reachable');
    const cache = await this.cacheFor(type);
    if (!(await cache.whenReady())) throw errors.unavailable(`storage for ${type.resource} is (re)initializing`);
    const rv = parseResourceVersion(opts.resourceVersion);
    const spec = {
      namespace: type.namespaced ? opts.namespace || undefined : undefined,
      filter: opts.filter,
      bookmarks: opts.allowWatchBookmarks ?? false,
      initialEventsEnd: opts.sendInitialEvents ?? false,
    };
    if (rv === 0) return cache.watch(spec);
    if (rv === undefined || opts.sendInitialEvents) {
      // The initial state must be at least as new as etcd now (rv unset) or as rv.
      if (await this.catchUp(type, cache, rv)) return cache.watch(spec);
      // The cache cannot confirm it is that fresh: the state comes from etcd, the changes
      // after it from the cache.
      const state = await this.listFallback(type, { namespace: spec.namespace, filter: spec.filter }, rv);
      return cache.watch({ ...spec, afterRevision: Number(state.resourceVersion), initialState: state.items });
    }
    // Events after rv. A cache still behind rv can start the watch right away: it skips
    // the events up to rv as they arrive. Only an rv etcd has not reached is refused.
    if (cache.currentRevision < rv && !(await this.catchUp(type, cache, rv))) {
      const current = await this.etcdRevision(type);
      if (rv > current) throw tooLargeResourceVersion(rv, current);
    }
    return cache.watch({ ...spec, afterRevision: rv });
  }

  async currentRevision(): Promise<string> {
    const res = await this.conn.call('currentRevision', '', (o) => this.conn.kv.range({ key: Buffer.from('/registry/'), count_only: true }, o));
    return res.header.revision;
  }

  healthy(): boolean {
    return this.conn.healthy();
  }

  /** Objects in the watch cache of a type, and its watchers (for tests and status). */
  cacheStats(type: ResourceType): { objects: number; watchers: number; revision: number; ready: boolean } | undefined {
    const cache = this.caches.get(cacheKey(type));
    return cache && { objects: cache.size, watchers: cache.watcherCount, revision: cache.currentRevision, ready: cache.ready };
  }

  release(type: ResourceType): void {
    const key = cacheKey(type);
    this.caches.get(key)?.close();
    this.caches.delete(key);
  }

  async close(): Promise<void> {
    await this.compactor.stop();
    for (const cache of this.caches.values()) cache.close();
    this.caches.clear();
    this.conn.close();
  }

  /** etcd's current revision, from the header of a one-key read (the prefix key itself). */
  private async etcdRevision(type: ResourceType): Promise<number> {
    const prefix = storagePrefix(type);
    const res = await this.conn.call('currentRevision', type.resource, (o) => this.conn.kv.range({ key: Buffer.from(prefix), limit: 1, keys_only: true }, o));
    return Number(res.header.revision);
  }

  private async cacheFor(type: ResourceType): Promise<WatchCache> {
    const key = cacheKey(type);
    let cache = this.caches.get(key);
    if (!cache) {
      const progressRequests = await this.progressRequests();
      cache = this.caches.get(key);
      if (cache) return cache;
      cache = new WatchCache(type, this.conn, { ...this.cacheOptions, progressRequests }, this.metrics, this.log, () => this.compactor.compactedRevision);
      this.caches.set(key, cache);
    }
    return cache;
  }

  /** Whether to rely on etcd progress requests; asks etcd its version once. */
  private progressRequests(): Promise<boolean> {
    if (this.watchProgress !== 'auto') return Promise.resolve(this.watchProgress === 'on');
    this.progressSupport ??= this.conn.serverVersion().then(
      (version) => {
        const reliable = progressRequestsReliable(version);
        this.log.debug({ etcdVersion: version, consistentReadsFromCache: reliable }, 'etcd version checked');
        return reliable;
      },
      (err: unknown) => {
        this.progressSupport = undefined; // ask again once etcd answers
        throw err;
      },
    );
    return this.progressSupport;
  }
}

function cacheKey(type: ResourceType): string {
  return `${type.group}/${type.resource}`;
}

/** '' / undefined: none; otherwise a non-negative integer, else 400 as upstream answers. */
export function parseResourceVersion(rv: string | undefined): number | undefined {
  if (rv === undefined || rv === '') return undefined;
  if (!/^\d+$/.test(rv)) throw errors.badRequest(`invalid resource version: ${rv}`);
  return Number(rv);
}
