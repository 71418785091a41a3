// The HTTP layer's own cost, without etcd: the API server in-process on the test-only
// in-memory Store, so what is measured is TLS, routing, decoding, defaulting, admission,
// validation and encoding. Read beside bench/apiserver-core.ts (the same paths on etcd) to see
// how much of a request's time is the server and how much is storage.
//
//   npx tsx bench/http-layer.ts
//
// Prints: pod creates/s and p50/p99 at concurrency 32; get p50/p99; a list of 1,000 pods as
// JSON and as a Table (kubectl get); and watch delivery p50/p99 to 100 watchers.

import { Agent, request } from 'node:https';
import { createLogger } from '../client/log.js';
import { createCA, issueServingCert } from '../client/pki.js';
import { startApiServer } from '../apiserver/server.js';
import { MemoryStore } from '../apiserver/testing/memory-store.js';

const CONCURRENCY = 32;
const PODS = 2_000;
const WATCHERS = 100;
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

function stats(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
  return `p50 ${at(50).toFixed(1)} ms  p99 ${at(99).toFixed(1)} ms`;
}

async function main(): Promise<void> {
  const ca = await createCA('bench');
  const serving = await issueServingCert(ca, { commonName: 'apiserver', hosts: ['127.0.0.1'] });
  const server = await startApiServer({
    store: new MemoryStore(),
    bindAddress: '127.0.0.1',
    securePort: 0,
    servingCert: serving,
    tokens: new Map([['bench', { name: 'admin', groups: ['system:masters'] }]]),
    log: createLogger('bench', 'silent'),
    maxRequestsInflight: 0,
    maxMutatingRequestsInflight: 0,
  });
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY, ca: ca.certPem });
  const watchAgent = new Agent({ keepAlive: false, ca: ca.certPem });
  const base = server.url();

  const call = (method: string, path: string, body?: unknown, accept = 'application/json') =>
    new Promise<{ status: number; ms: number; text: string }>((resolve, reject) => {
      const t0 = performance.now();
      const req = request(`${base}${path}`, { method, agent, headers: { Authorization: 'Bearer bench', Accept: accept, 'Content-Type': 'application/json' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0, text: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });

  try {
    while ((await call('GET', '/api/v1/namespaces/default')).status !== 200) await new Promise((r) => setTimeout(r, 20));
    const pod = (i: number) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `pod-${i}`, labels: { app: 'bench' } }, spec: { containers: [{ name: 'c', image: 'busybox', ports: [{ containerPort: 80 }] }] } });

    let next = 0;
    const createMs: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < PODS) {
          const r = await call('POST', '/api/v1/namespaces/default/pods', pod(next++));
          if (r.status !== 201) throw new Error(`create answered ${r.status}: ${r.text}`);
          createMs.push(r.ms);
        }
      }),
    );
    const rate = PODS / ((performance.now() - t0) / 1000);
    console.log(`pod creates (c=${CONCURRENCY}, ${PODS.toLocaleString()}, memory store)  ${rate.toFixed(0)}/s  ${stats(createMs)}`);

    const getMs: number[] = [];
    for (let i = 0; i < 500; i++) getMs.push((await call('GET', `/api/v1/namespaces/default/pods/pod-${i}`)).ms);
    console.log(`get pod                                             ${stats(getMs)}`);

    for (const [what, accept] of [['JSON', 'application/json'], ['Table', TABLE]] as const) {
      const ms: number[] = [];
      for (let i = 0; i < 20; i++) ms.push((await call('GET', '/api/v1/namespaces/default/pods?limit=1000', undefined, accept)).ms);
      console.log(`list 1,000 pods as ${what.padEnd(5)}                            ${stats(ms)}`);
    }

    // Watch delivery: WATCHERS open watches; each create's event is timed at every watcher.
    const rv = JSON.parse((await call('GET', '/api/v1/namespaces/default/pods?limit=1')).text).metadata.resourceVersion as string;
    const sentAt = new Map<string, number>();
    const delivery: number[] = [];
    const watches = await Promise.all(
      Array.from({ length: WATCHERS }, () =>
        new Promise<() => void>((resolve, reject) => {
          const req = request(`${base}/api/v1/namespaces/default/pods?watch=1&resourceVersion=${rv}`, { agent: watchAgent, headers: { Authorization: 'Bearer bench' } }, (res) => {
            let buf = '';
            res.on('data', (d: Buffer) => {
              buf += d.toString();
              let nl;
              while ((nl = buf.indexOf('\n')) >= 0) {
                const name = (JSON.parse(buf.slice(0, nl)) as { object: { metadata: { name: string } } }).object.metadata.name;
                buf = buf.slice(nl + 1);
                const sent = sentAt.get(name);
                if (sent !== undefined) delivery.push(performance.now() - sent);
              }
            });
            resolve(() => req.destroy());
          });
          req.on('error', reject);
          req.end();
        }),
      ),
    );
    for (let i = 0; i < 50; i++) {
      const name = `watched-${i}`;
      sentAt.set(name, performance.now());
      await call('POST', '/api/v1/namespaces/default/pods', { ...pod(0), metadata: { name } });
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 500));
    console.log(`watch delivery, ${WATCHERS} watchers (${delivery.length}/${50 * WATCHERS} events)         ${stats(delivery)}`);
    watches.forEach((close) => close());
  } finally {
    agent.destroy();
    watchAgent.destroy();
    await server.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
