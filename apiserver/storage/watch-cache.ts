// The watch cache of one resource type: one etcd watch on the type's prefix, started on
// first use, feeding
//   - the current objects, kept as JSON text with their resourceVersion set, so lists and
//     watch events are written out without serializing again;
//   - a bounded history of recent events, from which watches resume;
//   - the registered watchers, each with its own bounded buffer.
// When the etcd watch is lost the cache is not ready: watchers are ended (they resume from
// their last resourceVersion) and callers fall back to etcd or answer 503; the cache watches
// again by itself from the last revision it saw (relisting if etcd compacted it away).

import type { IEvent } from 'etcd3';
import type { ResourceType } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { apiVersionOf, storagePrefix } from '../../api/resources.js';
import type { Logger } from '../../client/log.js';
import { errors } from '../errors.js';
import { serializeAt } from './codec.js';
import { CacheWatcher, ParsedEvent, eventForWatcher, type CacheEvent, type WatcherSpec } from './cache-watcher.js';
import type { EtcdConnection } from './etcd-client.js';
import { EventRing } from './event-ring.js';
import { prefixEnd, tooLargeResourceVersion, type ListPage } from './list.js';
import type { StorageMetrics } from './metrics.js';
import type { ObjectFilter, RawWatchEvent } from './store.js';
import { WatchCompactedError, WatchSource } from './watch-source.js';

export interface WatchCacheOptions {
  /** Events kept for resuming watches. */
  historySize: number;
  /** Live events a watcher may have unread before it is ended. */
  watcherBufferSize: number;
  /** A watcher that got nothing for this long gets a BOOKMARK (when it asked for them). */
  bookmarkIntervalMs: number;
  /** How long a read waits for the cache to reach a resourceVersion. */
  freshnessTimeoutMs: number;
  /** How long a read waits for the cache to (re)initialize before answering 503. */
  readyTimeoutMs: number;
  /**
   * Whether etcd's progress notifications can be trusted to say "the cache has every event
   * up to revision R" (etcd 3.4.31+ / 3.5.13+; older versions may answer before an unsynced
   * watch's events, etcd-io/etcd#15220). Without them a consistent read is served from the
   * cache only when the cache has already seen the revision through events.
   */
  progressRequests: boolean;
}

interface CachedObject {
  raw: string;
  namespace: string | undefined;
}

interface RevisionWaiter {
  revision: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

export interface CacheWatchRequest extends WatcherSpec {
  /** Replay history after this revision; undefined: start with the current state as ADDED events. */
  afterRevision?: number;
  /**
   * The starting state read from etcd at `afterRevision` (a consistent read the cache had not
   * caught up with): sent as ADDED, then the events after that revision.
   */
  initialState?: string[];
  /** End the initial ADDED events with the `k8s.io/initial-events-end` BOOKMARK. */
  initialEventsEnd: boolean;
}

const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';
const CATCH_UP_BATCH_REVISIONS = 1000;

function distinctRevisions(events: IEvent[]): number {
  const seen = new Set<string>();
  for (const e of events) seen.add(e.kv.mod_revision);
  return seen.size;
}

export class WatchCache {
  private readonly prefix: string;
  private objects = new Map<string, CachedObject>();
  private sortedKeys: string[] | undefined;
  private readonly history: EventRing<CacheEvent>;
  private readonly watchers = new Set<CacheWatcher>();
  private revision = 0;
  private state: 'stopped' | 'initializing' | 'ready' | 'lost' = 'stopped';
  private source: WatchSource | undefined;
  private readyWaiters: (() => void)[] = [];
  private revisionWaiters: RevisionWaiter[] = [];
  private bookmarkTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private wakeRetry: (() => void) | undefined;

  constructor(
    private readonly type: ResourceType,
    private readonly conn: EtcdConnection,
    private readonly opts: WatchCacheOptions,
    private readonly metrics: StorageMetrics,
    private readonly log: Logger,
    /** The revision etcd was last compacted to: watches from before it get 410. */
    private readonly compactedRevision: () => number,
  ) {
    this.prefix = storagePrefix(type);
    this.history = new EventRing<CacheEvent>(opts.historySize);
  }

  get ready(): boolean {
    return this.state === 'ready';
  }

  get currentRevision(): number {
    return this.revision;
  }

  get size(): number {
    return this.objects.size;
  }

  get watcherCount(): number {
    return this.watchers.size;
  }

  /** Starts the etcd watch if nobody has yet; resolves true once ready, false after readyTimeoutMs. */
  async whenReady(): Promise<boolean> {
    if (this.state === 'stopped') void this.run();
    if (this.state === 'ready') return true;
    if (!this.conn.healthy()) return false;
    let done: () => void = () => undefined;
    const ready = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), this.opts.readyTimeoutMs);
      done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.readyWaiters.push(done);
    });
    const result = await ready;
    this.readyWaiters = this.readyWaiters.filter((w) => w !== done);
    return result && this.ready;
  }

  /**
   * Resolves once the cache has seen `revision`; 504 "Too large resource version" after
   * freshnessTimeoutMs, 503 when the cache is lost meanwhile. Asks etcd for progress so a
   * quiet prefix still advances to revisions written elsewhere.
   */
  waitUntilFresh(revision: number, timeoutMs = this.opts.freshnessTimeoutMs): Promise<void> {
    if (this.revision >= revision) return Promise.resolve();
    if (this.state !== 'ready') return Promise.reject(errors.unavailable(`storage for ${this.type.resource} is (re)initializing`));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.revisionWaiters = this.revisionWaiters.filter((w) => w !== waiter);
        reject(tooLargeResourceVersion(revision, this.revision));
      }, timeoutMs);
      const waiter: RevisionWaiter = {
        revision,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      this.revisionWaiters.push(waiter);
      if (this.opts.progressRequests) this.source?.requestProgress();
    });
  }

  /**
   * Asks etcd, in one transaction at its current revision R, how many keys the type has and
   * which were written after the cache's revision C. The same count and none written means
   * etcd's state at R is the cache's state at C (a delete changes the count, a put shows up
   * as written): no event of this type lies in (C, R], so the cache is fresh at R. This
   * stands in for progress requests on etcd versions that answer them unreliably. Returns
   * R when confirmed.
   */
  async confirmUnchanged(): Promise<number | undefined> {
    if (this.state !== 'ready') return undefined;
    const since = this.revision;
    const objects = this.objects;
    const size = objects.size;
    const key = Buffer.from(this.prefix);
    const rangeEnd = prefixEnd(this.prefix);
    const res = await this.conn.call('confirmFresh', this.type.resource, (o) =>
      this.conn.kv.txn(
        {
          compare: [],
          success: [
            { request_range: { key, range_end: rangeEnd, count_only: true } },
            { request_range: { key, range_end: rangeEnd, keys_only: true, min_mod_revision: String(since + 1) } },
          ],
          failure: [],
        },
        o,
      ),
    );
    const count = Number(res.responses[0]?.response_range?.count);
    const written = res.responses[1]?.response_range?.kvs.length;
    // A relist meanwhile replaced the state this answer is about.
    if (count !== size || written !== 0 || this.state !== 'ready' || this.objects !== objects) return undefined;
    const revision = Number(res.header.revision);
    this.advance(revision);
    return revision;
  }

  /** One cached object as JSON, undefined when the cache does not hold it. */
  getRaw(key: string): string | undefined {
    return this.objects.get(key)?.raw;
  }

  /** The cached objects (optionally one namespace's), in key order, at the cache's revision. */
  list(namespace: string | undefined, filter: ObjectFilter | undefined): ListPage {
    const nsPrefix = namespace !== undefined && this.type.namespaced ? `${this.prefix}${namespace}/` : undefined;
    const items: string[] = [];
    for (const key of this.keysInOrder()) {
      if (nsPrefix !== undefined && !key.startsWith(nsPrefix)) continue;
      const raw = (this.objects.get(key) as CachedObject).raw;
      if (filter && !filter.matches(JSON.parse(raw))) continue;
      items.push(raw);
    }
    return { resourceVersion: String(this.revision), items };
  }

  /**
   * Registers a watcher and queues its starting point, synchronously so no event falls
   * between the snapshot and the registration. The caller has made sure the cache is ready
   * and fresh enough.
   */
  watch(req: CacheWatchRequest): CacheWatcher {
    if (this.state !== 'ready') throw errors.unavailable(`storage for ${this.type.resource} is (re)initializing`);
    const watcher = new CacheWatcher(req, this.opts.watcherBufferSize, (w) => this.unregister(w));
    if (req.afterRevision === undefined) {
      const nsPrefix = req.namespace !== undefined ? `${this.prefix}${req.namespace}/` : undefined;
      for (const key of this.keysInOrder()) {
        if (nsPrefix !== undefined && !key.startsWith(nsPrefix)) continue;
        const raw = (this.objects.get(key) as CachedObject).raw;
        if (req.filter && !req.filter.matches(JSON.parse(raw) as KubeObject)) continue;
        watcher.pushInitial({ type: 'ADDED', object: raw });
      }
      if (req.initialEventsEnd) watcher.pushInitial(this.bookmark(true));
    } else {
      const after = req.afterRevision;
      for (const raw of req.initialState ?? []) watcher.pushInitial({ type: 'ADDED', object: raw });
      // The cache may still be behind `after`: live events up to it are already in the state sent.
      watcher.skipThrough = after;
      if (after < this.revision) {
        const oldest = Math.max(this.history.oldestResumable, this.compactedRevision());
        const events = after >= oldest ? this.history.since(after) : undefined;
        if (!events) throw errors.gone(`too old resource version: ${after} (${oldest})`);
        for (const event of events) {
          const e = eventForWatcher(req, new ParsedEvent(event));
          if (e) watcher.pushInitial(e);
        }
      }
      // After the state and whatever the cache already holds beyond it.
      if (req.initialEventsEnd) watcher.pushInitial(this.bookmark(true, Math.max(after, this.revision)));
    }
    this.watchers.add(watcher);
    this.metrics.watchers.set(this.watcherLabels(), this.watchers.size);
    this.ensureBookmarkTimer();
    return watcher;
  }

  close(): void {
    this.closed = true;
    this.source?.close();
    this.source = undefined;
    clearInterval(this.bookmarkTimer);
    this.wakeRetry?.();
    for (const w of this.watchers) w.end();
    this.watchers.clear();
    for (const w of this.revisionWaiters) w.reject(errors.unavailable('storage is shutting down'));
    this.revisionWaiters = [];
  }

  /**
   * The life of the cache: list, watch until the watch is lost, mark lost, watch again from
   * the last revision seen (etcd replays what happened meanwhile, so the history stays whole
   * and clients resume from their last resourceVersion); relist only when etcd has compacted
   * that revision away.
   */
  private async run(): Promise<void> {
    let backoffMs = 100;
    let resumeAfter: number | undefined;
    while (!this.closed) {
      if (this.state !== 'lost') this.state = 'initializing';
      try {
        const revision = resumeAfter ?? (await this.relist());
        let reportLost: (lost: { why: string; compacted: boolean }) => void = () => undefined;
        const lost = new Promise<{ why: string; compacted: boolean }>((resolve) => (reportLost = resolve));
        const source = await WatchSource.open(this.conn, this.prefix, revision, {
          onEvents: (events, rev) => this.apply(events, rev),
          onProgress: (rev) => this.advance(rev),
          onLost: (why, compacted) => reportLost({ why, compacted }),
        });
        if (this.closed) {
          source.close();
          return;
        }
        this.source = source;
        this.state = 'ready';
        backoffMs = 100;
        for (const w of this.readyWaiters.splice(0)) w();
        this.log.debug({ resource: this.type.resource, revision, objects: this.objects.size }, 'watch cache ready');
        const { why, compacted } = await lost;
        if (this.closed) return;
        this.markLost(why);
        resumeAfter = compacted ? undefined : this.revision;
        if (compacted) continue;
      } catch (err) {
        if (this.closed) return;
        if (err instanceof WatchCompactedError) {
          resumeAfter = undefined;
          continue;
        }
        this.markLost(err instanceof Error ? err.message : String(err));
      }
      await new Promise<void>((resolve) => {
        this.wakeRetry = resolve;
        setTimeout(resolve, backoffMs).unref();
      });
      backoffMs = Math.min(backoffMs * 2, 1000);
    }
  }

  /** Reads the whole prefix at one revision into a fresh object map; history restarts there. */
  private async relist(): Promise<number> {
    const objects = new Map<string, CachedObject>();
    const rangeEnd = prefixEnd(this.prefix);
    let cursor = Buffer.from(this.prefix);
    let revision = 0;
    for (;;) {
      const res = await this.conn.call('watchCacheList', this.type.resource, (o) =>
        this.conn.kv.range({ key: cursor, range_end: rangeEnd, limit: 1000, revision }, o),
      );
      if (revision === 0) revision = Number(res.header.revision);
      for (const kv of res.kvs) {
        const key = kv.key.toString();
        objects.set(key, { raw: serializeAt(kv.value, kv.mod_revision), namespace: this.namespaceOf(key) });
      }
      const last = res.kvs[res.kvs.length - 1];
      if (!res.more || !last) break;
      cursor = Buffer.concat([last.key, Buffer.from([0])]);
    }
    this.objects = objects;
    this.sortedKeys = undefined;
    this.history.reset(revision);
    this.revision = revision;
    this.metrics.cacheSize.set({ resource: this.type.resource }, objects.size);
    return revision;
  }

  private apply(events: IEvent[], revision: number): void {
    for (const ev of events) {
      const key = ev.kv.key.toString();
      const rev = Number(ev.kv.mod_revision);
      const prev = this.objects.get(key);
      let event: CacheEvent;
      if (ev.type === 'Put') {
        const raw = serializeAt(ev.kv.value, rev);
        if (!prev) this.sortedKeys = undefined;
        const namespace = prev?.namespace ?? this.namespaceOf(key);
        this.objects.set(key, { raw, namespace });
        event = { type: prev ? 'MODIFIED' : 'ADDED', revision: rev, namespace, raw, prevRaw: prev?.raw };
      } else {
        if (!prev) continue;
        this.objects.delete(key);
        this.sortedKeys = undefined;
        event = { type: 'DELETED', revision: rev, namespace: prev.namespace, raw: serializeAt(prev.raw, rev), prevRaw: prev.raw };
      }
      this.history.push(event);
      this.revision = Math.max(this.revision, rev);
      this.dispatch(event);
    }
    this.metrics.cacheSize.set({ resource: this.type.resource }, this.objects.size);
    // etcd sends a catching-up watch at most 1,000 revisions per response, each headed with
    // the store's revision although more events below it follow: trust the header only
    // when the batch is shorter than that.
    if (distinctRevisions(events) < CATCH_UP_BATCH_REVISIONS) this.advance(revision);
    else this.advance(this.revision);
  }

  private dispatch(event: CacheEvent): void {
    const parsed = new ParsedEvent(event);
    for (const w of this.watchers) {
      if (event.revision <= w.skipThrough) continue;
      const out = eventForWatcher(w.spec, parsed);
      if (out && !w.push(out)) {
        this.log.debug({ resource: this.type.resource }, 'watcher too slow; ending its watch');
        this.metrics.terminatedWatchers.inc({ resource: this.type.resource });
        w.close();
      }
    }
  }

  /** Every event up to `revision` has been applied: wake the reads waiting for it. */
  private advance(revision: number): void {
    if (revision > this.revision) this.revision = revision;
    if (this.revisionWaiters.length === 0) return;
    const waiting: RevisionWaiter[] = [];
    for (const w of this.revisionWaiters) {
      if (w.revision <= this.revision) w.resolve();
      else waiting.push(w);
    }
    this.revisionWaiters = waiting;
    if (waiting.length > 0 && this.opts.progressRequests) this.source?.requestProgress();
  }

  private markLost(why: string): void {
    const wasReady = this.state === 'ready';
    this.state = 'lost';
    this.source?.close();
    this.source = undefined;
    if (wasReady) this.log.info({ resource: this.type.resource, why }, 'watch cache lost its etcd watch; relisting');
    for (const w of this.watchers) w.end();
    this.watchers.clear();
    this.metrics.watchers.set(this.watcherLabels(), 0);
    for (const w of this.revisionWaiters) w.reject(errors.unavailable(`storage for ${this.type.resource} is (re)initializing: ${why}`));
    this.revisionWaiters = [];
  }

  private unregister(w: CacheWatcher): void {
    if (this.watchers.delete(w)) this.metrics.watchers.set(this.watcherLabels(), this.watchers.size);
  }

  private ensureBookmarkTimer(): void {
    if (this.bookmarkTimer) return;
    const tick = Math.max(10, Math.floor(this.opts.bookmarkIntervalMs / 4));
    this.bookmarkTimer = setInterval(() => this.sendBookmarks(), tick);
    this.bookmarkTimer.unref();
  }

  private sendBookmarks(): void {
    if (this.state !== 'ready') return;
    const due = Date.now() - this.opts.bookmarkIntervalMs;
    let bookmark: RawWatchEvent | undefined;
    for (const w of this.watchers) {
      if (!w.spec.bookmarks || w.lastQueuedAt > due) continue;
      // A watcher that started from etcd state newer than the cache never goes back in time.
      const event = w.skipThrough > this.revision ? this.bookmark(false, w.skipThrough) : (bookmark ??= this.bookmark(false));
      if (!w.push(event)) w.close();
    }
  }

  /** A BOOKMARK: an object of the kind carrying only the resourceVersion the watcher has reached. */
  private bookmark(initialEventsEnd: boolean, revision = this.revision): RawWatchEvent {
    const metadata = initialEventsEnd
      ? { resourceVersion: String(revision), annotations: { [INITIAL_EVENTS_END]: 'true' } }
      : { resourceVersion: String(revision) };
    return { type: 'BOOKMARK', object: JSON.stringify({ kind: this.type.kind, apiVersion: apiVersionOf(this.type), metadata }) };
  }

  private keysInOrder(): string[] {
    return (this.sortedKeys ??= [...this.objects.keys()].sort());
  }

  private namespaceOf(key: string): string | undefined {
    if (!this.type.namespaced) return undefined;
    const rest = key.slice(this.prefix.length);
    return rest.slice(0, rest.indexOf('/'));
  }

  private watcherLabels() {
    return { group: this.type.group, version: this.type.version, kind: this.type.kind };
  }
}
