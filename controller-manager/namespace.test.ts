import { describe, expect, it } from 'vitest';
import { NamespaceController } from './namespace.js';
import { ServiceAccountController } from './serviceaccount.js';
import { ControllerTestEnv } from './testing.js';
import { pod, replicaSet } from './fixtures.js';
import type { Namespace } from './types.js';

function namespace(name: string): Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
}

/** The fake serves no raw requests: answer `PUT namespaces/{name}/finalize` as the API server does. */
function serveFinalize(env: ControllerTestEnv): string[] {
  const calls: string[] = [];
  env.client.request = async <R>(method: string, path: string, body?: unknown): Promise<R> => {
    calls.push(`${method} ${path}`);
    const ns = body as Namespace;
    const current = await env.client.for<Namespace>('namespaces').get(undefined, ns.metadata!.name!);
    await env.client.for<Namespace>('namespaces').update({ ...current, spec: ns.spec });
    // With no finalizers left, the server lets a terminating namespace go.
    if ((ns.spec?.finalizers ?? []).length === 0) await env.client.for('namespaces').delete(undefined, ns.metadata!.name!);
    return undefined as R;
  };
  return calls;
}

describe('NamespaceController', () => {
  it('ignores namespaces that are not being deleted', async () => {
    const env = new ControllerTestEnv([namespace('team')]);
    const ctrl = new NamespaceController(env.context);
    await env.sync();
    expect(await ctrl.reconcile('team')).toBeUndefined();
    expect(env.writes()).toEqual([]);
  });

  it('empties a terminating namespace, waits for the content to go, then finalizes', async () => {
    const env = new ControllerTestEnv([namespace('team')]);
    env.client.seed({ ...pod('p'), metadata: { ...pod('p').metadata, namespace: 'team', finalizers: ['example.com/hold'] } });
    env.client.seed({ ...replicaSet('rs', 1), metadata: { ...replicaSet('rs', 1).metadata, namespace: 'team' } });
    env.client.seed(pod('elsewhere'));
    const finalizeCalls = serveFinalize(env);
    const ctrl = new NamespaceController(env.context, { recheckMs: 10 });
    // A namespace with a spec finalizer is marked for deletion, not removed.
    const ns = await env.client.for<Namespace>('namespaces').get(undefined, 'team');
    await env.client.for<Namespace>('namespaces').update({ ...ns, metadata: { ...ns.metadata, finalizers: ['hold'] } });
    await env.client.for('namespaces').delete(undefined, 'team');
    await env.sync();

    // The pod has a finalizer of its own, so it lingers: the controller waits.
    expect(await ctrl.reconcile('team')).toEqual({ requeueAfterMs: 10 });
    expect((await env.client.for<Namespace>('namespaces').get(undefined, 'team')).status?.phase).toBe('Terminating');
    expect(await env.all('replicasets', 'team')).toHaveLength(0);
    expect(finalizeCalls).toEqual([]);

    const p = await env.client.for('pods').get('team', 'p');
    await env.client.for('pods').update({ ...p, metadata: { ...p.metadata, finalizers: [] } });
    await env.sync();
    expect(await ctrl.reconcile('team')).toBeUndefined();
    expect(finalizeCalls).toEqual(['PUT /api/v1/namespaces/team/finalize']);
    expect((await env.client.for<Namespace>('namespaces').get(undefined, 'team')).spec?.finalizers).toEqual([]);
    expect((await env.all('pods')).map((o) => o.metadata?.name)).toEqual(['elsewhere']);
  });
});

describe('ServiceAccountController', () => {
  it('creates the default ServiceAccount once, and again after it is deleted', async () => {
    const env = new ControllerTestEnv([namespace('team'), { ...namespace('gone'), status: { phase: 'Terminating' } }]);
    const ctrl = new ServiceAccountController(env.context);
    await env.sync();
    await ctrl.reconcile('team');
    await ctrl.reconcile('gone');
    await env.sync();
    await ctrl.reconcile('team');
    expect(env.writes()).toEqual([{ verb: 'create', resource: 'serviceaccounts', name: 'default' }]);
    expect((await env.all('serviceaccounts')).map((s) => `${s.metadata?.namespace}/${s.metadata?.name}`)).toEqual(['team/default']);
    env.queue.added.length = 0;
    await env.client.for('serviceaccounts').delete('team', 'default');
    await env.sync();
    expect(env.queue.added).toEqual(['team']);
  });
});
