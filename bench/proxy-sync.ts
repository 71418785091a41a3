// Service proxy sync cost on real iptables in a namespace made for the run:
//  - full sync of N services × 2 endpoints through the Proxier, next to a plain
//    iptables-restore of the very same rules (the limit), for N = 1,000 and 5,000;
//  - time from an endpoint change to the new rule being in the kernel, at 5,000 services
//    (batching window included), measured by polling iptables-save.
// Usage: npx tsx bench/proxy-sync.ts [legacy|nft]

import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import type { EndpointSlice, Service } from '../api/types.js';
import { createLogger } from '../client/log.js';
import { createRunner, type Backend } from '../kubelet/proxy/iptables.js';
import { cleanupRules, Proxier } from '../kubelet/proxy/proxier.js';
import { emptyWritten, restorePlan } from '../kubelet/proxy/restore-plan.js';
import { createNetNs } from '../test/harness/netns.js';

const backend = (process.argv[2] ?? 'legacy') as Backend;
const log = createLogger('bench', 'silent');

function world(n: number): { services: Service[]; slices: EndpointSlice[] } {
  const services: Service[] = [];
  const slices: EndpointSlice[] = [];
  for (let i = 0; i < n; i++) {
    const name = `svc-${i}`;
    services.push({
      metadata: { name, namespace: 'bench' },
      spec: { clusterIP: `10.96.${Math.floor(i / 250)}.${(i % 250) + 1}`, type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30000 + (i % 2700) }] },
    });
    slices.push({
      metadata: { name: `${name}-x`, namespace: 'bench', labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: [{ addresses: [`10.244.${i % 250}.${2 + (i % 200)}`] }, { addresses: [`10.244.${i % 250}.${203 + (i % 50)}`] }],
    });
  }
  return { services, slices };
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

async function run(n: number): Promise<void> {
  const ns = createNetNs('bench');
  try {
    const state = world(n);
    const runner = createRunner({ backend, netnsPath: ns.path });
    const proxier = new Proxier({ runner, source: { services: () => state.services, endpointSlices: () => state.slices }, log, clusterCIDR: '10.244.0.0/16', minSyncPeriodMs: 0, syncPeriodMs: 3_600_000 });

    // The limit: the same rules as one plain restore, without the proxier's work around it.
    const plain = restorePlan({ desired: proxier.desired(), written: emptyWritten(), full: true }).text;
    let t = process.hrtime.bigint();
    execFileSync('nsenter', [`--net=${ns.path}`, `iptables-${backend}-restore`, '--noflush'], { input: plain });
    const plainMs = ms(t);
    await cleanupRules(runner);

    t = process.hrtime.bigint();
    await proxier.start();
    const firstMs = ms(t);
    t = process.hrtime.bigint();
    await proxier.sync(true);
    const resyncMs = ms(t);
    console.log(`${backend} ${n} services: plain restore ${plainMs.toFixed(0)} ms | proxier first full sync ${firstMs.toFixed(0)} ms | full resync ${resyncMs.toFixed(0)} ms | rules ${plain.split('\n').length} lines`);

    if (n >= 5000) {
      const samples: number[] = [];
      for (let k = 0; k < 5; k++) {
        const i = 17 + k * 101;
        const newIP = `10.244.251.${10 + k}`;
        state.slices[i] = { ...state.slices[i], endpoints: [{ addresses: [newIP] }] };
        const t0 = process.hrtime.bigint();
        proxier.requestSync();
        // Poll asynchronously: the proxier's batching timer runs on this same event loop.
        for (;;) {
          const { stdout } = await promisify(execFile)('nsenter', [`--net=${ns.path}`, `iptables-${backend}-save`, '-t', 'nat'], { encoding: 'utf8', maxBuffer: 1 << 28 });
          if (stdout.includes(`--to-destination ${newIP}:8080`)) break;
        }
        samples.push(ms(t0));
        await new Promise((r) => setTimeout(r, 300));
      }
      console.log(`${backend} ${n} services: endpoint change -> rule in place: ${samples.map((s) => s.toFixed(0)).join(', ')} ms (includes polling iptables-save)`);
    }
    proxier.stop();
    await cleanupRules(runner);
  } finally {
    ns.remove();
  }
}

for (const n of [1000, 5000]) await run(n);
