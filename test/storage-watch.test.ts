// Watches served from the watch cache, against a real etcd.

import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_RESOURCES, type ResourceType } from '../api/resources.js';
import type { KubeObject, Pod, WatchEvent } from '../api/types.js';
import { ApiError } from '../apiserver/errors.js';
import { EtcdStore } from '../apiserver/storage/etcd-store.js';
import type { WatchStream } from '../apiserver/storage/store.js';
import { startEtcd, type TestEtcd } from './harness/etcd.js';

const byResource = (r: string) => BUILTIN_RESOURCES.find((t) => t.resource === r) as ResourceType;
const pods = byResource('pods');

function pod(name: string, namespace: string, labels: Record<string, string> = {}): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels } };
}

/** Reads a watch stream event by event, failing a test that waits too long. */
class Reader {
  private readonly it: AsyncIterator<WatchEvent>;
  constructor(readonly stream: WatchStream) {
    this.it = stream[Symbol.asyncIterator]();
  }
  async next(timeoutMs = 5_000): Promise<WatchEvent | 'end'> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no watch event in time')), timeoutMs)));
    try {
      const r = await Promise.race([this.it.next(), timeout]);
      return r.done ? 'end' : r.value;
    } finally {
      clearTimeout(timer);
    }
  }
  async take(n: number): Promise<WatchEvent[]> {
    const out: WatchEvent[] = [];
    while (out.length < n) {
      const e = await this.next();
      if (e === 'end') throw new Error(`stream ended after ${out.length} of ${n} events`);
      out.push(e);
    }
    return out;
  }
}

const summary = (events: WatchEvent[]) => events.map((e) => `${e.type} ${e.object.metadata?.name ?? ''}`);
const rvOf = (o: KubeObject) => o.metadata?.resourceVersion as string;

async function etcdWatchers(endpoint: string): Promise<number> {
  const text = await (await fetch(`${endpoint}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('etcd_debugging_mvcc_watcher_total '));
  return Number(line?.split(' ')[1]);
}

describe('etcd store: watch cache', () => {
  let etcd: TestEtcd;
  let store: EtcdStore;
  const readers: Reader[] = [];
  const open = async (type: ResourceType, opts: Parameters<EtcdStore['watch']>[1]) => {
    const r = new Reader(await store.watch(type, opts));
    readers.push(r);
    return r;
  };

  beforeAll(async () => {
    etcd = await startEtcd();
    store = new EtcdStore({
      endpoints: [etcd.endpoint],
      compactionIntervalMs: 0,
      watchCache: { bookmarkIntervalMs: 200, historySize: 200, watcherBufferSize: 20, freshnessTimeoutMs: 1_000 },
    });
  });
  afterAll(async () => {
    try {
      for (const r of readers) r.stream.close();
      await store?.close();
    } finally {
      await etcd?.destroy();
    }
  });

  it('starts from the current state (ADDED for each object) when rv is unset or 0, then follows changes', async () => {
    await store.create(pods, pod('s1', 'state'));
    await store.create(pods, pod('s2', 'state'));
    const fromNow = await open(pods, { namespace: 'state' });
    const fromAny = await open(pods, { namespace: 'state', resourceVersion: '0' });
    expect(summary(await fromNow.take(2))).toEqual(['ADDED s1', 'ADDED s2']);
    expect(summary(await fromAny.take(2))).toEqual(['ADDED s1', 'ADDED s2']);
    const changed = await store.guaranteedUpdate(pods, 'state', 's1', (p) => ({ ...p, metadata: { ...p.metadata, labels: { x: 'y' } } }));
    const [modified] = await fromNow.take(1);
    expect(modified.type).toBe('MODIFIED');
    expect(modified.object).toEqual(changed);
    const deleted = await store.delete(pods, 'state', 's2');
    const [gone] = await fromAny.take(2).then((es) => es.slice(1));
    expect(gone.type).toBe('DELETED');
    expect(gone.object.metadata?.name).toBe('s2');
    expect(Number(rvOf(gone.object))).toBeGreaterThan(Number(rvOf(deleted)));
  });

  it('resumes a watch from rv N with exactly the events after N', async () => {
    const a = await store.create(pods, pod('r1', 'resume'));
    await store.create(pods, pod('r2', 'resume'));
    await store.guaranteedUpdate(pods, 'resume', 'r1', (p) => ({ ...p, metadata: { ...p.metadata, labels: { v: '2' } } }));
    await store.delete(pods, 'resume', 'r2');
    const w = await open(pods, { namespace: 'resume', resourceVersion: rvOf(a) });
    const events = await w.take(3);
    expect(summary(events)).toEqual(['ADDED r2', 'MODIFIED r1', 'DELETED r2']);
    const revisions = events.map((e) => Number(rvOf(e.object)));
    expect(revisions).toEqual([...revisions].sort((x, y) => x - y));
    expect(revisions[0]).toBeGreaterThan(Number(rvOf(a)));
    await store.create(pods, pod('r3', 'resume'));
    expect(summary(await w.take(1))).toEqual(['ADDED r3']);
  });

  it('sends ADDED / DELETED to a label-filtered watcher as objects start and stop matching', async () => {
    const web = { matches: (o: KubeObject) => o.metadata?.labels?.app === 'web' };
    const w = await open(pods, { namespace: 'filter', filter: web, resourceVersion: '0' });
    await store.create(pods, pod('f1', 'filter', { app: 'db' }));
    await store.guaranteedUpdate(pods, 'filter', 'f1', (p) => ({ ...p, metadata: { ...p.metadata, labels: { app: 'web' } } }));
    await store.guaranteedUpdate(pods, 'filter', 'f1', (p) => ({ ...p, metadata: { ...p.metadata, labels: { app: 'web', tier: '1' } } }));
    await store.guaranteedUpdate(pods, 'filter', 'f1', (p) => ({ ...p, metadata: { ...p.metadata, labels: { app: 'db' } } }));
    await store.delete(pods, 'filter', 'f1');
    await store.create(pods, pod('f2', 'filter', { app: 'web' }));
    const events = await w.take(4);
    expect(summary(events)).toEqual(['ADDED f1', 'MODIFIED f1', 'DELETED f1', 'ADDED f2']);
    expect(events[2].object.metadata?.labels).toEqual({ app: 'db' });
  });

  it('sends BOOKMARKs to quiet watchers that allow them, and ends the initial burst with initial-events-end', async () => {
    const last = await store.create(pods, pod('b1', 'bookmarks'));
    const w = await open(pods, { namespace: 'bookmarks', resourceVersion: rvOf(last), allowWatchBookmarks: true });
    const bookmark = await w.next(2_000);
    expect(bookmark).not.toBe('end');
    const { type, object } = bookmark as WatchEvent;
    expect(type).toBe('BOOKMARK');
    expect(object.kind).toBe('Pod');
    expect(object.apiVersion).toBe('v1');
    expect(Number(rvOf(object))).toBeGreaterThanOrEqual(Number(rvOf(last)));
    expect(Object.keys(object.metadata ?? {})).toEqual(['resourceVersion']);

    const quiet = await open(pods, { namespace: 'bookmarks', resourceVersion: rvOf(last) });
    const listWatch = await open(pods, { namespace: 'bookmarks', sendInitialEvents: true, allowWatchBookmarks: true, resourceVersion: '' });
    const [added, end] = await listWatch.take(2);
    expect(summary([added])).toEqual(['ADDED b1']);
    expect(end.type).toBe('BOOKMARK');
    expect(end.object.metadata?.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
    await store.create(pods, pod('b2', 'bookmarks'));
    // The watcher without bookmarks gets only the change.
    expect(summary(await quiet.take(1))).toEqual(['ADDED b2']);
  });

  it('ends a watcher that does not read, without holding up the others', async () => {
    const slow = await open(pods, { namespace: 'slow', resourceVersion: '0' });
    const fast = await open(pods, { namespace: 'slow', resourceVersion: '0' });
    const names = Array.from({ length: 40 }, (_, i) => `s${i}`);
    const reading = fast.take(40);
    for (const n of names) await store.create(pods, pod(n, 'slow'));
    expect(summary(await reading)).toEqual(names.map((n) => `ADDED ${n}`));
    // The slow one got its buffer's worth, then its stream ended: it resumes from there.
    let received = 0;
    for (let e = await slow.next(); e !== 'end'; e = await slow.next()) received++;
    expect(received).toBe(20);
  });

  it('answers 410 for a watch older than the history or the compacted revision; a relist then watch works', async () => {
    const first = await store.create(pods, pod('c0', 'compaction'));
    // Push the first revision out of the 200-event history.
    for (let i = 0; i < 210; i++) await store.conn.client.put(`/registry/pods/compaction/x${i % 3}`).value(JSON.stringify(pod(`x${i % 3}`, 'compaction')));
    const tooOld = await store.watch(pods, { resourceVersion: rvOf(first) }).catch((err: unknown) => err);
    expect(tooOld).toBeInstanceOf(ApiError);
    expect([(tooOld as ApiError).code, (tooOld as ApiError).reason]).toEqual([410, 'Expired']);
    expect((tooOld as ApiError).message).toMatch(/^too old resource version: \d+ \(\d+\)$/);

    // Compaction through the compactor: round one records the revision, round two compacts to it.
    const beforeCompaction = await store.create(pods, pod('c1', 'compaction'));
    await store.compactor.runRound();
    await store.create(pods, pod('c2', 'compaction'));
    await store.compactor.runRound();
    expect(store.compactor.compactedRevision).toBeGreaterThan(Number(rvOf(beforeCompaction)));
    const compacted = await store.watch(pods, { resourceVersion: rvOf(beforeCompaction) }).catch((err: unknown) => err);
    expect((compacted as ApiError).code).toBe(410);

    const list = await store.list(pods, { namespace: 'compaction' });
    const w = await open(pods, { namespace: 'compaction', resourceVersion: list.metadata.resourceVersion });
    await store.create(pods, pod('c3', 'compaction'));
    expect(summary(await w.take(1))).toEqual(['ADDED c3']);
  });

  it('serves 1,000 watchers of one kind from a single etcd watch, each seeing every event', async () => {
    const services = byResource('services');
    const before = await etcdWatchers(etcd.endpoint);
    const start = await store.list(services, {});
    const watchers = await Promise.all(Array.from({ length: 1_000 }, () => store.watch(services, { resourceVersion: start.metadata.resourceVersion })));
    try {
      expect(store.cacheStats(services)?.watchers).toBe(1_000);
      expect((await etcdWatchers(etcd.endpoint)) - before).toBe(1);
      await store.create(services, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'fanout', namespace: 'default' } });
      const seen = await Promise.all(watchers.map((w) => new Reader(w).take(1)));
      expect(seen.every(([e]) => e.type === 'ADDED' && e.object.metadata?.name === 'fanout')).toBe(true);
    } finally {
      for (const w of watchers) w.close();
    }
    expect(store.cacheStats(services)?.watchers).toBe(0);
  });

  it('serves consistent lists from the cache, confirmed by a progress request or (etcd 3.4.23) by etcd', async () => {
    const secrets = byResource('secrets');
    const withProgress = new EtcdStore({ endpoints: [etcd.endpoint], compactionIntervalMs: 0, watchProgress: 'on' });
    const etcdLists = async (s: EtcdStore) =>
      (await s.metrics.requestDuration.get()).values.find((v) => v.metricName === 'etcd_request_duration_seconds_count' && v.labels.operation === 'list' && v.labels.type === 'secrets')?.value ?? 0;
    try {
      for (const s of [store, withProgress]) await s.list(secrets, { resourceVersion: '0' }); // start both caches
      const secret = await store.create(secrets, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cons', namespace: 'default' } } as KubeObject);
      await store.create(pods, pod('moves-the-revision', 'consistency'));

      const before = [await etcdLists(store), await etcdLists(withProgress)];
      const [fromEtcd, fromCache] = await Promise.all([store.list(secrets, {}), withProgress.list(secrets, {})]);
      const after = [await etcdLists(store), await etcdLists(withProgress)];
      for (const list of [fromEtcd, fromCache]) {
        expect(list.items.map((i) => i.metadata?.name)).toEqual(['cons']);
        expect(Number(list.metadata.resourceVersion)).toBeGreaterThan(Number(rvOf(secret)));
      }
      // Neither read etcd's secrets: one confirmed by etcd that no secret changed since the
      // cache's revision, the other by a progress request.
      expect(after).toEqual(before);


      // A watch from the etcd list's revision, which the cache has not seen, works at once.
      const w = await open(secrets, { resourceVersion: fromEtcd.metadata.resourceVersion });
      // A watch with rv unset takes its initial state from etcd when the cache cannot prove freshness.
      const fromNow = await open(secrets, { resourceVersion: '' });
      expect(summary(await fromNow.take(1))).toEqual(['ADDED cons']);
      const listWatch = await open(secrets, { resourceVersion: '', sendInitialEvents: true, allowWatchBookmarks: true });
      const [initial, end] = await listWatch.take(2);
      expect(summary([initial])).toEqual(['ADDED cons']);
      expect(end.type).toBe('BOOKMARK');
      expect(end.object.metadata?.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
      expect(Number(rvOf(end.object))).toBeGreaterThanOrEqual(Number(fromEtcd.metadata.resourceVersion));
      await store.delete(secrets, 'default', 'cons');
      expect(summary(await w.take(1))).toEqual(['DELETED cons']);
      expect(summary(await fromNow.take(1))).toEqual(['DELETED cons']);
      expect(summary(await listWatch.take(1))).toEqual(['DELETED cons']);

      // Secrets written behind the store's back show up in the next consistent list at once.
      const names = async () => (await store.list(secrets, {})).items.map((i) => i.metadata?.name);
      for (const name of ['sneaky-1', 'sneaky-2', 'sneaky-3']) {
        await store.conn.client.put(`/registry/secrets/default/${name}`).value(JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'default' } }));
        expect(await names()).toContain(name);
        await store.conn.client.delete().key(`/registry/secrets/default/${name}`);
        expect(await names()).not.toContain(name);
      }
    } finally {
      await withProgress.close();
    }
  });

  it('lets only one of two API servers compact per round (compact_rev_key), and exports storage metrics', async () => {
    const registries = [new Registry(), new Registry()];
    const servers = registries.map((metricsRegistry) => new EtcdStore({ endpoints: [etcd.endpoint], compactionIntervalMs: 0, metricsRegistry }));
    try {
      const [a, b] = servers;
      // Both learn the shared round counter; whoever goes first in a round compacts.
      await a.compactor.runRound();
      await b.compactor.runRound();
      await store.create(pods, pod('round-1', 'rounds'));
      await a.compactor.runRound(); // A wins this round and compacts to the revision it saw last round
      const compactedByA = a.compactor.compactedRevision;
      expect(compactedByA).toBeGreaterThan(0);
      await b.compactor.runRound(); // B lost the round: it compacts nothing and learns A's revision
      expect(b.compactor.compactedRevision).toBe(compactedByA);
      const [aRounds, bRounds] = await Promise.all(registries.map((r) => r.getSingleMetricAsString('etcd_compactions_total')));
      expect(aRounds).toContain('etcd_compactions_total{result="success"} 2');
      expect(bRounds).toContain('etcd_compactions_total{result="success"} 2');

      await a.list(pods, { resourceVersion: '0' });
      const w = await a.watch(pods, { resourceVersion: '0' });
      const text = await registries[0].metrics();
      w.close();
      expect(text).toMatch(/etcd_request_duration_seconds_count\{operation="compact",type=""\} \d+/);
      expect(text).toMatch(/apiserver_watch_cache_size\{resource="pods"\} [1-9]\d*/);
      expect(text).toContain('apiserver_registered_watchers{group="",version="v1",kind="Pod"} 1');
      expect(text).toMatch(/etcd_db_total_size_in_bytes\{endpoint="[^"]+"\} [1-9]\d*/);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });
});
