// The API server's core figures, side by side with raw etcd in the same run:
//   - pod creates/s and p50/p99 at concurrency 32 for 1,000 pods: straight into etcd with
//     etcd3 (the same create transaction the store uses), then through the API server;
//   - lists of 1,000 and 10,000 pods (consistent, rv unset; and rv=0), p50/p99;
//   - watch delivery latency (create sent -> event received) with 1 and 1,000 watchers;
//   - the API server's RSS idle, with 10,000 pods, and with 1,000 watchers.
// The API server runs as its own process (bench/apiserver-process.ts), so its RSS is its own.
//
//   npx tsx bench/apiserver-core.ts
//   SKIFF_BENCH_APISERVER=dist/apiserver/main.js npx tsx bench/apiserver-core.ts   (after npm run build)

import { readFileSync } from 'node:fs';
import { Agent, request, type RequestOptions } from 'node:https';
import { cpus, loadavg } from 'node:os';
import { Etcd3 } from 'etcd3';
import { waitFor } from '../test/harness/ports.js';
import { startApiServerProcess } from './apiserver-process.js';

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

/** CPU seconds the process has used (user + system). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / Number(process.env.CLK_TCK ?? 100);
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

async function main(): Promise<void> {
  const server = await startApiServerProcess();
  const raw = new Etcd3({ hosts: server.etcd.endpoint });
  try {
    const api: Api = {
      url: server.url,
      agent: new Agent({ keepAlive: true, maxSockets: 64 }),
      watchAgent: new Agent({ keepAlive: false, maxSockets: Infinity }),
      headers: { authorization: `Bearer ${server.token}`, accept: 'application/json' },
      ca: server.ca,
    };
    const pid = server.pid;
    const loadStart = loadavg()[0];
    process.stdout.write(`API server: ${server.compiled ? 'compiled, plain node' : 'from source through tsx'}\n`);
    await new Promise((r) => setTimeout(r, 1_000));
    const rssIdle = rssMB(pid);
    for (const ns of ['bench', 'bench-watch']) await must(api, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });

    // Raw etcd: the create transaction (key never created -> put), from this process.
    const rawCreates = await run(1_000, CONCURRENCY, (i) => {
      const key = `/bench-raw/pods/bench/p${i}`;
      return raw.if(key, 'Create', '==', 0).then(raw.put(key).value(JSON.stringify(pod(`p${i}`, 'bench')))).commit();
    });
    await raw.delete().prefix('/bench-raw/');
    const cpuBefore = cpuSeconds(pid);
    const apiCreates = await run(1_000, CONCURRENCY, (i) => must(api, 'POST', '/api/v1/namespaces/bench/pods', pod(`p${i}`, 'bench')));

    const cpuFirst = cpuSeconds(pid) - cpuBefore;

    const list = async (n: number, query: string) => (await run(n, 1, () => must(api, 'GET', `/api/v1/namespaces/bench/pods${query}`))) as { p50: number; p99: number };
    const list1kConsistent = await list(30, '');
    const list1kAny = await list(30, '?resourceVersion=0');

    const cpuBeforeMore = cpuSeconds(pid);
    const more = await run(9_000, CONCURRENCY, (i) => must(api, 'POST', '/api/v1/namespaces/bench/pods', pod(`q${i}`, 'bench')));
    const cpuMore = cpuSeconds(pid) - cpuBeforeMore;
    const count = (JSON.parse(await must(api, 'GET', '/api/v1/namespaces/bench/pods?resourceVersion=0')) as { items: unknown[] }).items.length;
    const list10kConsistent = await list(10, '');
    const list10kAny = await list(10, '?resourceVersion=0');
    const rss10k = rssMB(pid);

    const watch1 = await watchLatency(api, 1, 1);
    const watch1000 = await watchLatency(api, 1_000, 2);
    const rssWatchers = rssMB(pid);

    const rows: [string, string][] = [
      ['raw etcd creates (etcd3 txn, c=32, 1,000)', `${rawCreates.rate.toFixed(0)}/s  p50 ${ms(rawCreates.p50)}  p99 ${ms(rawCreates.p99)}`],
      ['API server pod creates (c=32, 1,000)', `${apiCreates.rate.toFixed(0)}/s  p50 ${ms(apiCreates.p50)}  p99 ${ms(apiCreates.p99)}  (${((100 * apiCreates.rate) / rawCreates.rate).toFixed(0)}% of raw)  server CPU ${((1000 * cpuFirst) / 1_000).toFixed(2)} ms/create`],
      ['API server pod creates (c=32, next 9,000)', `${more.rate.toFixed(0)}/s  p50 ${ms(more.p50)}  p99 ${ms(more.p99)}  server CPU ${((1000 * cpuMore) / 9_000).toFixed(2)} ms/create`],
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
    rows.push(['load average (1 min) at start / end', `${loadStart.toFixed(2)} / ${loadavg()[0].toFixed(2)} on ${cpus().length} cores`]);
    const width = Math.max(...rows.map(([k]) => k.length));
    for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
  } finally {
    raw.close();
    await server.stop();
  }
}

await main();
