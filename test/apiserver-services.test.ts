// Service addresses: ClusterIPs and NodePorts allocated from the configured ranges and kept in
// etcd (concurrent creates never share one), requested ones honoured or refused with a clear
// error, released on delete; and the `kubernetes` Service the API server keeps for itself.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Endpoints, Service } from '../api/types.js';
import { testClient } from '../apiserver/testing/https-client.js';
import { startTestApiServer, type TestApiServer } from './harness/apiserver.js';
import { waitFor } from './harness/ports.js';

let api: TestApiServer;
let call: ReturnType<typeof testClient>;

beforeAll(async () => {
  // 10.97.0.0/29: 6 usable addresses, the first for `kubernetes`; 4 node ports.
  api = await startTestApiServer({ flags: { 'service-cluster-ip-range': '10.97.0.0/29', 'service-node-port-range': '30100-30103' } });
  call = testClient({ url: api.url, ca: readFileSync(api.caFile, 'utf8'), token: api.token });
});
afterAll(async () => api?.stop());

const svc = (name: string, spec: Service['spec']): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80 }], ...spec } });
const create = (s: Service) => call('POST', '/api/v1/namespaces/default/services', s);

describe('service address allocation', () => {
  it('keeps the kubernetes Service on the first address, pointing at the API server', async () => {
    await waitFor('the kubernetes service', async () => (await call('GET', '/api/v1/namespaces/default/endpoints/kubernetes')).status === 200, 15_000);
    const k = (await call('GET', '/api/v1/namespaces/default/services/kubernetes')).json as Service;
    expect(k.spec?.clusterIP).toBe('10.97.0.1');
    expect(k.spec?.ports?.[0]).toMatchObject({ name: 'https', port: 443 });
    const ep = (await call('GET', '/api/v1/namespaces/default/endpoints/kubernetes')).json as Endpoints;
    expect(ep.subsets?.[0].ports?.[0].port).toBe(Number(new URL(api.url).port));
    const slice = (await call('GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes')).status;
    expect(slice).toBe(200);
  });

  it('gives concurrent creates distinct addresses from the range', async () => {
    const results = await Promise.all(['a', 'b', 'c'].map((n) => create(svc(n, {}))));
    const ips = results.map((r) => (r.json as Service).spec?.clusterIP);
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(ips).size).toBe(3);
    for (const ip of ips) expect(ip).toMatch(/^10\.97\.0\.[2-6]$/);
    expect((results[0].json as Service).spec?.clusterIPs).toEqual([ips[0]]);
  });

  it('honours a requested address and refuses a taken or out-of-range one', async () => {
    const free = ['10.97.0.2', '10.97.0.3', '10.97.0.4', '10.97.0.5', '10.97.0.6'];
    const taken = new Set<string>();
    for (const n of ['a', 'b', 'c']) taken.add(((await call('GET', `/api/v1/namespaces/default/services/${n}`)).json as Service).spec!.clusterIP!);
    const want = free.find((ip) => !taken.has(ip))!;
    const ok = await create(svc('wanted', { clusterIP: want }));
    expect(ok.status).toBe(201);
    expect((ok.json as Service).spec?.clusterIP).toBe(want);
    const dup = await create(svc('dup', { clusterIP: want }));
    expect(dup.status).toBe(422);
    expect(dup.json.message).toContain('provided IP is already allocated');
    expect(dup.json.details.causes[0].field).toBe('spec.clusterIPs[0]');
    const out = await create(svc('out', { clusterIP: '10.98.0.9' }));
    expect(out.status).toBe(422);
    expect(out.json.message).toContain('The range of valid IPs is 10.97.0.0/29');
  });

  it('says so when the range is full, and frees an address when its Service goes', async () => {
    await create(svc('last', {}));
    const full = await create(svc('too-many', {}));
    expect(full.status).toBe(500);
    expect(full.json.message).toContain('no more IPs');
    const gone = ((await call('GET', '/api/v1/namespaces/default/services/wanted')).json as Service).spec!.clusterIP!;
    expect((await call('DELETE', '/api/v1/namespaces/default/services/wanted')).status).toBe(200);
    await waitFor('the address to be free again', async () => (await create(svc('reuse', { clusterIP: gone }))).status === 201, 10_000);
  });

  it('keeps headless services without an address', async () => {
    const h = await create(svc('headless', { clusterIP: 'None' }));
    expect(h.status).toBe(201);
    expect((h.json as Service).spec?.clusterIPs).toEqual(['None']);
  });

  it('allocates node ports, honours requested ones and refuses duplicates and strays', async () => {
    for (const n of ['a', 'b']) await call('DELETE', `/api/v1/namespaces/default/services/${n}`);
    await waitFor('addresses freed', async () => (await create(svc('np', { type: 'NodePort' }))).status === 201, 10_000);
    const np = ((await call('GET', '/api/v1/namespaces/default/services/np')).json as Service).spec!.ports![0].nodePort!;
    expect(np).toBeGreaterThanOrEqual(30100);
    expect(np).toBeLessThanOrEqual(30103);
    const dup = await create(svc('np2', { type: 'NodePort', ports: [{ port: 80, nodePort: np }] }));
    expect(dup.status).toBe(422);
    expect(dup.json.message).toContain('provided port is already allocated');
    const stray = await create(svc('np3', { type: 'NodePort', ports: [{ port: 80, nodePort: 31999 }] }));
    expect(stray.status).toBe(422);
    expect(stray.json.message).toContain('The range of valid ports is 30100-30103');
  });

  it('keeps the address and node ports when an update leaves them out', async () => {
    const np = (await call('GET', '/api/v1/namespaces/default/services/np')).json as Service;
    const replaced = await call('PUT', '/api/v1/namespaces/default/services/np', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'np', resourceVersion: np.metadata?.resourceVersion },
      spec: { type: 'NodePort', ports: [{ port: 80 }] },
    });
    expect(replaced.status, JSON.stringify(replaced.json)).toBe(200);
    expect((replaced.json as Service).spec?.clusterIP).toBe(np.spec?.clusterIP);
    expect((replaced.json as Service).spec?.ports?.[0].nodePort).toBe(np.spec?.ports?.[0].nodePort);
  });

  it('gives a Service switched to NodePort its node port on update', async () => {
    const c = ((await call('GET', '/api/v1/namespaces/default/services/c')).json as Service);
    const upd = await call('PUT', '/api/v1/namespaces/default/services/c', { ...c, spec: { ...c.spec, type: 'NodePort' } });
    expect(upd.status, JSON.stringify(upd.json)).toBe(200);
    expect((upd.json as Service).spec?.ports?.[0].nodePort).toBeGreaterThanOrEqual(30100);
  });
});
