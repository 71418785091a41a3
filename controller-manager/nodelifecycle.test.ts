import { describe, expect, it } from 'vitest';
import { NodeLifecycleController, TAINT_UNREACHABLE } from './nodelifecycle.js';
import { ControllerTestEnv } from './testing.js';
import { node, pod } from './fixtures.js';
import type { Lease, Node, Pod } from './types.js';

const lease = (name: string, renewTime: string): Lease => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec: { holderIdentity: name, renewTime } });

async function setup() {
  const env = new ControllerTestEnv([
    node('n1'),
    lease('n1', '2026-01-01T00:00:00.000000Z'),
    { ...pod('forever', { node: 'n1', phase: 'Running', ready: true }), spec: { nodeName: 'n1', containers: [], tolerations: [{ key: TAINT_UNREACHABLE, operator: 'Exists', effect: 'NoExecute' }] } } as Pod,
    { ...pod('tolerant', { node: 'n1', phase: 'Running', ready: true }), spec: { nodeName: 'n1', containers: [], tolerations: [{ key: TAINT_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }] } } as Pod,
    pod('intolerant', { node: 'n1', phase: 'Running', ready: true }),
  ]);
  const ctrl = new NodeLifecycleController(env.context, { gracePeriodMs: 40_000, monitorPeriodMs: 5_000 });
  await env.sync();
  return { env, ctrl };
}

const getNode = async (env: ControllerTestEnv): Promise<Node> => env.client.for<Node>('nodes').get(undefined, 'n1');
const podNames = async (env: ControllerTestEnv): Promise<string[]> => (await env.all<Pod>('pods')).map((p) => p.metadata!.name!).sort();

describe('NodeLifecycleController', () => {
  it('leaves a node alone while its lease is renewed', async () => {
    const { env, ctrl } = await setup();
    await ctrl.reconcile('n1');
    for (let i = 1; i <= 10; i++) {
      env.clock += 10_000;
      const l = await env.client.for<Lease>('leases').get('kube-node-lease', 'n1');
      await env.client.for<Lease>('leases').update({ ...l, spec: { ...l.spec, renewTime: new Date(env.clock).toISOString() } });
      await env.sync();
      await ctrl.reconcile('n1');
    }
    expect(env.writes().filter((w) => w.resource !== 'leases')).toEqual([]);
  });

  it('marks a silent node Unknown, taints it, evicts by tolerations, and untaints it when it returns', async () => {
    const { env, ctrl } = await setup();
    await ctrl.reconcile('n1');
    env.clock += 39_000;
    await ctrl.reconcile('n1');
    expect((await getNode(env)).spec?.taints).toBeUndefined();

    env.clock += 2_000;
    const result = await ctrl.reconcile('n1');
    const n = await getNode(env);
    expect(n.status?.conditions?.map((c) => `${c.type}=${c.status}/${c.reason}`)).toEqual([
      'Ready=Unknown/NodeStatusUnknown',
      'MemoryPressure=Unknown/NodeStatusUnknown',
      'DiskPressure=Unknown/NodeStatusUnknown',
      'PIDPressure=Unknown/NodeStatusUnknown',
    ]);
    expect(n.status?.conditions?.[0].message).toBe('Kubelet stopped posting node status.');
    expect(n.spec?.taints).toMatchObject([{ key: TAINT_UNREACHABLE, effect: 'NoExecute' }]);
    // The pod without a toleration goes at once; the tolerant one in 300 s.
    expect(await podNames(env)).toEqual(['forever', 'tolerant']);
    expect(result).toEqual({ requeueAfterMs: 300_010 });
    const pods = await env.all<Pod>('pods');
    expect(pods.every((p) => p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'False')).toBe(true);

    await env.sync();
    env.clock += 300_000;
    await ctrl.reconcile('n1');
    expect(await podNames(env)).toEqual(['forever']);

    // The kubelet is back: it renews its lease and reports Ready.
    const cur = await getNode(env);
    await env.client.for<Node>('nodes').updateStatus({ ...cur, status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: new Date(env.clock).toISOString() }] } });
    await env.sync();
    await ctrl.reconcile('n1');
    expect((await getNode(env)).spec?.taints).toEqual([]);
  });
});
