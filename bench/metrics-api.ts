// metrics.k8s.io answered live: the API server in-process on the in-memory Store, with NODES
// kubelet stand-ins (HTTPS on 127.0.0.1) serving summaries of PODS_PER_NODE pods each. What
// is measured is the fan-out to every kubelet (in parallel), parsing and conversion: what
// `kubectl top nodes` and `kubectl top pods -A` cost the API server on a cluster this size.
//
//   npx tsx bench/metrics-api.ts
//
// Prints: p50/p99 of list nodes, list pods in all namespaces, list pods by label, get one
// pod; and how long a node list takes when one kubelet never answers (bounded by the deadline).

import { createLogger } from '../client/log.js';
import { createCA, issueServingCert } from '../client/pki.js';
import { startApiServer } from '../apiserver/server.js';
import { MemoryStore } from '../apiserver/testing/memory-store.js';
import { testClient } from '../apiserver/testing/https-client.js';
import { startFakeSummaryKubelet, summaryOf, type FakeSummaryKubelet } from '../apiserver/metrics-api/testing/fake-summary-kubelet.js';

const NODES = 50;
const PODS_PER_NODE = 30;
const ROUNDS = 30;

function stats(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
  return `p50 ${at(50).toFixed(1)} ms  p99 ${at(99).toFixed(1)} ms`;
}

async function main(): Promise<void> {
  const ca = await createCA('bench');
  const kubeletCA = await createCA('bench-kubelets');
  const server = await startApiServer({
    store: new MemoryStore(),
    bindAddress: '127.0.0.1',
    securePort: 0,
    servingCert: await issueServingCert(ca, { commonName: 'apiserver', hosts: ['127.0.0.1'] }),
    tokens: new Map([['bench', { name: 'admin', groups: ['system:masters'] }]]),
    kubeletTLS: { ca: Buffer.from(kubeletCA.certPem) },
    log: createLogger('bench', 'silent'),
    maxRequestsInflight: 0,
    maxMutatingRequestsInflight: 0,
  });
  const call = testClient({ url: server.url(), ca: ca.certPem, token: 'bench' });
  const must = async (method: string, path: string, body?: unknown) => {
    const r = await call(method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status}: ${r.text}`);
    return r.json as { metadata: { uid: string } };
  };
  const kubelets: FakeSummaryKubelet[] = [];
  try {
    for (let i = 0; i < 50 && (await call('GET', '/api/v1/namespaces/default')).status !== 200; i++) await new Promise((r) => setTimeout(r, 20));
    for (let n = 0; n < NODES; n++) {
      const kubelet = await startFakeSummaryKubelet(undefined, kubeletCA);
      kubelets.push(kubelet);
      const name = `node-${n}`;
      const node = await must('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name } });
      await must('PUT', `/api/v1/nodes/${name}/status`, { ...node, status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: kubelet.port } } } });
      const pods = [];
      for (let p = 0; p < PODS_PER_NODE; p++) {
        const pod = `pod-${n}-${p}`;
        const created = await must('POST', '/api/v1/namespaces/default/pods', {
          apiVersion: 'v1', kind: 'Pod', metadata: { name: pod, labels: { app: `app-${p % 10}` } },
          spec: { nodeName: name, containers: [{ name: 'app', image: 'busybox' }, { name: 'side', image: 'busybox' }] },
        });
        pods.push({ namespace: 'default', name: pod, uid: created.metadata.uid, containers: [{ name: 'app', nanoCores: 1e6 * (p + 1), workingSet: 1024 * 1024 * (p + 1) }, { name: 'side', nanoCores: 5e5, workingSet: 4096 }] });
      }
      kubelet.summary = summaryOf({ name, nanoCores: 1e9, workingSet: 2 ** 31 }, pods);
    }

    const time = async (path: string, want: number): Promise<string> => {
      const samples: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const t0 = performance.now();
        const r = await call('GET', path);
        samples.push(performance.now() - t0);
        const got = (r.json as { items?: unknown[] }).items?.length ?? (r.status === 200 ? 1 : 0);
        if (got !== want) throw new Error(`${path}: ${got} items, want ${want}`);
      }
      return stats(samples);
    };
    const M = '/apis/metrics.k8s.io/v1beta1';
    console.log(`${NODES} nodes, ${NODES * PODS_PER_NODE} pods (2 containers each), ${ROUNDS} rounds`);
    console.log(`list nodes (top nodes):          ${await time(`${M}/nodes`, NODES)}`);
    console.log(`list pods -A (top pods -A):      ${await time(`${M}/pods`, NODES * PODS_PER_NODE)}`);
    console.log(`list pods -l app=app-3:          ${await time(`${M}/pods?labelSelector=app%3Dapp-3`, NODES * (PODS_PER_NODE / 10))}`);
    console.log(`get one pod:                     ${await time(`${M}/namespaces/default/pods/pod-7-7`, 1)}`);
    kubelets[0].hang = true;
    const t0 = performance.now();
    const r = await call('GET', `${M}/nodes`);
    console.log(`list nodes, one kubelet silent:  ${(performance.now() - t0).toFixed(0)} ms, ${(r.json as { items: unknown[] }).items.length} of ${NODES} nodes`);
  } finally {
    await server.close();
    for (const k of kubelets) await k.close();
  }
}

await main();
