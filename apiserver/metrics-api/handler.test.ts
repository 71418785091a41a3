import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createCA, issueServingCert, type KeyPair } from '../../client/pki.js';
import { createLogger } from '../../client/log.js';
import { startApiServer, type ApiServer } from '../server.js';
import { MemoryStore } from '../testing/memory-store.js';
import { testClient } from '../testing/https-client.js';
import { createKubeletTransport } from '../kubelet-transport.js';
import { ResourceRegistry } from '../../api/resources.js';
import { fetchSummary } from './summary.js';
import { startFakeSummaryKubelet, summaryOf, type FakeSummaryKubelet } from './testing/fake-summary-kubelet.js';

const TOKEN = 'metrics-test-token';
let server: ApiServer;
let call: ReturnType<typeof testClient>;
let kubeletCA: KeyPair;
let n1: FakeSummaryKubelet;
let n2: FakeSummaryKubelet;
let closedPort: number;

/** A port nothing listens on: taken, then released. */
async function unusedPort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function must(method: string, path: string, body?: unknown): Promise<void> {
  const r = await call(method, path, body);
  if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status}: ${r.text}`);
}

async function node(name: string, port: number, labels: Record<string, string>): Promise<void> {
  await must('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name, labels } });
  const r = await call('GET', `/api/v1/nodes/${name}`);
  await must('PUT', `/api/v1/nodes/${name}/status`, {
    ...(r.json as object),
    status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: port } } },
  });
}

async function pod(namespace: string, name: string, nodeName: string | undefined, labels: Record<string, string>): Promise<string> {
  const r = await call('POST', `/api/v1/namespaces/${namespace}/pods`, {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, labels },
    spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'app', image: 'busybox' }] },
  });
  if (r.status !== 201) throw new Error(`create pod ${name}: ${r.text}`);
  return (r.json as { metadata: { uid: string } }).metadata.uid;
}

beforeAll(async () => {
  const ca = await createCA('metrics-test-ca');
  kubeletCA = await createCA('metrics-kubelets-ca');
  n1 = await startFakeSummaryKubelet(undefined, kubeletCA);
  n2 = await startFakeSummaryKubelet(undefined, kubeletCA);
  closedPort = await unusedPort();
  const store = new MemoryStore();
  server = await startApiServer({
    store,
    bindAddress: '127.0.0.1',
    securePort: 0,
    servingCert: await issueServingCert(ca, { commonName: 'apiserver', hosts: ['127.0.0.1'] }),
    tokens: new Map([[TOKEN, { name: 'admin', groups: ['system:masters'] }]]),
    kubeletTLS: { ca: Buffer.from(kubeletCA.certPem) },
    log: createLogger('metrics-test', 'silent'),
  });
  call = testClient({ url: server.url(), ca: ca.certPem, token: TOKEN });
  for (let i = 0; i < 50 && (await call('GET', '/api/v1/namespaces/default')).status !== 200; i++) await new Promise((r) => setTimeout(r, 20));
  await must('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  await node('n1', n1.port, { zone: 'a' });
  await node('n2', n2.port, { zone: 'b' });
  await node('gone', closedPort, { zone: 'a' });
  const webUid = await pod('shop', 'web', 'n1', { app: 'web' });
  await pod('shop', 'db', 'n2', { app: 'db' });
  await pod('default', 'stale', 'n2', { app: 'web' });
  await pod('default', 'pending', undefined, { app: 'web' });
  await pod('default', 'lost', 'gone', { app: 'web' });
  n1.summary = summaryOf({ name: 'n1', nanoCores: 250_000_000, workingSet: 2 * 1024 ** 3 }, [
    { namespace: 'shop', name: 'web', uid: webUid, containers: [{ name: 'app', nanoCores: 1234567, workingSet: 12345 * 1024 }] },
  ]);
  n2.summary = summaryOf({ name: 'n2', nanoCores: 1_500_000_000, workingSet: 1536 * 1024 * 1024 }, [
    { namespace: 'shop', name: 'db', containers: [{ name: 'app', nanoCores: 5_000_000, workingSet: 64 * 1024 * 1024 }] },
    // A pod of the same name from before, with another UID: not this pod's figures.
    { namespace: 'default', name: 'stale', uid: 'old-uid', containers: [{ name: 'app', nanoCores: 1, workingSet: 1 }] },
  ]);
});
afterAll(async () => {
  await server?.close();
  await n1?.close();
  await n2?.close();
});

const M = '/apis/metrics.k8s.io/v1beta1';
const names = (body: { items: Array<{ metadata: { name: string } }> }) => body.items.map((i) => i.metadata.name).sort();

describe('metrics.k8s.io discovery', () => {
  it('lists the group and its two read-only kinds', async () => {
    const groups = (await call('GET', '/apis')).json as { groups: Array<{ name: string; preferredVersion: { groupVersion: string } }> };
    expect(groups.groups.find((g) => g.name === 'metrics.k8s.io')?.preferredVersion.groupVersion).toBe('metrics.k8s.io/v1beta1');
    const list = (await call('GET', M)).json as { resources: Array<Record<string, unknown>> };
    expect(list.resources).toEqual([
      { name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] },
      { name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] },
    ]);
    const agg = await call('GET', '/apis', undefined, { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' });
    const item = (agg.json as { items: Array<{ metadata: { name: string }; versions: Array<{ resources: Array<{ resource: string; scope: string }> }> }> }).items.find((i) => i.metadata.name === 'metrics.k8s.io');
    expect(item?.versions[0].resources.map((r) => `${r.resource}:${r.scope}`)).toEqual(['nodes:Cluster', 'pods:Namespaced']);
  });
});

describe('NodeMetrics', () => {
  it('lists the nodes whose kubelets answer, with usage from their summaries', async () => {
    const r = await call('GET', `${M}/nodes`);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ kind: 'NodeMetricsList', apiVersion: 'metrics.k8s.io/v1beta1' });
    expect(names(r.json)).toEqual(['n1', 'n2']);
    const byName = Object.fromEntries((r.json.items as Array<{ metadata: { name: string }; usage: unknown; window: string }>).map((i) => [i.metadata.name, i]));
    expect(byName.n1).toMatchObject({ usage: { cpu: '250m', memory: '2Gi' }, window: '10s', metadata: { labels: { zone: 'a' } } });
    expect(byName.n2).toMatchObject({ usage: { cpu: '1500m', memory: '1536Mi' } });
    expect(n1.requests.at(-1)).toBe('/stats/summary?only_cpu_and_memory=true');
  });

  it('filters by label selector', async () => {
    expect(names((await call('GET', `${M}/nodes?labelSelector=zone%3Da`)).json)).toEqual(['n1']);
    expect(names((await call('GET', `${M}/nodes?labelSelector=zone%21%3Da`)).json)).toEqual(['n2']);
  });

  it('gets one node, and NotFound for a node whose kubelet does not answer or that does not exist', async () => {
    const r = await call('GET', `${M}/nodes/n2`);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ kind: 'NodeMetrics', metadata: { name: 'n2' }, usage: { cpu: '1500m' } });
    for (const name of ['gone', 'nope']) {
      const miss = await call('GET', `${M}/nodes/${name}`);
      expect(miss.status).toBe(404);
      expect(miss.json).toMatchObject({ kind: 'Status', reason: 'NotFound' });
    }
  });
});

describe('PodMetrics', () => {
  it('lists measured pods in all namespaces, and in one', async () => {
    const all = await call('GET', `${M}/pods`);
    expect(all.json).toMatchObject({ kind: 'PodMetricsList' });
    expect(names(all.json)).toEqual(['db', 'web']);
    const shop = await call('GET', `${M}/namespaces/shop/pods`);
    expect(names(shop.json)).toEqual(['db', 'web']);
    expect(names((await call('GET', `${M}/namespaces/default/pods`)).json)).toEqual([]);
  });

  it('filters by field selector, and refuses a bad selector with 400', async () => {
    expect(names((await call('GET', `${M}/pods?fieldSelector=spec.nodeName%3Dn2`)).json)).toEqual(['db']);
    expect((await call('GET', `${M}/pods?labelSelector=app%3D%3D%3D`)).status).toBe(400);
  });

  it('filters by label selector, as kubectl top pod -l sends it', async () => {
    const r = await call('GET', `${M}/namespaces/shop/pods?labelSelector=app%3Dweb`);
    expect(r.json.items).toEqual([
      expect.objectContaining({
        metadata: expect.objectContaining({ name: 'web', namespace: 'shop', labels: { app: 'web' } }),
        window: '10s',
        containers: [{ name: 'app', usage: { cpu: '1234567n', memory: '12345Ki' } }],
      }),
    ]);
  });

  it('gets one pod; NotFound when it is unscheduled, on a silent node, or stats belong to an older pod', async () => {
    expect((await call('GET', `${M}/namespaces/shop/pods/db`)).json).toMatchObject({ kind: 'PodMetrics', containers: [{ name: 'app', usage: { cpu: '5m', memory: '64Mi' } }] });
    for (const name of ['pending', 'lost', 'stale', 'nope']) {
      expect((await call('GET', `${M}/namespaces/default/pods/${name}`)).status).toBe(404);
    }
  });

  it('refuses writes and watches with 405', async () => {
    for (const [method, path] of [
      ['POST', `${M}/namespaces/shop/pods`],
      ['DELETE', `${M}/nodes/n1`],
      ['PUT', `${M}/nodes/n1`],
      ['GET', `${M}/nodes?watch=true`],
    ]) {
      const r = await call(method, path, method === 'GET' || method === 'DELETE' ? undefined : { apiVersion: 'metrics.k8s.io/v1beta1', kind: 'NodeMetrics', metadata: { name: 'n1' } });
      expect(r.status, `${method} ${path}`).toBe(405);
      expect(r.json).toMatchObject({ kind: 'Status', reason: 'MethodNotAllowed' });
    }
  });
});

describe('fetchSummary', () => {
  it('gives up on a kubelet that does not answer within the deadline', async () => {
    const slow = await startFakeSummaryKubelet({}, kubeletCA);
    slow.hang = true;
    try {
      const transport = { kubeletURL: () => Promise.resolve(new URL(`https://127.0.0.1:${slow.port}`)), tlsOptions: () => ({ ca: Buffer.from(kubeletCA.certPem) }) };
      const start = Date.now();
      await expect(fetchSummary(transport, 'slow', 200)).rejects.toThrow('did not answer within 200ms');
      expect(Date.now() - start).toBeLessThan(2000);
    } finally {
      await slow.close();
    }
  });

  it('refuses a kubelet whose certificate the CA did not sign', async () => {
    const other = await startFakeSummaryKubelet(summaryOf({ name: 'x', nanoCores: 1, workingSet: 1 }, []));
    try {
      const transport = createKubeletTransport(new MemoryStore(), new ResourceRegistry(), { ca: Buffer.from(kubeletCA.certPem) });
      transport.kubeletURL = () => Promise.resolve(new URL(`https://127.0.0.1:${other.port}`));
      await expect(fetchSummary(transport, 'x', 1000)).rejects.toThrow();
    } finally {
      await other.close();
    }
  });
});
