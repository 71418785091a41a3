// The API server's core figures, side by side with raw etcd in the same run:
//   - pod creates/s and p50/p99 at concurrency 32 for 1,000 pods: straight into etcd with
//     etcd3 (the same create transaction the store uses), then through the API server;
//   - lists of 1,000 and 10,000 pods (consistent, rv unset; and rv=0), p50/p99;
//   - watch delivery latency (create sent -> event received) with 1 and 1,000 watchers;
//   - the API server's RSS idle, with 10,000 pods, and with 1,000 watchers.
// The API server runs as its own process (`apiserver/main.ts`), so its RSS is its own.
//
//   npx tsx bench/apiserver-core.ts
//   SKIFF_BENCH_APISERVER=dist/apiserver/main.js npx tsx bench/apiserver-core.ts   (after npm run build)

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request, type RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { createCA, issueServingCert, writePair } from '../client/pki.js';
import { startEtcd } from '../test/harness/etcd.js';
import { freePort, waitFor } from '../test/harness/ports.js';

const CONCURRENCY = 32;
const WATCH_EVENTS = 50;

interface Api {
  url: string;
  agent: Agent;
  watchAgent: Agent;
  headers: Record<string, string>;
  ca: string;
}

function pod(name: string, namespace: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: 'bench', tier: 'web' } },
    spec: { containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'], resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
  };
}

function call(api: Api, method: string, path: string, body?: object): Promise<{ status: number; text: string }> {
  const payload = body ? JSON.stringify(body) : undefined;
  const opts: RequestOptions = {
    method,
    agent: api.agent,
    ca: api.ca,
    headers: { ...api.headers, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
  };
  return new Promise((resolve, reject) => {
    const req = request(`${api.url}${path}`, opts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

async function must(api: Api, method: string, path: string, body?: object): Promise<string> {
  const res = await call(api, method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text.slice(0, 300)}`);
  return res.text;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function stats(samples: number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

/** Runs `count` operations with `concurrency` in flight; per-operation latencies and the rate. */
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
  const seconds = (performance.now() - started) / 1000;
  return { rate: count / seconds, ...stats(latencies) };
}

function rssMB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1]) / 1024;
}

/** Opens a watch and calls `onEvent` with each event line's object name and type. */
function openWatch(api: Api, path: string, onEvent: (name: string, type: string) => void): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const req = request(`${api.url}${path}`, { agent: api.watchAgent, ca: api.ca, headers: api.headers }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`watch ${path}: ${res.statusCode}`));
      let buffered = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          if (!line) continue;
          const e = JSON.parse(line) as { type: string; object: { metadata?: { name?: string } } };
          onEvent(e.object.metadata?.name ?? '', e.type);
        }
      });
      res.on('error', () => undefined);
      resolve(() => req.destroy());
    });
    req.on('error', reject);
    req.end();
  });
}

async function watchLatency(api: Api, watchers: number, round: number): Promise<{ p50: number; p99: number; delivered: number }> {
  const namespace = 'bench-watch';
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const listed = JSON.parse(await must(api, 'GET', `/api/v1/namespaces/${namespace}/pods`)) as { metadata: { resourceVersion: string } };
  const path = `/api/v1/namespaces/${namespace}/pods?watch=1&resourceVersion=${listed.metadata.resourceVersion}`;
  const closers: (() => void)[] = [];
  for (let i = 0; i < watchers; i += 100) {
    closers.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(100, watchers - i) }, () =>
          openWatch(api, path, (name, type) => {
            const sent = sentAt.get(name);
            if (type === 'ADDED' && sent !== undefined) latencies.push(performance.now() - sent);
          }),
        ),
      )),
    );
  }
  try {
    for (let i = 0; i < WATCH_EVENTS; i++) {
      const name = `w${round}-${i}`;
      sentAt.set(name, performance.now());
      await must(api, 'POST', `/api/v1/namespaces/${namespace}/pods`, pod(name, namespace));
      await new Promise((r) => setTimeout(r, 20));
    }
    await waitFor('every watcher to see every event', () => latencies.length >= watchers * WATCH_EVENTS, 30_000, 50).catch(() => undefined);
    return { ...stats(latencies), delivered: latencies.length };
  } finally {
    for (const close of closers) close();
  }
}

async function startApiServerProcess(etcdEndpoint: string, dir: string): Promise<{ api: Api; child: ChildProcess }> {
  const ca = await createCA('skiff-bench-ca');
  const caFile = writePair(dir, 'ca', ca).certFile;
  const serving = writePair(dir, 'apiserver', await issueServingCert(ca, { commonName: 'kube-apiserver', hosts: ['127.0.0.1'] }));
  const token = randomBytes(24).toString('hex');
  const tokenFile = join(dir, 'tokens.csv');
  writeFileSync(tokenFile, `${token},admin,admin-uid,"system:masters"\n`, { mode: 0o600 });
  const port = await freePort();
  // SKIFF_BENCH_APISERVER=dist/apiserver/main.js measures the compiled server (no tsx in its RSS).
  const entry = process.env.SKIFF_BENCH_APISERVER ? [process.env.SKIFF_BENCH_APISERVER] : ['--import', 'tsx', 'apiserver/main.ts'];
  const child = spawn(
    process.execPath,
    [
      ...entry,
      `--etcd-servers=${etcdEndpoint}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${port}`,
      '--advertise-address=127.0.0.1',
      `--tls-cert-file=${serving.certFile}`,
      `--tls-private-key-file=${serving.keyFile}`,
      `--client-ca-file=${caFile}`,
      `--token-auth-file=${tokenFile}`,
      `--cert-dir=${dir}`,
      '--max-requests-inflight=0',
      '--max-mutating-requests-inflight=0',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, SKIFF_LOG_LEVEL: 'warn' } },
  );
  const api: Api = {
    url: `https://127.0.0.1:${port}`,
    agent: new Agent({ keepAlive: true, maxSockets: 64 }),
    watchAgent: new Agent({ keepAlive: false, maxSockets: Infinity }),
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    ca: ca.certPem,
  };
  await waitFor('the API server', async () => (await call(api, 'GET', '/api/v1/namespaces/default')).status === 200, 60_000, 200);
  return { api, child };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-'));
  const etcd = await startEtcd('process');
  const raw = new Etcd3({ hosts: etcd.endpoint });
  let child: ChildProcess | undefined;
  try {
    const started = await startApiServerProcess(etcd.endpoint, dir);
    child = started.child;
    const api = started.api;
    const pid = child.pid as number;
    await new Promise((r) => setTimeout(r, 1_000));
    const rssIdle = rssMB(pid);
    for (const ns of ['bench', 'bench-watch']) await must(api, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });

    // Raw etcd: the create transaction (key never created -> put), from this process.
    const rawCreates = await run(1_000, CONCURRENCY, (i) => {
      const key = `/bench-raw/pods/bench/p${i}`;
      return raw.if(key, 'Create', '==', 0).then(raw.put(key).value(JSON.stringify(pod(`p${i}`, 'bench')))).commit();
    });
    await raw.delete().prefix('/bench-raw/');
    const apiCreates = await run(1_000, CONCURRENCY, (i) => must(api, 'POST', '/api/v1/namespaces/bench/pods', pod(`p${i}`, 'bench')));

    const list = async (n: number, query: string) => (await run(n, 1, () => must(api, 'GET', `/api/v1/namespaces/bench/pods${query}`))) as { p50: number; p99: number };
    const list1kConsistent = await list(30, '');
    const list1kAny = await list(30, '?resourceVersion=0');

    const more = await run(9_000, CONCURRENCY, (i) => must(api, 'POST', '/api/v1/namespaces/bench/pods', pod(`q${i}`, 'bench')));
    const count = (JSON.parse(await must(api, 'GET', '/api/v1/namespaces/bench/pods?resourceVersion=0')) as { items: unknown[] }).items.length;
    const list10kConsistent = await list(10, '');
    const list10kAny = await list(10, '?resourceVersion=0');
    const rss10k = rssMB(pid);

    const watch1 = await watchLatency(api, 1, 1);
    const watch1000 = await watchLatency(api, 1_000, 2);
    const rssWatchers = rssMB(pid);

    const rows: [string, string][] = [
      ['raw etcd creates (etcd3 txn, c=32, 1,000)', `${rawCreates.rate.toFixed(0)}/s  p50 ${ms(rawCreates.p50)}  p99 ${ms(rawCreates.p99)}`],
      ['API server pod creates (c=32, 1,000)', `${apiCreates.rate.toFixed(0)}/s  p50 ${ms(apiCreates.p50)}  p99 ${ms(apiCreates.p99)}  (${((100 * apiCreates.rate) / rawCreates.rate).toFixed(0)}% of raw)`],
      ['API server pod creates (c=32, next 9,000)', `${more.rate.toFixed(0)}/s  p50 ${ms(more.p50)}  p99 ${ms(more.p99)}`],
      ['list 1,000 pods, consistent (rv unset)', `p50 ${ms(list1kConsistent.p50)}  p99 ${ms(list1kConsistent.p99)}`],
      ['list 1,000 pods, rv=0', `p50 ${ms(list1kAny.p50)}  p99 ${ms(list1kAny.p99)}`],
      [`list ${count.toLocaleString('en')} pods, consistent (rv unset)`, `p50 ${ms(list10kConsistent.p50)}  p99 ${ms(list10kConsistent.p99)}`],
      [`list ${count.toLocaleString('en')} pods, rv=0`, `p50 ${ms(list10kAny.p50)}  p99 ${ms(list10kAny.p99)}`],
      ['watch delivery, 1 watcher', `p50 ${ms(watch1.p50)}  p99 ${ms(watch1.p99)}  (${watch1.delivered}/${WATCH_EVENTS} events)`],
      ['watch delivery, 1,000 watchers', `p50 ${ms(watch1000.p50)}  p99 ${ms(watch1000.p99)}  (${watch1000.delivered}/${1_000 * WATCH_EVENTS} events)`],
      ['API server RSS idle', `${rssIdle.toFixed(0)} MB`],
      ['API server RSS with 10,000 pods', `${rss10k.toFixed(0)} MB`],
      ['API server RSS after 1,000 watchers', `${rssWatchers.toFixed(0)} MB`],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
  } finally {
    raw.close();
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child?.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await etcd.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
