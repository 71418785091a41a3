import { describe, expect, it } from 'vitest';
import { ApiStatusError } from '../client/errors.js';
import { ReplicaSetController } from './replicaset.js';
import { ControllerTestEnv } from './testing.js';
import { pod, replicaSet } from './fixtures.js';
import type { Pod, ReplicaSet } from './types.js';

async function setup(objects: Parameters<typeof replicaSet>[] = [], pods: Pod[] = []) {
  const env = new ControllerTestEnv();
  const sets = objects.map((args) => env.client.seed(replicaSet(...args)));
  for (const p of pods) env.client.seed(p);
  const ctrl = new ReplicaSetController(env.context);
  await env.sync();
  return { env, ctrl, sets };
}

describe('ReplicaSetController', () => {
  it('creates the missing pods, owned by the ReplicaSet, and reports status last', async () => {
    const { env, ctrl, sets } = await setup([['web', 3]]);
    await ctrl.reconcile('default/web');
    const pods = await env.all<Pod>('pods');
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.metadata?.generateName).toBe('web-');
      expect(p.metadata?.labels).toEqual({ app: 'web' });
      expect(p.metadata?.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: sets[0].metadata?.uid, controller: true, blockOwnerDeletion: true }]);
    }
    const writes = env.writes();
    expect(writes.at(-1)).toEqual({ verb: 'update', resource: 'replicasets', subresource: 'status', name: 'web' });
    expect(env.recorder.reasons()).toEqual(['SuccessfulCreate', 'SuccessfulCreate', 'SuccessfulCreate']);
  });

  it('does not create again until its creates are observed (expectations)', async () => {
    const { env, ctrl } = await setup([['web', 3]]);
    await ctrl.reconcile('default/web');
    // The informer has not seen the new pods yet: a second pass must not create more.
    await ctrl.reconcile('default/web');
    expect(await env.all('pods')).toHaveLength(3);
    await env.sync();
    await ctrl.reconcile('default/web');
    expect(await env.all('pods')).toHaveLength(3);
    const rs = (await env.all<ReplicaSet>('replicasets'))[0];
    expect(rs.status).toMatchObject({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 0, availableReplicas: 0, observedGeneration: 1 });
  });

  it('deletes the least useful pods when scaled down', async () => {
    const env = new ControllerTestEnv();
    const rs = env.client.seed(replicaSet('web', 1));
    const owner = { kind: 'ReplicaSet', name: 'web', uid: rs.metadata!.uid! };
    const labels = { app: 'web' };
    env.client.seed(pod('web-ready', { labels, owner, node: 'n1', phase: 'Running', ready: true }));
    env.client.seed(pod('web-pending', { labels, owner }));
    env.client.seed(pod('web-notready', { labels, owner, node: 'n1', phase: 'Running', ready: false }));
    const ctrl = new ReplicaSetController(env.context);
    await env.sync();
    await ctrl.reconcile('default/web');
    expect((await env.all<Pod>('pods')).map((p) => p.metadata?.name)).toEqual(['web-ready']);
    expect(env.writes('pods').map((w) => `${w.verb} ${w.name}`).sort()).toEqual(['delete web-notready', 'delete web-pending']);
  });

  it('adopts matching orphans and releases pods that stop matching', async () => {
    const env = new ControllerTestEnv();
    const rs = env.client.seed(replicaSet('web', 2));
    env.client.seed(pod('orphan', { labels: { app: 'web' } }));
    env.client.seed(pod('relabelled', { labels: { app: 'other' }, owner: { kind: 'ReplicaSet', name: 'web', uid: rs.metadata!.uid! } }));
    env.client.seed(pod('foreign', { labels: { app: 'web' }, owner: { kind: 'ReplicaSet', name: 'x', uid: 'other-uid' } }));
    const ctrl = new ReplicaSetController(env.context);
    await env.sync();
    await ctrl.reconcile('default/web');
    const byName = new Map((await env.all<Pod>('pods')).map((p) => [p.metadata?.name, p]));
    expect(byName.get('orphan')?.metadata?.ownerReferences?.[0]?.uid).toBe(rs.metadata?.uid);
    expect(byName.get('relabelled')?.metadata?.ownerReferences).toEqual([]);
    expect(byName.get('foreign')?.metadata?.ownerReferences?.[0]?.uid).toBe('other-uid');
    // orphan adopted + one new pod = 2
    expect([...byName.values()].filter((p) => p.metadata?.ownerReferences?.[0]?.uid === rs.metadata?.uid)).toHaveLength(2);
  });

  it('stops creating at the first failed batch and reports ReplicaFailure', async () => {
    const { env, ctrl } = await setup([['web', 10]]);
    let creates = 0;
    env.client.prependReactor('create', 'pods', () => (++creates >= 4 ? new ApiStatusError(403, 'Forbidden', 'exceeded quota') : undefined));
    await expect(ctrl.reconcile('default/web')).rejects.toThrow(/quota/);
    // batches 1, 2, 4: the third batch fails, so 7 attempts and no fourth batch
    expect(creates).toBe(7);
    expect(await env.all('pods')).toHaveLength(3);
    const rs = (await env.all<ReplicaSet>('replicasets'))[0];
    expect(rs.status?.conditions).toMatchObject([{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate' }]);
    // Skipped and failed creates are not waited for: the next pass may try again.
    expect(ctrl.expectations.satisfied('default/web')).toBe(false);
    await env.sync();
    expect(ctrl.expectations.satisfied('default/web')).toBe(true);
  });

  it('counts availability with minReadySeconds and asks to be requeued', async () => {
    const env = new ControllerTestEnv();
    const rs = env.client.seed(replicaSet('web', 1, { app: 'web' }, { minReadySeconds: 10 }));
    env.clock = Date.parse('2026-01-01T00:00:05Z');
    env.client.seed(pod('web-a', { labels: { app: 'web' }, owner: { kind: 'ReplicaSet', name: 'web', uid: rs.metadata!.uid! }, node: 'n', phase: 'Running', ready: true, readySince: '2026-01-01T00:00:00Z' }));
    const ctrl = new ReplicaSetController(env.context);
    await env.sync();
    const result = await ctrl.reconcile('default/web');
    expect(result).toEqual({ requeueAfterMs: 5050 });
    expect((await env.all<ReplicaSet>('replicasets'))[0].status).toMatchObject({ readyReplicas: 1, availableReplicas: 0 });
  });

  it('writes nothing when the world already matches', async () => {
    const { env, ctrl } = await setup([['web', 2]]);
    await ctrl.reconcile('default/web');
    await env.sync();
    await ctrl.reconcile('default/web');
    await env.sync();
    env.client.clearActions();
    await ctrl.reconcile('default/web');
    expect(env.writes()).toEqual([]);
  });
});
