import { describe, expect, it } from 'vitest';
import { budgetNumbers, DisruptionController } from './disruption.js';
import { ControllerTestEnv } from './testing.js';
import { deployment, pod, replicaSet } from './fixtures.js';
import type { PodDisruptionBudget, ReplicaSet } from './types.js';

const pdb = (spec: Partial<NonNullable<PodDisruptionBudget['spec']>>): PodDisruptionBudget => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'web', namespace: 'default' },
  spec: { selector: { matchLabels: { app: 'web' } }, ...spec },
});

describe('budgetNumbers', () => {
  it.each([
    { spec: { minAvailable: 2 }, pods: 3, healthy: 3, scale: undefined, want: { expectedPods: 3, desiredHealthy: 2, disruptionsAllowed: 1 } },
    { spec: { minAvailable: 2 }, pods: 3, healthy: 2, scale: undefined, want: { expectedPods: 3, desiredHealthy: 2, disruptionsAllowed: 0 } },
    { spec: { minAvailable: '50%' }, pods: 3, healthy: 3, scale: 5, want: { expectedPods: 5, desiredHealthy: 3, disruptionsAllowed: 0 } },
    { spec: { maxUnavailable: 1 }, pods: 4, healthy: 4, scale: 4, want: { expectedPods: 4, desiredHealthy: 3, disruptionsAllowed: 1 } },
    { spec: { maxUnavailable: '35%' }, pods: 10, healthy: 10, scale: 10, want: { expectedPods: 10, desiredHealthy: 6, disruptionsAllowed: 4 } },
    { spec: { maxUnavailable: 1 }, pods: 0, healthy: 0, scale: 0, want: { expectedPods: 0, desiredHealthy: 0, disruptionsAllowed: 0 } },
  ])('$spec with $healthy/$pods healthy, scale $scale', ({ spec, pods, healthy, scale, want }) => {
    expect(budgetNumbers(pdb(spec), pods, healthy, scale)).toMatchObject(want);
  });

  it('cannot count a percentage without the controllers’ scale', () => {
    expect(() => budgetNumbers(pdb({ minAvailable: '50%' }), 3, 3, undefined)).toThrow(/scale/);
  });
});

describe('DisruptionController', () => {
  it('counts expected pods from the Deployment behind the ReplicaSet', async () => {
    const env = new ControllerTestEnv();
    const d = env.client.seed(deployment('web', 4));
    const rs = env.client.seed<ReplicaSet>({ ...replicaSet('web-1', 4), metadata: { name: 'web-1', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata!.uid!, controller: true }] } });
    const owner = { kind: 'ReplicaSet', name: 'web-1', uid: rs.metadata!.uid! };
    for (const [i, ready] of [true, true, true, false].entries()) env.client.seed(pod(`web-${i}`, { labels: { app: 'web' }, owner, ready }));
    env.client.seed(pdb({ maxUnavailable: '25%' }));
    const ctrl = new DisruptionController(env.context);
    await env.sync();
    await ctrl.reconcile('default/web');
    const [b] = await env.all<PodDisruptionBudget>('poddisruptionbudgets');
    expect(b.status).toMatchObject({ expectedPods: 4, desiredHealthy: 3, currentHealthy: 3, disruptionsAllowed: 0, observedGeneration: 1 });
    expect(b.status?.conditions?.[0]).toMatchObject({ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods' });
  });

  it('reports SyncFailed for pods without a controller under a percentage budget', async () => {
    const env = new ControllerTestEnv([pod('lonely', { labels: { app: 'web' }, ready: true }), pdb({ minAvailable: '50%' })]);
    const ctrl = new DisruptionController(env.context);
    await env.sync();
    await ctrl.reconcile('default/web');
    const [b] = await env.all<PodDisruptionBudget>('poddisruptionbudgets');
    expect(b.status).toMatchObject({ disruptionsAllowed: 0 });
    expect(b.status?.conditions?.[0]).toMatchObject({ status: 'False', reason: 'SyncFailed' });
  });
});
