// The storage layer alone (no HTTP), side by side with raw etcd in the same process:
//   - creates/s and p50/p99 at concurrency 32: the etcd3 create transaction vs store.create;
//   - list of 10,000 pods: from the watch cache (rv=0); consistent, confirmed by etcd progress
//     requests or (etcd 3.4 < 3.4.31) by one count/written-since txn; read from etcd (Exact);
//   - watch delivery latency (create sent -> event read) with 1 and 1,000 watchers;
//   - heap held by the watch cache per pod (run with --expose-gc to see it).
//
//   npx tsx bench/apiserver-storage.ts          (node --expose-gc --import tsx bench/apiserver-storage.ts)

import { Etcd3 } from 'etcd3';
import { BUILTIN_RESOURCES, type ResourceType } from '../api/resources.js';
import type { Pod } from '../api/types.js';
import { EtcdStore } from '../apiserver/storage/etcd-store.js';
import type { WatchStream } from '../apiserver/storage/store.js';
import { startEtcd } from '../test/harness/etcd.js';

const pods = BUILTIN_RESOURCES.find((t) => t.resource === 'pods') as ResourceType;
const CONCURRENCY = 32;

function pod(name: string, namespace = 'bench'): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, uid: `uid-${name}`, creationTimestamp: '2026-11-22T10:00:00Z', labels: { app: 'bench', tier: 'web' } },
    spec: {
      containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'], imagePullPolicy: 'Always', resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
    },
    status: { phase: 'Pending', qosClass: 'Burstable' },
  };
}

function stats(samples: number[]): { p50: number; p99: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
  return { p50: at(50), p99: at(99) };
}

async function run(count: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<{ rate: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        await op(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { rate: count / ((performance.now() - started) / 1000), ...stats(latencies) };
}

async function timeEach(n: number, op: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  return run(n, 1, op);
}

async function watchLatency(store: EtcdStore, watchers: number, round: number): Promise<{ p50: number; p99: number; delivered: number }> {
  const namespace = `watch-${round}`;
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const streams: WatchStream[] = [];
  const readers: Promise<void>[] = [];
  const events = 50;
  for (let i = 0; i < watchers; i++) {
    const stream = await store.watch(pods, { namespace, resourceVersion: '0' });
    streams.push(stream);
    readers.push(
      (async () => {
        for await (const e of stream.rawEvents?.() ?? []) {
          const name = /"name":"([^"]+)"/.exec(e.object)?.[1] ?? '';
          const sent = sentAt.get(name);
          if (sent !== undefined) latencies.push(performance.now() - sent);
        }
      })(),
    );
  }
  for (let i = 0; i < events; i++) {
    const name = `w${i}`;
    sentAt.set(name, performance.now());
    await store.create(pods, pod(name, namespace));
    await new Promise((r) => setTimeout(r, 10));
  }
  const deadline = Date.now() + 10_000;
  while (latencies.length < watchers * events && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  for (const s of streams) s.close();
  await Promise.all(readers);
  return { ...stats(latencies), delivered: latencies.length };
}

const gc = (globalThis as { gc?: () => void }).gc;
const heapMB = () => {
  gc?.();
  return process.memoryUsage().heapUsed / 1e6;
};
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function main(): Promise<void> {
  const etcd = await startEtcd('process');
  const raw = new Etcd3({ hosts: etcd.endpoint });
  const store = new EtcdStore({ endpoints: [etcd.endpoint], compactionIntervalMs: 0 });
  const withProgress = new EtcdStore({ endpoints: [etcd.endpoint], compactionIntervalMs: 0, watchProgress: 'on' });
  try {
    const rawCreate = (prefix: string) => (i: number) => {
      const key = `${prefix}${i}`;
      return raw.if(key, 'Create', '==', 0).then(raw.put(key).value(JSON.stringify(pod(`p${i}`)))).commit();
    };
    // Interleaved, so both sides see the same machine.
    const raw1 = await run(2_000, CONCURRENCY, rawCreate('/bench-raw/a/'));
    const heapBefore = heapMB();
    await store.list(pods, { resourceVersion: '0' }); // start the pods watch cache
    const store1 = await run(2_000, CONCURRENCY, (i) => store.create(pods, pod(`a${i}`)));
    const raw2 = await run(2_000, CONCURRENCY, rawCreate('/bench-raw/b/'));
    const store2 = await run(8_000, CONCURRENCY, (i) => store.create(pods, pod(`b${i}`)));
    await raw.delete().prefix('/bench-raw/');
    await new Promise((r) => setTimeout(r, 200));
    const heapPerPod = ((heapMB() - heapBefore) * 1e6) / 10_000;

    await withProgress.list(pods, { resourceVersion: '0' });
    const listAny = await timeEach(20, () => store.listSerialized(pods, { namespace: 'bench', resourceVersion: '0' }));
    const listConsistentConfirmed = await timeEach(10, async () => {
      await raw.put('/elsewhere').value('x'); // another kind's write: the pods cache is behind etcd's revision
      return store.listSerialized(pods, { namespace: 'bench' });
    });
    const listFromEtcd = await timeEach(10, async () => {
      const rv = await store.currentRevision();
      return store.listSerialized(pods, { namespace: 'bench', resourceVersion: rv, resourceVersionMatch: 'Exact' });
    });
    const listConsistentCache = await timeEach(10, async () => {
      await raw.put('/elsewhere').value('x');
      return withProgress.listSerialized(pods, { namespace: 'bench' });
    });
    const count = (await store.listSerialized(pods, { namespace: 'bench', resourceVersion: '0' })).items.length;

    const watch1 = await watchLatency(store, 1, 1);
    const watch1000 = await watchLatency(store, 1_000, 2);

    const rows: [string, string][] = [
      ['raw etcd create txn (c=32, 2,000)', `${raw1.rate.toFixed(0)}/s  p50 ${ms(raw1.p50)}  p99 ${ms(raw1.p99)}`],
      ['store.create (c=32, 2,000)', `${store1.rate.toFixed(0)}/s  p50 ${ms(store1.p50)}  p99 ${ms(store1.p99)}`],
      ['raw etcd create txn (c=32, 2,000, again)', `${raw2.rate.toFixed(0)}/s  p50 ${ms(raw2.p50)}  p99 ${ms(raw2.p99)}`],
      ['store.create (c=32, 8,000 more)', `${store2.rate.toFixed(0)}/s  p50 ${ms(store2.p50)}  p99 ${ms(store2.p99)}`],
      [`list ${count.toLocaleString('en')} pods, rv=0 (cache)`, `p50 ${ms(listAny.p50)}  p99 ${ms(listAny.p99)}`],
      [`list ${count.toLocaleString('en')} pods, consistent, etcd 3.4 (cache, confirmed by txn)`, `p50 ${ms(listConsistentConfirmed.p50)}  p99 ${ms(listConsistentConfirmed.p99)}`],
      [`list ${count.toLocaleString('en')} pods, consistent, progress requests (cache)`, `p50 ${ms(listConsistentCache.p50)}  p99 ${ms(listConsistentCache.p99)}`],
      [`list ${count.toLocaleString('en')} pods from etcd (Exact rv)`, `p50 ${ms(listFromEtcd.p50)}  p99 ${ms(listFromEtcd.p99)}`],
      ['watch delivery, 1 watcher', `p50 ${ms(watch1.p50)}  p99 ${ms(watch1.p99)}  (${watch1.delivered}/50)`],
      ['watch delivery, 1,000 watchers', `p50 ${ms(watch1000.p50)}  p99 ${ms(watch1000.p99)}  (${watch1000.delivered}/50,000)`],
      ['watch cache heap per pod', gc ? `${heapPerPod.toFixed(0)} bytes` : 'run with --expose-gc'],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
  } finally {
    raw.close();
    await store.close();
    await withProgress.close();
    await etcd.destroy();
  }
}

await main();
