import { describe, expect, it } from 'vitest';
import { collectable, GarbageCollector } from './controller.js';
import { ResourceRegistry, type ResourceType } from '../../api/resources.js';
import { ControllerTestEnv, drainQueue } from '../testing.js';
import { deployment, pod, replicaSet } from '../fixtures.js';
import type { KubeObject, Pod, ReplicaSet } from '../types.js';

function ownedBy(obj: KubeObject, owner: KubeObject, block = true): KubeObject {
  const ref = { apiVersion: owner.apiVersion!, kind: owner.kind!, name: owner.metadata!.name!, uid: owner.metadata!.uid!, controller: true, blockOwnerDeletion: block };
  return { ...obj, metadata: { ...obj.metadata, ownerReferences: [...(obj.metadata?.ownerReferences ?? []), ref] } };
}

/** deployment web → replicaset web-1 → pods a, b */
async function chain() {
  const env = new ControllerTestEnv();
  const d = env.client.seed(deployment('web', 2));
  const rs = env.client.seed(ownedBy(replicaSet('web-1', 2), d) as ReplicaSet);
  env.client.seed(ownedBy(pod('a'), rs) as Pod);
  env.client.seed(ownedBy(pod('b'), rs) as Pod);
  const gc = new GarbageCollector(env.context);
  await drainQueue(env, (k) => gc.reconcile(k));
  env.client.clearActions();
  return { env, gc };
}

const names = async (env: ControllerTestEnv, resource: string): Promise<string[]> => (await env.all(resource)).map((o) => o.metadata!.name!).sort();

describe('GarbageCollector', () => {
  it('leaves objects whose owners exist alone', async () => {
    const { env } = await chain();
    expect(env.writes()).toEqual([]);
    expect(await names(env, 'pods')).toEqual(['a', 'b']);
  });

  it('background: dependents of a deleted owner are deleted, down the chain', async () => {
    const { env, gc } = await chain();
    await env.client.for('deployments').delete('default', 'web', { propagationPolicy: 'Background' });
    await drainQueue(env, (k) => gc.reconcile(k));
    expect(await names(env, 'replicasets')).toEqual([]);
    expect(await names(env, 'pods')).toEqual([]);
  });

  it('foreground: the owner stays until its blocking dependents are gone', async () => {
    const { env, gc } = await chain();
    await env.client.for('deployments').delete('default', 'web', { propagationPolicy: 'Foreground' });
    await env.sync();
    const key = await env.queue.get();
    await gc.reconcile(key!);
    // the RS was deleted in the foreground too (it has dependents), so it waits for its pods
    expect(await names(env, 'deployments')).toEqual(['web']);
    const rs = (await env.all<ReplicaSet>('replicasets'))[0];
    expect(rs.metadata?.finalizers).toEqual(['foregroundDeletion']);
    await drainQueue(env, (k) => gc.reconcile(k));
    expect(await names(env, 'pods')).toEqual([]);
    expect(await names(env, 'replicasets')).toEqual([]);
    expect(await names(env, 'deployments')).toEqual([]);
  });

  it('orphan: dependents lose the reference and stay', async () => {
    const { env, gc } = await chain();
    await env.client.for('replicasets').delete('default', 'web-1', { propagationPolicy: 'Orphan' });
    await drainQueue(env, (k) => gc.reconcile(k));
    expect(await names(env, 'replicasets')).toEqual([]);
    const pods = await env.all<Pod>('pods');
    expect(pods.map((p) => p.metadata?.ownerReferences)).toEqual([[], []]);
  });

  it('a dependent with another live owner only loses the dangling reference', async () => {
    const env = new ControllerTestEnv();
    const rs1 = env.client.seed(replicaSet('one', 1));
    const rs2 = env.client.seed(replicaSet('two', 1));
    env.client.seed(ownedBy(ownedBy(pod('shared'), rs1), rs2, false) as Pod);
    const gc = new GarbageCollector(env.context);
    await drainQueue(env, (k) => gc.reconcile(k));
    await env.client.for('replicasets').delete('default', 'one');
    await drainQueue(env, (k) => gc.reconcile(k));
    const [p] = await env.all<Pod>('pods');
    expect(p.metadata?.ownerReferences?.map((r) => r.name)).toEqual(['two']);
  });

  it('confirms a missing owner with a live read before deleting (the cache may lag)', async () => {
    const env = new ControllerTestEnv();
    const gc = new GarbageCollector(env.context);
    await env.sync();
    // The owner exists in the API but the informer has not seen it yet.
    const rs = await env.client.for<ReplicaSet>('replicasets').create('default', replicaSet('late', 1));
    const p = await env.client.for<Pod>('pods').create('default', ownedBy(pod('p'), rs) as Pod);
    const podsOnly = env.informerFor<Pod>('pods') as unknown as { replace(o: Pod[]): void };
    podsOnly.replace([p]);
    await gc.reconcile(p.metadata!.uid!);
    expect(await names(env, 'pods')).toEqual(['p']);
  });

  describe('kinds found by discovery', () => {
    const builtins = () => Promise.resolve(new ResourceRegistry().all());
    const gadgets: ResourceType = { group: 'example.com', version: 'v1', kind: 'Gadget', resource: 'gadgets', singular: 'gadget', namespaced: true, shortNames: [], subresources: [], categories: [], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] };

    it('collects a ConfigMap (not watched from the start) whose owner is gone', async () => {
      const env = new ControllerTestEnv();
      const owner = env.client.seed(deployment('web', 1));
      env.client.seed(ownedBy({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' } }, owner));
      const gc = new GarbageCollector(env.context, { discover: builtins });
      await gc.rediscover();
      await env.client.for('deployments').delete('default', 'web');
      await drainQueue(env, (k) => gc.reconcile(k));
      expect(await names(env, 'configmaps')).toEqual([]);
    });

    it('never watches events', () => {
      const types = new ResourceRegistry().all();
      expect(types.filter(collectable).map((t) => t.resource)).not.toContain('events');
      expect(types.filter(collectable).map((t) => t.resource)).toContain('configmaps');
    });

    it('an owner of a kind discovery has not shown yet: looks again, then collects', async () => {
      const env = new ControllerTestEnv();
      let served: ResourceType[] = [];
      const gc = new GarbageCollector(env.context, { discover: async () => [...(await builtins()), ...served] });
      await gc.rediscover();
      const p = env.client.seed(ownedBy(pod('p'), { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g', namespace: 'default', uid: 'gone-uid' } }) as Pod);
      await env.sync();
      // Not served (yet): the pod is kept and the key retried with backoff.
      await expect(gc.reconcile(p.metadata!.uid!)).rejects.toThrow(/Gadget g is of a kind the server does not serve/);
      expect(await names(env, 'pods')).toEqual(['p']);
      served = [gadgets];
      await gc.reconcile(p.metadata!.uid!);
      expect(await names(env, 'pods')).toEqual([]);
    });
  });
});
