// Nodes and services against a real API server: node IPAM gives each node its own pod CIDR;
// a node whose Lease stops being renewed becomes Unknown and tainted after the (shortened)
// grace period, its pods are evicted by tolerationSeconds and recreated elsewhere by their
// ReplicaSet, and it is untainted when it comes back; a Service's Endpoints and EndpointSlice
// follow its pods.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from './harness/apiserver.js';
import { waitFor } from './harness/ports.js';
import { restClientFromKubeconfig } from '../client/rest.js';
import type { ApiClient } from '../client/interfaces.js';
import type { Deployment, EndpointSlice, Endpoints, Lease, Node, Pod, Service } from '../api/types.js';
import { parseFlags } from '../controller-manager/flags.js';
import { startControllerManager, type ControllerManagerApp } from '../controller-manager/app.js';
import { isReady, nodeObject, startStandIns, type StandIns } from './controller-standins.js';

let api: TestApiServer;
let client: ApiClient;
let cm: ControllerManagerApp;
let standIns: StandIns;
const heartbeats = new Map<string, NodeJS.Timeout>();

const now = (): string => new Date().toISOString();

/** A kubelet's heartbeat: renew the node's Lease and report Ready. */
async function beat(name: string): Promise<void> {
  const leases = client.for<Lease>('leases');
  const l = await leases.get('kube-node-lease', name);
  await leases.update({ ...l, spec: { ...l.spec, renewTime: now() } });
}

async function addNode(name: string): Promise<void> {
  await client.for<Node>('nodes').create(undefined, nodeObject(name));
  await client.for<Lease>('leases').create('kube-node-lease', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: now() } });
  heartbeats.set(name, setInterval(() => void beat(name).catch(() => undefined), 300));
}

async function reportReady(name: string): Promise<void> {
  const n = await client.for<Node>('nodes').get(undefined, name);
  await client.for<Node>('nodes').updateStatus({ ...n, status: { ...n.status, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: now(), lastTransitionTime: now() }] } });
}

beforeAll(async () => {
  api = await startTestApiServer();
  client = restClientFromKubeconfig({ kubeconfig: api.kubeconfigPath });
  await client.for('namespaces').create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-node-lease' } }).catch(() => undefined);
  for (const n of ['n1', 'n2']) await addNode(n);
  cm = await startControllerManager(
    parseFlags(['--kubeconfig', api.kubeconfigPath, '--leader-elect=false', '--secure-port=0', '--node-monitor-grace-period=2s', '--node-monitor-period=250ms']),
  );
  standIns = startStandIns(client, { nodes: ['n1', 'n2'], namespace: 'default' });
});

afterAll(async () => {
  for (const t of heartbeats.values()) clearInterval(t);
  await standIns?.stop();
  await cm?.stop();
  await api?.stop();
});

const getNode = (name: string): Promise<Node> => client.for<Node>('nodes').get(undefined, name);

describe('node IPAM, node lifecycle and endpoints', () => {
  it('gives every node its own pod CIDR from 10.244.0.0/16', async () => {
    await waitFor('pod CIDRs', async () => !!(await getNode('n1')).spec?.podCIDR && !!(await getNode('n2')).spec?.podCIDR);
    const [a, b] = [await getNode('n1'), await getNode('n2')];
    expect(a.spec?.podCIDR).toMatch(/^10\.244\.\d+\.0\/24$/);
    expect(a.spec?.podCIDR).not.toBe(b.spec?.podCIDR);
    expect(a.spec?.podCIDRs).toEqual([a.spec?.podCIDR]);
  });

  it('taints a silent node, evicts its pods by tolerationSeconds so they move, and untaints it when it returns', async () => {
    const tolerations = [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 1 }];
    await client.for<Deployment>('deployments').create('default', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'mover', namespace: 'default' },
      spec: { replicas: 4, selector: { matchLabels: { app: 'mover' } }, template: { metadata: { labels: { app: 'mover' } }, spec: { tolerations, containers: [{ name: 'c', image: 'busybox' }] } } },
    });
    const moverPods = async (): Promise<Pod[]> => (await client.for<Pod>('pods').list('default', { labelSelector: 'app=mover' })).items.filter((p) => !p.metadata?.deletionTimestamp);
    await waitFor('mover pods on both nodes', async () => {
      const pods = await moverPods();
      return pods.length === 4 && pods.every(isReady) && pods.some((p) => p.spec?.nodeName === 'n1');
    });

    // n1's kubelet dies; new pods can only go to n2.
    clearInterval(heartbeats.get('n1'));
    standIns.nodes = ['n2'];
    await waitFor('n1 Unknown and tainted', async () => {
      const n = await getNode('n1');
      return n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'Unknown' && !!n.spec?.taints?.some((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute');
    }, 10_000);
    const n1 = await getNode('n1');
    expect(n1.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    await waitFor('mover pods recreated on n2', async () => {
      const pods = await moverPods();
      return pods.length === 4 && pods.every((p) => p.spec?.nodeName === 'n2' && isReady(p));
    }, 15_000);
    // n2 kept beating: untouched.
    expect((await getNode('n2')).spec?.taints ?? []).toEqual([]);

    // n1 comes back.
    heartbeats.set('n1', setInterval(() => void beat('n1').catch(() => undefined), 300));
    await reportReady('n1');
    await waitFor('n1 untainted', async () => ((await getNode('n1')).spec?.taints ?? []).length === 0, 10_000);
  });

  it('keeps Endpoints and an EndpointSlice in step with the pods a Service selects', async () => {
    await client.for<Service>('services').create('default', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'mover', namespace: 'default' },
      spec: { selector: { app: 'mover' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    });
    const ready = async (): Promise<string[]> => (await client.for<Pod>('pods').list('default', { labelSelector: 'app=mover' })).items.filter((p) => isReady(p) && !p.metadata?.deletionTimestamp).map((p) => p.status!.podIP!).sort();
    await waitFor('endpoints of mover', async () => {
      const ep = await client.for<Endpoints>('endpoints').get('default', 'mover');
      const ips = (ep.subsets ?? []).flatMap((s) => s.addresses ?? []).map((a) => a.ip).sort();
      return ips.length === 4 && JSON.stringify(ips) === JSON.stringify(await ready());
    });
    const ep = await client.for<Endpoints>('endpoints').get('default', 'mover');
    expect(ep.subsets?.[0].ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(ep.subsets?.[0].addresses?.[0].targetRef).toMatchObject({ kind: 'Pod', namespace: 'default' });
    const slices = (await client.for<EndpointSlice>('endpointslices').list('default', { labelSelector: 'kubernetes.io/service-name=mover' })).items;
    expect(slices).toHaveLength(1);
    expect(slices[0].metadata?.labels?.['endpointslice.kubernetes.io/managed-by']).toBe('endpointslice-controller.k8s.io');
    expect(slices[0].endpoints.filter((e) => e.conditions?.ready).map((e) => e.addresses[0]).sort()).toEqual(await ready());

    await client.for('services').delete('default', 'mover');
    await waitFor('endpoints and slices gone with the service', async () => {
      const eps = (await client.for<Endpoints>('endpoints').list('default')).items.filter((e) => e.metadata?.name === 'mover');
      const sl = (await client.for<EndpointSlice>('endpointslices').list('default', { labelSelector: 'kubernetes.io/service-name=mover' })).items;
      return eps.length === 0 && sl.length === 0;
    });
  });
});
