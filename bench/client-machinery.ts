// Throughput of the client machinery every component stands on: decoding a watch stream,
// the work queue, an informer syncing and following changes (on the in-memory fake, so the
// figure is the informer's own cost), and REST round trips over a kept-alive connection to
// a loopback server that answers at once (the client's own overhead per request).
// Run: npx tsx bench/client-machinery.ts

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pod } from '../api/types.js';
import { FakeApiClient } from '../client/fake.js';
import { createInformer } from '../client/informer.js';
import { createLogger } from '../client/log.js';
import { ExponentialBackoffLimiter } from '../client/rate-limiter.js';
import { RestClient } from '../client/rest.js';
import { WatchLineDecoder } from '../client/watch.js';
import { RateLimitingQueue } from '../client/workqueue.js';

const silent = createLogger('bench', 'silent');

function pod(i: number): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `web-${i}`, namespace: `ns-${i % 20}`, labels: { app: 'web', tier: 'front', 'pod-template-hash': '5d8f7c9b6' }, resourceVersion: String(i + 1), uid: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}` },
    spec: {
      nodeName: `node-${i % 50}`,
      containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }], resources: { requests: { cpu: '100m', memory: '64Mi' } } }],
    },
    status: { phase: 'Running', podIP: `10.244.${i % 250}.${i % 200}`, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

function report(name: string, count: number, unit: string, ms: number, extra = ''): void {
  console.log(`${name.padEnd(44)} ${Math.round((count / ms) * 1000).toLocaleString('en-US').padStart(12)} ${unit}/s  (${count} in ${ms.toFixed(0)} ms)${extra}`);
}

function benchDecoder(): void {
  const lines = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ type: 'MODIFIED', object: pod(i) })).join('\n') + '\n';
  const body = Buffer.from(lines);
  // The floor: JSON.parse of the same lines, already split.
  const split = lines.split('\n').filter((l) => l !== '');
  const t0 = performance.now();
  for (const l of split) JSON.parse(l);
  report('JSON.parse of the same lines (baseline)', split.length, 'events', performance.now() - t0);
  for (const chunk of [16 * 1024, 512]) {
    const start = performance.now();
    const d = new WatchLineDecoder();
    let n = 0;
    for (let i = 0; i < body.length; i += chunk) n += d.push(body.subarray(i, i + chunk)).length;
    n += d.end().length;
    const ms = performance.now() - start;
    report(`watch decode, ${chunk} B chunks`, n, 'events', ms, `, ${((body.length / 1e6 / ms) * 1000).toFixed(0)} MB/s`);
  }
}

async function benchQueue(): Promise<void> {
  const q = new RateLimitingQueue<string>({ rateLimiter: new ExponentialBackoffLimiter(5, 1000) });
  const keys = Array.from({ length: 10_000 }, (_, i) => `ns/obj-${i}`);
  const rounds = 50;
  const start = performance.now();
  let processed = 0;
  for (let r = 0; r < rounds; r++) {
    // Each key added three times per round (dedup keeps one), then drained by a worker.
    for (const k of keys) {
      q.add(k);
      q.add(k);
      q.add(k);
    }
    while (q.len() > 0) {
      const k = (await q.get())!;
      q.done(k);
      processed++;
    }
  }
  report('work queue add×3 + get + done', processed, 'keys', performance.now() - start);
  q.shutDown();
}

async function benchInformer(): Promise<void> {
  const n = 10_000;
  // Fixtures without the server-set fields, which the fake assigns.
  const fixtures = Array.from({ length: n }, (_, i) => {
    const p = pod(i);
    return { ...p, metadata: { name: p.metadata!.name, namespace: p.metadata!.namespace, labels: p.metadata!.labels } };
  });
  const fake = new FakeApiClient({ objects: fixtures });
  const informer = createInformer<Pod>(fake, fake.for('pods').type, { logger: silent });
  informer.addIndex('nodeName', (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []));
  let updates = 0;
  informer.addEventHandler({ onUpdate: () => updates++ });
  let start = performance.now();
  informer.start();
  await informer.waitForSync();
  report('informer initial list (pages of 500)', n, 'objects', performance.now() - start);
  const pods = fake.for<Pod>('pods');
  let current = (await pods.list(undefined)).items;
  // The fake's own cost per write, with the informer stopped from hearing of them.
  const bare = new FakeApiClient({ objects: fixtures });
  const barePods = bare.for<Pod>('pods');
  start = performance.now();
  for (const p of (await barePods.list(undefined)).items) await barePods.update({ ...p, status: { ...p.status, phase: 'Succeeded' } });
  report('fake updates alone (baseline)', n, 'writes', performance.now() - start);
  current = (await pods.list(undefined)).items;
  start = performance.now();
  for (const p of current) await pods.update({ ...p, status: { ...p.status, phase: 'Succeeded' } });
  while (updates < n) await new Promise((r) => setImmediate(r));
  report('informer updates (fake writes included)', n, 'events', performance.now() - start);
  informer.stop();
}

async function benchRest(): Promise<void> {
  const body = JSON.stringify(pod(1));
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new RestClient({ server: url, insecureSkipTLSVerify: false, namespace: 'default', token: 't' }, { logger: silent });
  const pods = client.for<Pod>('pods');
  const total = 5_000;
  // The same round trip with bare node:http on a keep-alive agent: the floor this machine sets.
  const agent = new http.Agent({ keepAlive: true });
  const path = `${url}/api/v1/namespaces/default/pods/web-1`;
  const bare = () => new Promise<void>((resolve, reject) => {
    http.get(path, { agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        JSON.parse(Buffer.concat(chunks).toString());
        resolve();
      });
    }).on('error', reject);
  });
  for (const concurrency of [1, 32]) {
    for (const [name, call] of [['RestClient GET', () => pods.get('default', 'web-1')], ['bare node:http GET', bare]] as const) {
      let next = 0;
      const start = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < total) {
            next++;
            await call();
          }
        }),
      );
      report(`${name}, ${concurrency} in flight (loopback)`, total, 'requests', performance.now() - start);
    }
  }
  agent.destroy();
  client.close();
  await new Promise<void>((r) => server.close(() => r()));
}

console.log(`client machinery, node ${process.version}`);
benchDecoder();
await benchQueue();
await benchInformer();
await benchRest();
