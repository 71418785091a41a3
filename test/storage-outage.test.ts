// etcd going away under load and coming back: the store answers 503 fast, reports itself
// unhealthy, ends watch streams, applies no write by halves, and recovers by itself.

import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_RESOURCES, type ResourceType } from '../api/resources.js';
import type { KubeObject, Pod, WatchEvent } from '../api/types.js';
import { ApiError } from '../apiserver/errors.js';
import { EtcdStore } from '../apiserver/storage/etcd-store.js';
import { startEtcd, type TestEtcd } from './harness/etcd.js';
import { waitFor } from './harness/ports.js';

const pods = BUILTIN_RESOURCES.find((t) => t.resource === 'pods') as ResourceType;

function pod(name: string, n: number): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'load', labels: { n: String(n) } }, spec: { containers: [{ name: 'c', image: `img-${n}` }] } };
}

async function codeOf(p: Promise<unknown>): Promise<{ code: number | 'ok'; ms: number }> {
  const started = Date.now();
  try {
    await p;
    return { code: 'ok', ms: Date.now() - started };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return { code: err.code, ms: Date.now() - started };
  }
}

describe('etcd store: etcd outage', () => {
  let etcd: TestEtcd;
  let store: EtcdStore;

  beforeAll(async () => {
    etcd = await startEtcd();
    store = new EtcdStore({
      endpoints: [etcd.endpoint],
      compactionIntervalMs: 0,
      requestTimeoutMs: 2_000,
      healthProbeIntervalMs: 200,
      watchCache: { readyTimeoutMs: 500, freshnessTimeoutMs: 1_000 },
    });
  });
  afterAll(async () => {
    try {
      await store?.close();
    } finally {
      await etcd?.destroy();
    }
  });

  it('fails fast with 503 while etcd is down, applies nothing by halves, and recovers watches from the last rv', async () => {
    // A watcher following the namespace, remembering the last resourceVersion it saw.
    const watch = await store.watch(pods, { namespace: 'load', resourceVersion: '0' });
    let lastRv = (await store.list(pods, { namespace: 'load' })).metadata.resourceVersion as string;
    const seen: WatchEvent[] = [];
    const watching = (async () => {
      for await (const e of watch) {
        seen.push(e);
        lastRv = e.object.metadata?.resourceVersion as string;
      }
    })();

    // Load: 8 writers creating pods until told to stop.
    const succeeded = new Map<string, KubeObject>();
    const outcomes: { code: number | 'ok'; ms: number }[] = [];
    let running = true;
    let next = 0;
    const writers = Array.from({ length: 8 }, async () => {
      while (running) {
        const n = next++;
        const started = Date.now();
        try {
          succeeded.set(`p${n}`, await store.create(pods, pod(`p${n}`, n)));
          outcomes.push({ code: 'ok', ms: Date.now() - started });
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          outcomes.push({ code: err.code, ms: Date.now() - started });
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    });
    await waitFor('some writes to land', () => succeeded.size >= 50);

    await etcd.stop();
    try {
      await waitFor('the store to report etcd unhealthy', () => !store.healthy(), 5_000, 20);
      await watching; // the watch stream ends by itself
      const get = await codeOf(store.get(pods, 'load', 'p0'));
      const list = await codeOf(store.list(pods, { namespace: 'load' }));
      const newWatch = await codeOf(store.watch(pods, { namespace: 'load' }));
      expect([get.code, list.code, newWatch.code]).toEqual([503, 503, 503]);
      expect(Math.max(get.ms, list.ms, newWatch.ms)).toBeLessThan(1_500);
      await new Promise((r) => setTimeout(r, 300)); // writers keep hitting the dead etcd
    } finally {
      await etcd.start();
    }
    await waitFor('the store to report etcd healthy again', () => store.healthy(), 10_000, 50);
    await waitFor('writes to succeed again', () => outcomes.at(-1)?.code === 'ok', 10_000, 50);
    running = false;
    await Promise.all(writers);

    const failures = outcomes.filter((o) => o.code !== 'ok');
    expect(failures.length).toBeGreaterThan(0);
    expect(new Set(failures.map((f) => f.code))).toEqual(new Set([503]));
    expect(Math.max(...failures.map((f) => f.ms))).toBeLessThan(2_500);

    // Every acknowledged write is there, whole; anything else present is whole too.
    const stored = await store.list(pods, { namespace: 'load' });
    const byName = new Map(stored.items.map((p) => [p.metadata?.name as string, p]));
    for (const [name, written] of succeeded) expect(byName.get(name)).toEqual(written);
    for (const p of stored.items) {
      const n = Number(p.metadata?.labels?.n);
      expect(p).toEqual({ ...pod(`p${n}`, n), metadata: { ...pod(`p${n}`, n).metadata, resourceVersion: p.metadata?.resourceVersion } });
    }

    // A watch from the last rv the old stream delivered replays what happened since.
    const resumed = store.watch(pods, { namespace: 'load', resourceVersion: lastRv });
    const it = (await resumed)[Symbol.asyncIterator]();
    const missed = stored.items.filter((p) => Number(p.metadata?.resourceVersion) > Number(lastRv)).map((p) => p.metadata?.name);
    const replayed: string[] = [];
    while (replayed.length < missed.length) replayed.push(((await it.next()).value as WatchEvent).object.metadata?.name as string);
    expect(replayed.sort()).toEqual([...missed].sort());
    expect(seen.every((e) => e.type === 'ADDED')).toBe(true);
    await it.return?.();
  }, 60_000);

  it('answers 503 within the request deadline when etcd hangs, and is healthy again when it answers', async () => {
    const proxy = await frozenProxy(new URL(etcd.endpoint).port);
    const hung = new EtcdStore({ endpoints: [proxy.endpoint], compactionIntervalMs: 0, requestTimeoutMs: 1_000, healthProbeIntervalMs: 200 });
    try {
      await hung.create(pods, pod('before-hang', 1));
      proxy.freeze();
      const get = await codeOf(hung.get(pods, 'load', 'before-hang'));
      expect(get.code).toBe(503);
      expect(get.ms).toBeGreaterThanOrEqual(900);
      expect(get.ms).toBeLessThan(3_000);
      expect(hung.healthy()).toBe(false);
      proxy.thaw();
      await waitFor('the store to see etcd answer again', () => hung.healthy(), 10_000, 50);
      expect((await hung.get(pods, 'load', 'before-hang')).metadata?.name).toBe('before-hang');
    } finally {
      await hung.close();
      await proxy.close();
    }
  });

  it('relists when the revision it would resume from was compacted while etcd was away; old watches get 410', async () => {
    const proxy = await frozenProxy(new URL(etcd.endpoint).port);
    const behind = new EtcdStore({ endpoints: [proxy.endpoint], compactionIntervalMs: 0, healthProbeIntervalMs: 100, watchCache: { readyTimeoutMs: 3_000 } });
    try {
      const before = await behind.create(pods, pod('gap-0', 0));
      const watch = await behind.watch(pods, { namespace: 'load', resourceVersion: before.metadata?.resourceVersion });
      proxy.cut();
      for await (const _ of watch) {
        // drained: the stream ends when the cache loses etcd
      }
      // While this API server is cut off, another one writes and compacts past it.
      await store.create(pods, pod('gap-1', 1));
      const other = await store.create(pods, pod('gap-1b', 1));
      // Compacted past the first revision the cut-off cache would resume from.
      await store.conn.kv.compact({ revision: String(Number(other.metadata?.resourceVersion)) });
      proxy.restore();
      await waitFor('the cache to relist after compaction', async () => (await behind.list(pods, { namespace: 'load', resourceVersion: '0' })).items.some((p) => p.metadata?.name === 'gap-1'), 10_000, 100);
      const stale = await behind.watch(pods, { namespace: 'load', resourceVersion: before.metadata?.resourceVersion }).catch((err: unknown) => err);
      expect((stale as ApiError).code).toBe(410);
      const fresh = await behind.list(pods, { namespace: 'load' });
      const resumed = (await behind.watch(pods, { namespace: 'load', resourceVersion: fresh.metadata.resourceVersion }))[Symbol.asyncIterator]();
      await store.create(pods, pod('gap-2', 2));
      expect(((await resumed.next()).value as WatchEvent).object.metadata?.name).toBe('gap-2');
      await resumed.return?.();
    } finally {
      await behind.close();
      await proxy.close();
    }
  });
});

/** A loopback TCP proxy to etcd whose connections can be frozen (nothing forwarded) and thawed, or cut and restored. */
async function frozenProxy(port: string): Promise<{ endpoint: string; freeze(): void; thaw(): void; cut(): void; restore(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let frozen = false;
  let down = false;
  const server = createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(port), '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
      if (frozen) s.pause();
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: proxyPort } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${proxyPort}`,
    freeze: () => {
      frozen = true;
      for (const s of sockets) s.pause();
    },
    thaw: () => {
      frozen = false;
      for (const s of sockets) s.resume();
    },
    /** Drops every connection and refuses new ones, as an etcd that went away. */
    cut: () => {
      down = true;
      for (const s of sockets) s.destroy();
    },
    restore: () => {
      down = false;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
