// Cluster DNS answer latency: the node-local DNS server loaded with 5,000 services (1,000 of
// them headless with 3 endpoints each), asked over UDP on loopback by an independent resolver
// (Node's c-ares), one query at a time and 50 in flight. Prints p50/p99 per mix.
// Usage: npx tsx bench/dns.ts

import { Resolver } from 'node:dns/promises';
import type { EndpointSlice, Service } from '../api/types.js';
import { createLogger } from '../client/log.js';
import { listSource } from '../kubelet/dns/records.js';
import { DnsServer } from '../kubelet/dns/server.js';
import { freePort } from '../test/harness/ports.js';

const services: Service[] = [];
const slices: EndpointSlice[] = [];
for (let i = 0; i < 5000; i++) {
  const headless = i % 5 === 0;
  services.push({ metadata: { name: `svc-${i}`, namespace: `ns-${i % 50}` }, spec: { clusterIP: headless ? 'None' : `10.96.${Math.floor(i / 250)}.${(i % 250) + 1}`, ports: [{ name: 'http', port: 80 }] } });
  if (headless) {
    slices.push({
      metadata: { name: `svc-${i}-x`, namespace: `ns-${i % 50}`, labels: { 'kubernetes.io/service-name': `svc-${i}` } },
      addressType: 'IPv4',
      endpoints: [1, 2, 3].map((k) => ({ addresses: [`10.244.${i % 250}.${k + 1}`] })),
    });
  }
}

const port = await freePort();
const server = new DnsServer({ address: '127.0.0.1', port, source: listSource(services, slices), log: createLogger('bench', 'silent') });
await server.start();
const resolver = new Resolver({ timeout: 2000, tries: 1 });
resolver.setServers([`127.0.0.1:${port}`]);

function pct(xs: number[], p: number): string {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))].toFixed(2);
}

async function measure(label: string, n: number, concurrency: number, query: (i: number) => Promise<unknown>): Promise<void> {
  const times: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const t = process.hrtime.bigint();
      await query(i).catch(() => undefined);
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  console.log(`${label}, ${n} queries at concurrency ${concurrency}: p50 ${pct(times, 50)} ms, p99 ${pct(times, 99)} ms, ${Math.round(n / ((Date.now() - started) / 1000))} answers/s`);
}

const name = (i: number) => `svc-${i % 5000}.ns-${i % 50}.svc.cluster.local`;
await measure('A, ClusterIP and headless mix', 5000, 1, (i) => resolver.resolve4(name(i * 7)));
await measure('A, ClusterIP and headless mix', 20000, 50, (i) => resolver.resolve4(name(i * 7)));
await measure('NXDOMAIN (search-path misses)', 5000, 50, (i) => resolver.resolve4(`${name(i)}.default.svc.cluster.local`));
await measure('SRV', 5000, 50, (i) => resolver.resolveSrv(`_http._tcp.${name(i)}`));
await server.stop();
