import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Binding, KubeObject, Pod, PodDisruptionBudget } from '../../api/types.js';
import type { ServerParts } from '../context.js';
import { testParts, typeOf } from '../admission/testing/parts.js';
import type { MemoryStore } from '../admission/testing/memory-store.js';
import { ApiError } from '../errors.js';
import { bindPod, bindingTarget } from './binding.js';
import { canIgnoreBudget, decideBudget, VIOLATION_MESSAGE } from './eviction.js';
import { subresources } from './index.js';
import { serveHandlers, type HandlerApp } from './testing/app.js';

const now = new Date('2026-01-01T12:00:00Z');

function pod(extra: Partial<Pod> = {}, spec: Partial<NonNullable<Pod['spec']>> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: 'u1', labels: { app: 'web' } },
    spec: { containers: [{ name: 'app', image: 'busybox' }], ...spec },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
    ...extra,
  };
}

function pdb(status: Partial<NonNullable<PodDisruptionBudget['status']>>, spec: Partial<NonNullable<PodDisruptionBudget['spec']>> = {}, generation = 1): PodDisruptionBudget {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'web-pdb', namespace: 'default', generation },
    spec: { selector: { matchLabels: { app: 'web' } }, minAvailable: 1, ...spec },
    status: { observedGeneration: 1, disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2, ...status },
  };
}

describe('binding (pure)', () => {
  it.each<[string, Pod, Binding, string | undefined]>([
    ['binds an unbound pod', pod(), { metadata: { name: 'web' }, target: { kind: 'Node', name: 'n1' } }, undefined],
    ['refuses a bound pod', pod({}, { nodeName: 'n0' }), { metadata: { name: 'web' }, target: { name: 'n1' } }, 'Operation cannot be fulfilled on pods/binding "web": pod web is already assigned to node "n0"'],
    ['refuses another uid', pod(), { metadata: { name: 'web', uid: 'u2' }, target: { name: 'n1' } }, 'Operation cannot be fulfilled on pods/binding "web": Precondition failed: UID in precondition: u2, UID in object meta: u1'],
    ['refuses a pod being deleted', pod({ metadata: { name: 'web', uid: 'u1', deletionTimestamp: '2026-01-01T00:00:00Z' } }), { metadata: { name: 'web' }, target: { name: 'n1' } }, 'Operation cannot be fulfilled on pods/binding "web": pod web is being deleted, cannot be assigned to a host'],
  ])('%s', (_case, p, binding, error) => {
    const node = bindingTarget(binding, 'web', 'default');
    if (error) {
      expect(() => bindPod(p, binding, node)).toThrow(error);
    } else {
      expect(bindPod(p, binding, node).spec?.nodeName).toBe('n1');
    }
  });

  it.each<[string, Binding, number]>([
    ['another name', { metadata: { name: 'other' }, target: { name: 'n1' } }, 400],
    ['no target', { metadata: { name: 'web' } } as Binding, 422],
    ['a target that is not a node', { metadata: { name: 'web' }, target: { kind: 'Pod', name: 'x' } }, 422],
  ])('checks the Binding: %s', (_case, binding, code) => {
    try {
      bindingTarget(binding, 'web', 'default');
      expect.unreachable();
    } catch (err) {
      expect((err as ApiError).code).toBe(code);
    }
  });
});

describe('eviction budget (pure)', () => {
  it.each<[string, Pod, boolean]>([
    ['running', pod(), false],
    ['pending', pod({ status: { phase: 'Pending' } }), true],
    ['succeeded', pod({ status: { phase: 'Succeeded' } }), true],
    ['failed', pod({ status: { phase: 'Failed' } }), true],
    ['being deleted', pod({ metadata: { name: 'web', deletionTimestamp: '2026-01-01T00:00:00Z' } }), true],
  ])('%s pods skip the budget: %s', (_case, p, want) => {
    expect(canIgnoreBudget(p)).toBe(want);
  });

  it('spends one disruption and records the pod', () => {
    const decision = decideBudget(pdb({ disruptionsAllowed: 2 }), pod(), now);
    expect(decision).toEqual({ spend: true, pdb: expect.objectContaining({ status: expect.objectContaining({ disruptionsAllowed: 1, disruptedPods: { web: '2026-01-01T12:00:00Z' } }) }) });
  });

  it.each<[string, PodDisruptionBudget, number, string]>([
    ['no disruptions left', pdb({ disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1 }), 429, 'The disruption budget web-pdb needs 1 healthy pods and has 1 currently'],
    ['not yet observed', pdb({ observedGeneration: 1 }, {}, 2), 429, 'The disruption budget web-pdb is still being processed by the server.'],
    ['negative', pdb({ disruptionsAllowed: -1 }), 403, ''],
  ])('refuses: %s', (_case, budget, code, cause) => {
    try {
      decideBudget(budget, pod(), now);
      expect.unreachable();
    } catch (err) {
      const e = err as ApiError;
      expect(e.code).toBe(code);
      if (code === 429) {
        expect(e.message).toBe(VIOLATION_MESSAGE);
        expect(e.details?.causes).toEqual([{ reason: 'DisruptionBudget', message: cause }]);
      }
    }
  });

  it('lets an unready pod go without spending when the budget is healthy', () => {
    const unready = pod({ status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] } });
    expect(decideBudget(pdb({ disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2 }), unready, now)).toEqual({ spend: false });
    expect(decideBudget(pdb({ disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 2 }, { unhealthyPodEvictionPolicy: 'AlwaysAllow' }), unready, now)).toEqual({ spend: false });
    expect(() => decideBudget(pdb({ disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 2 }), unready, now)).toThrow(VIOLATION_MESSAGE);
  });
});

describe('pod subresources over HTTP', () => {
  let parts: ServerParts & { store: MemoryStore };
  let app: HandlerApp;
  const pods = () => typeOf(parts, '', 'pods');
  const pdbs = () => typeOf(parts, 'policy', 'poddisruptionbudgets');
  const post = (path: string, body: unknown) => fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeEach(async () => {
    parts = testParts();
    await parts.store.create(typeOf(parts, '', 'namespaces'), { metadata: { name: 'default' }, status: { phase: 'Active' } } as KubeObject);
    app = await serveHandlers(parts, subresources);
  });
  afterEach(async () => {
    await app.close();
  });

  it('binds once, then answers 409', async () => {
    await parts.store.create(pods(), pod() as KubeObject);
    const first = await post('/core/default/pods/web/binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web' }, target: { kind: 'Node', name: 'n1' } });
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ kind: 'Status', status: 'Success', code: 201 });
    expect(((await parts.store.get(pods(), 'default', 'web')) as Pod).spec?.nodeName).toBe('n1');
    const second = await post('/core/default/pods/web/binding', { metadata: { name: 'web' }, target: { name: 'n2' } });
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ reason: 'Conflict', message: 'Operation cannot be fulfilled on pods/binding "web": pod web is already assigned to node "n1"' });
  });

  it('evicts when the budget allows and answers 429 when it does not', async () => {
    await parts.store.create(pods(), pod({}, { nodeName: 'n1' }) as KubeObject);
    await parts.store.create(pods(), pod({ metadata: { name: 'web2', namespace: 'default', uid: 'u2', labels: { app: 'web' } } }, { nodeName: 'n1' }) as KubeObject);
    await parts.store.create(pdbs(), pdb({ disruptionsAllowed: 1 }) as KubeObject);

    const ok = await post('/core/default/pods/web/eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'web', namespace: 'default' }, deleteOptions: { gracePeriodSeconds: 0 } });
    expect(ok.status).toBe(201);
    await expect(parts.store.get(pods(), 'default', 'web')).rejects.toMatchObject({ code: 404 });
    expect(((await parts.store.get(pdbs(), 'default', 'web-pdb')) as PodDisruptionBudget).status?.disruptionsAllowed).toBe(0);

    const blocked = await post('/core/default/pods/web2/eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'web2' } });
    expect(blocked.status).toBe(429);
    expect(await blocked.json()).toMatchObject({ reason: 'TooManyRequests', message: VIOLATION_MESSAGE });
    await parts.store.get(pods(), 'default', 'web2');
  });

  it('marks an evicted pod DisruptionTarget and leaves it to its kubelet for the grace period', async () => {
    await parts.store.create(pods(), pod({}, { nodeName: 'n1', terminationGracePeriodSeconds: 30 }) as KubeObject);
    const res = await post('/core/default/pods/web/eviction', { metadata: { name: 'web' } });
    expect(res.status).toBe(201);
    const stored = (await parts.store.get(pods(), 'default', 'web')) as Pod;
    expect(stored.metadata?.deletionGracePeriodSeconds).toBe(30);
    expect(stored.status?.conditions).toContainEqual(expect.objectContaining({ type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI' }));
  });

  it('honours a resourceVersion precondition across its own condition write', async () => {
    const created = await parts.store.create(pods(), pod({}, { nodeName: 'n1' }) as KubeObject);
    const stale = await post('/core/default/pods/web/eviction', { metadata: { name: 'web' }, deleteOptions: { preconditions: { resourceVersion: '1' } } });
    expect(stale.status).toBe(409);
    const fresh = await post('/core/default/pods/web/eviction', { metadata: { name: 'web' }, deleteOptions: { gracePeriodSeconds: 0, preconditions: { resourceVersion: created.metadata?.resourceVersion } } });
    expect(fresh.status).toBe(201);
    await expect(parts.store.get(pods(), 'default', 'web')).rejects.toMatchObject({ code: 404 });
  });

  it('retries the budget write when another eviction spent it first', async () => {
    await parts.store.create(pods(), pod({}, { nodeName: 'n1' }) as KubeObject);
    await parts.store.create(pdbs(), pdb({ disruptionsAllowed: 1 }) as KubeObject);
    // A concurrent eviction spends the last disruption between our read and our write.
    parts.store.beforeUpdate = async (type) => {
      if (type.resource !== 'poddisruptionbudgets') return;
      parts.store.beforeUpdate = undefined;
      await parts.store.guaranteedUpdate(pdbs(), 'default', 'web-pdb', (cur) => ({ ...cur, status: { ...(cur as PodDisruptionBudget).status, disruptionsAllowed: 0 } }) as KubeObject);
      throw new ApiError(409, 'Conflict', 'the object has been modified');
    };
    const res = await post('/core/default/pods/web/eviction', { metadata: { name: 'web' } });
    expect(res.status).toBe(429);
    await parts.store.get(pods(), 'default', 'web');
  });

  it('evicts a pending pod without looking at budgets', async () => {
    await parts.store.create(pods(), pod({ status: { phase: 'Pending' } }) as KubeObject);
    await parts.store.create(pdbs(), pdb({ disruptionsAllowed: 0 }) as KubeObject);
    expect((await post('/core/default/pods/web/eviction', { metadata: { name: 'web' } })).status).toBe(201);
    await expect(parts.store.get(pods(), 'default', 'web')).rejects.toMatchObject({ code: 404 });
  });

  it('answers 500 when two budgets select the pod', async () => {
    await parts.store.create(pods(), pod({}, { nodeName: 'n1' }) as KubeObject);
    await parts.store.create(pdbs(), pdb({}) as KubeObject);
    await parts.store.create(pdbs(), { ...pdb({}), metadata: { name: 'second', namespace: 'default', generation: 1 } } as KubeObject);
    const res = await post('/core/default/pods/web/eviction', { metadata: { name: 'web' } });
    expect(res.status).toBe(500);
  });

  it('writes only .status through pods/status', async () => {
    await parts.store.create(pods(), pod() as KubeObject);
    const put = await fetch(`${app.url}/core/default/pods/web/status`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...pod({}, { nodeName: 'sneaky' }), metadata: { name: 'web', labels: { changed: 'yes' } }, status: { phase: 'Running', podIP: '10.244.0.5' } }),
    });
    expect(put.status).toBe(200);
    const stored = (await parts.store.get(pods(), 'default', 'web')) as Pod;
    expect(stored.status).toEqual({ phase: 'Running', podIP: '10.244.0.5' });
    expect(stored.spec?.nodeName).toBeUndefined();
    expect(stored.metadata?.labels).toEqual({ app: 'web' });

    const patch = await fetch(`${app.url}/core/default/pods/web/status`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ spec: { nodeName: 'sneaky' }, status: { podIP: '10.244.0.6' } }),
    });
    expect(patch.status).toBe(200);
    expect(await patch.json()).toMatchObject({ spec: { containers: [{ name: 'app' }] }, status: { phase: 'Running', podIP: '10.244.0.6' } });

    const stale = await fetch(`${app.url}/core/default/pods/web/status`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ metadata: { name: 'web', resourceVersion: '1' }, status: {} }),
    });
    expect(stale.status).toBe(409);
  });

  it('answers exec without an upgrade with 400', async () => {
    await parts.store.create(pods(), pod() as KubeObject);
    const res = await fetch(`${app.url}/core/default/pods/web/exec?command=ls`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ message: 'Upgrade request required' });
  });
});
