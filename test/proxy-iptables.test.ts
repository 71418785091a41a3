// The service proxy against real iptables (legacy backend) and real traffic: a node namespace
// with a bridge and stand-in pods running busybox httpd, as the kubelet's proxy sees them.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndpointSlice, Service } from '../api/types.js';
import { createLogger } from '../client/log.js';
import { createRunner } from '../kubelet/proxy/iptables.js';
import { cleanupRules, Proxier } from '../kubelet/proxy/proxier.js';
import { createFakeNode, type FakeNode, type FakePod } from './harness/fake-pods.js';
import { waitFor } from './harness/ports.js';

const CLUSTER_IP = '10.96.0.10';
const log = createLogger('proxy-test', 'silent');

function webService(): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { type: 'NodePort', clusterIP: CLUSTER_IP, ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }] },
  };
}

function webSlice(pods: FakePod[]): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-x1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: pods.map((p) => ({ addresses: [p.ip], conditions: { ready: true } })),
  };
}

describe('service proxy on real iptables', () => {
  let node: FakeNode;
  let web: FakePod[];
  let client: FakePod;
  const state = { services: [webService()], slices: [] as EndpointSlice[] };
  const source = { services: () => state.services, endpointSlices: () => state.slices };
  let runner: ReturnType<typeof createRunner>;
  let proxier: Proxier;
  let syncs = 0;

  const newProxier = () => {
    const p = new Proxier({ runner, source, log, clusterCIDR: '10.244.0.0/16', minSyncPeriodMs: 100, syncPeriodMs: 1500 });
    p.onSynced = () => syncs++;
    return p;
  };
  const namesSeen = (from: FakePod | FakeNode, url: string, n: number) => {
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      const body = from.get(url, 3);
      const m = body.match(/^I am (\S+)$/m);
      expect(m, `body from ${url}: ${JSON.stringify(body)}`).not.toBeNull();
      seen.add(m![1]);
    }
    return seen;
  };
  const afterNextSync = async () => {
    const before = syncs;
    proxier.requestSync();
    await waitFor('a proxy sync', () => syncs > before, 5000, 20);
  };

  beforeAll(async () => {
    node = createFakeNode('proxy');
    web = [await node.addPod('web-a', '10.244.0.2'), await node.addPod('web-b', '10.244.0.3'), await node.addPod('web-c', '10.244.0.4')];
    client = await node.addPod('client', '10.244.0.10');
    runner = createRunner({ backend: 'legacy', netnsPath: node.ns.path });
    // A chain someone else owns: the proxy must never touch it.
    node.ns.exec('iptables-legacy', ['-t', 'nat', '-N', 'OTHER-CHAIN']);
    node.ns.exec('iptables-legacy', ['-t', 'nat', '-A', 'OTHER-CHAIN', '-j', 'RETURN']);
    state.slices = [webSlice(web)];
    proxier = newProxier();
    await proxier.start();
  }, 60_000);

  afterAll(async () => {
    proxier?.stop();
    node?.destroy();
  });

  it('balances a cluster IP over every ready endpoint, from a pod and from the node', () => {
    expect(namesSeen(client, `http://${CLUSTER_IP}/`, 30)).toEqual(new Set(['web-a', 'web-b', 'web-c']));
    expect(namesSeen(node, `http://${CLUSTER_IP}/`, 30).size).toBe(3);
  });

  it('answers on the node port, on the node address and on 127.0.0.1', () => {
    expect(namesSeen(node, `http://${node.nodeIP}:30080/`, 15).size).toBeGreaterThan(1);
    expect(namesSeen(node, 'http://127.0.0.1:30080/', 15).size).toBeGreaterThan(1);
    expect(namesSeen(client, `http://${node.nodeIP}:30080/`, 15).size).toBeGreaterThan(1);
  });

  it('lets a pod reach itself through its own service (hairpin)', () => {
    expect(namesSeen(web[0], `http://${CLUSTER_IP}/`, 25)).toContain('web-a');
  });

  it('takes a removed endpoint out of rotation at the next sync', async () => {
    state.slices = [webSlice(web.slice(0, 2))];
    await afterNextSync();
    expect(namesSeen(client, `http://${CLUSTER_IP}/`, 30)).toEqual(new Set(['web-a', 'web-b']));
  });

  it('refuses at once when no endpoint is ready', async () => {
    state.slices = [webSlice([])];
    await afterNextSync();
    const started = Date.now();
    expect(() => client.get(`http://${CLUSTER_IP}/`, 5)).toThrow(/refused/i);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(() => node.get(`http://${node.nodeIP}:30080/`, 5)).toThrow(/refused/i);
    state.slices = [webSlice(web)];
    await afterNextSync();
    expect(namesSeen(client, `http://${CLUSTER_IP}/`, 10).size).toBeGreaterThan(1);
  });

  it('repairs a chain flushed by hand at the next periodic full sync', async () => {
    node.ns.exec('iptables-legacy', ['-t', 'nat', '-F', 'SKIFF-SERVICES']);
    await waitFor('repaired rules', () => node.ns.exec('iptables-legacy', ['-t', 'nat', '-S', 'SKIFF-SERVICES']).includes(CLUSTER_IP), 10_000);
    expect(namesSeen(client, `http://${CLUSTER_IP}/`, 10).size).toBeGreaterThan(1);
  });

  it('keeps serving across a restart of the proxy, with the same rules', async () => {
    const rulesBefore = await runner.save('nat');
    proxier.stop();
    expect(namesSeen(client, `http://${CLUSTER_IP}/`, 5).size).toBeGreaterThan(0);
    proxier = newProxier();
    await proxier.start();
    const strip = (s: string) => s.split('\n').filter((l) => l.startsWith('-A') || l.startsWith(':SKIFF')).map((l) => l.replace(/\[\d+:\d+\]/, '')).sort().join('\n');
    expect(strip(await runner.save('nat'))).toBe(strip(rulesBefore));
    expect(namesSeen(client, `http://${CLUSTER_IP}/`, 10).size).toBeGreaterThan(1);
  });

  it('cleanup removes every chain it owns and nothing else', async () => {
    proxier.stop();
    const removed = await cleanupRules(runner);
    expect(removed).toBeGreaterThan(5);
    for (const table of ['nat', 'filter'] as const) {
      const saved = await runner.save(table);
      expect(saved).not.toMatch(/SKIFF-/);
    }
    expect(await runner.save('nat')).toMatch(/:OTHER-CHAIN/);
  });
});
