import { beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject, Pod } from '../api/types.js';
import { contextFor, testParts, typeOf } from './admission/testing/parts.js';
import type { MemoryStore } from './admission/testing/memory-store.js';
import type { ServerParts } from './context.js';
import { deleteAnswer, deleteObject, finalizeIfDone, gcFinalizers, planDeletion, podGracePeriod } from './deletion.js';
import { ApiError } from './errors.js';
import type { DeleteOptions } from './seams.js';

const now = new Date('2026-01-01T12:00:00Z');
let parts: ServerParts & { store: MemoryStore };

beforeEach(async () => {
  parts = testParts();
  await parts.store.create(typeOf(parts, '', 'namespaces'), { metadata: { name: 'default' }, status: { phase: 'Active' } } as KubeObject);
});

function pod(spec: Partial<NonNullable<Pod['spec']>> = {}, status: Pod['status'] = { phase: 'Running' }, meta: Partial<NonNullable<Pod['metadata']>> = {}): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', uid: 'u1', generation: 1, ...meta }, spec: { containers: [{ name: 'app' }], ...spec }, status };
}

describe('gcFinalizers', () => {
  const deploy = () => typeOf(parts, 'apps', 'deployments');
  const job = () => typeOf(parts, 'batch', 'jobs');
  it.each<[string, 'deploy' | 'job', string[], DeleteOptions, string[]]>([
    ['background default adds nothing', 'deploy', [], {}, []],
    ['jobs orphan by default', 'job', [], {}, ['orphan']],
    ['jobs with Background', 'job', [], { propagationPolicy: 'Background' }, []],
    ['Foreground', 'deploy', ['example.com/keep'], { propagationPolicy: 'Foreground' }, ['example.com/keep', 'foregroundDeletion']],
    ['Orphan replaces foreground', 'deploy', ['foregroundDeletion'], { propagationPolicy: 'Orphan' }, ['orphan']],
    ['orphanDependents=true', 'deploy', [], { orphanDependents: true }, ['orphan']],
    ['orphanDependents=false clears orphan', 'deploy', ['orphan'], { orphanDependents: false }, []],
    ['an existing orphan finalizer stands without options', 'deploy', ['orphan'], {}, ['orphan']],
  ])('%s', (_case, kind, before, opts, want) => {
    expect(gcFinalizers(kind === 'job' ? job() : deploy(), before, opts)).toEqual(want);
  });
});

describe('podGracePeriod', () => {
  it.each<[string, Pod, DeleteOptions, number]>([
    ['from the pod', pod({ nodeName: 'n1', terminationGracePeriodSeconds: 30 }), {}, 30],
    ['from the options', pod({ nodeName: 'n1', terminationGracePeriodSeconds: 30 }), { gracePeriodSeconds: 5 }, 5],
    ['unbound pods go at once', pod({ terminationGracePeriodSeconds: 30 }), {}, 0],
    ['finished pods go at once', pod({ nodeName: 'n1', terminationGracePeriodSeconds: 30 }, { phase: 'Succeeded' }), {}, 0],
    ['failed pods go at once', pod({ nodeName: 'n1', terminationGracePeriodSeconds: 30 }, { phase: 'Failed' }), {}, 0],
    ['no grace anywhere', pod({ nodeName: 'n1' }), {}, 0],
  ])('%s', (_case, p, opts, want) => {
    expect(podGracePeriod(p, opts)).toBe(want);
  });
});

describe('planDeletion', () => {
  const pods = () => typeOf(parts, '', 'pods');
  const cms = () => typeOf(parts, '', 'configmaps');

  it('deletes a plain object at once', () => {
    expect(planDeletion(cms(), { metadata: { name: 'c' } }, {}, now)).toEqual({ action: 'delete' });
  });

  it('only marks an object with finalizers', () => {
    const plan = planDeletion(cms(), { metadata: { name: 'c', generation: 2, finalizers: ['example.com/f'] } }, {}, now);
    expect(plan).toEqual({ action: 'update', obj: { metadata: { name: 'c', generation: 3, finalizers: ['example.com/f'], deletionTimestamp: '2026-01-01T12:00:00Z', deletionGracePeriodSeconds: 0 } } });
  });

  it('marks with a foreground finalizer', () => {
    const plan = planDeletion(typeOf(parts, 'apps', 'deployments'), { metadata: { name: 'd' } }, { propagationPolicy: 'Foreground' }, now);
    expect(plan.action).toBe('update');
    expect(plan.action === 'update' && plan.obj.metadata).toMatchObject({ finalizers: ['foregroundDeletion'], deletionGracePeriodSeconds: 0 });
  });

  it('marks a bound running pod with now + grace', () => {
    const plan = planDeletion(pods(), pod({ nodeName: 'n1', terminationGracePeriodSeconds: 30 }), {}, now);
    expect(plan.action === 'update' && plan.obj.metadata).toMatchObject({ deletionTimestamp: '2026-01-01T12:00:30Z', deletionGracePeriodSeconds: 30, generation: 2 });
  });

  it('deletes an unbound pod at once', () => {
    expect(planDeletion(pods(), pod({ terminationGracePeriodSeconds: 30 }), {}, now)).toEqual({ action: 'delete' });
  });

  it('keeps a pod with finalizers even at grace 0', () => {
    const plan = planDeletion(pods(), pod({}, { phase: 'Running' }, { finalizers: ['example.com/f'] }), {}, now);
    expect(plan.action === 'update' && plan.obj.metadata).toMatchObject({ deletionTimestamp: '2026-01-01T12:00:00Z', deletionGracePeriodSeconds: 0 });
  });

  it.each<[string, number | undefined, string]>([
    ['a second delete without grace changes nothing', undefined, 'none'],
    ['a longer grace changes nothing', 60, 'none'],
    ['the same grace changes nothing', 30, 'none'],
  ])('%s', (_case, grace, want) => {
    const marked = pod({ nodeName: 'n1' }, { phase: 'Running' }, { deletionTimestamp: '2026-01-01T12:00:30Z', deletionGracePeriodSeconds: 30 });
    expect(planDeletion(pods(), marked, grace === undefined ? {} : { gracePeriodSeconds: grace }, now).action).toBe(want);
  });

  it('a shorter grace moves the deletion time earlier', () => {
    const marked = pod({ nodeName: 'n1' }, { phase: 'Running' }, { deletionTimestamp: '2026-01-01T12:00:30Z', deletionGracePeriodSeconds: 30 });
    const plan = planDeletion(pods(), marked, { gracePeriodSeconds: 10 }, now);
    expect(plan.action === 'update' && plan.obj.metadata).toMatchObject({ deletionTimestamp: '2026-01-01T12:00:10Z', deletionGracePeriodSeconds: 10 });
  });

  it('the kubelet\'s grace-0 delete removes the pod', () => {
    const marked = pod({ nodeName: 'n1' }, { phase: 'Running' }, { deletionTimestamp: '2026-01-01T12:00:30Z', deletionGracePeriodSeconds: 30 });
    expect(planDeletion(pods(), marked, { gracePeriodSeconds: 0 }, now)).toEqual({ action: 'delete' });
  });

  it('a namespace turns Terminating first and goes once its finalizers are empty', () => {
    const nsType = typeOf(parts, '', 'namespaces');
    const ns = { metadata: { name: 'team' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } } as KubeObject;
    const first = planDeletion(nsType, ns, {}, now);
    expect(first).toEqual({ action: 'update', obj: { metadata: { name: 'team', deletionTimestamp: '2026-01-01T12:00:00Z' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Terminating' } } });
    const terminating = first.action === 'update' ? first.obj : ns;
    expect(planDeletion(nsType, terminating, {}, now)).toEqual({ action: 'none' });
    expect(planDeletion(nsType, { ...terminating, spec: {} } as KubeObject, {}, now)).toEqual({ action: 'delete' });
  });
});

describe('deleteObject', () => {
  async function seed(type: ReturnType<typeof typeOf>, obj: KubeObject): Promise<KubeObject> {
    return parts.store.create(type, obj);
  }
  const del = (resource: string, name: string, opts: DeleteOptions = {}, extra = {}) => {
    const type = resource === 'namespaces' ? typeOf(parts, '', 'namespaces') : typeOf(parts, '', resource);
    return deleteObject(contextFor(parts, type, type.namespaced ? 'default' : undefined, name, extra), opts);
  };

  it('removes a plain object and returns its last state', async () => {
    await seed(typeOf(parts, '', 'configmaps'), { metadata: { name: 'c', namespace: 'default', uid: 'u' } });
    const { obj, deleted } = await del('configmaps', 'c');
    expect(deleted).toBe(true);
    expect(obj.metadata?.uid).toBe('u');
    await expect(parts.store.get(typeOf(parts, '', 'configmaps'), 'default', 'c')).rejects.toMatchObject({ code: 404 });
  });

  it('checks preconditions with upstream wording', async () => {
    await seed(typeOf(parts, '', 'configmaps'), { metadata: { name: 'c', namespace: 'default', uid: 'u' } });
    await expect(del('configmaps', 'c', { preconditions: { uid: 'other' } })).rejects.toMatchObject({
      code: 409,
      message: 'Operation cannot be fulfilled on configmaps "c": Precondition failed: UID in precondition: other, UID in object meta: u',
    });
    await expect(del('configmaps', 'c', { preconditions: { resourceVersion: '1' } })).rejects.toMatchObject({ code: 409 });
    expect((await del('configmaps', 'c', { preconditions: { uid: 'u' } })).deleted).toBe(true);
  });

  it('writes nothing on dry run', async () => {
    await seed(typeOf(parts, '', 'configmaps'), { metadata: { name: 'c', namespace: 'default' } });
    expect((await del('configmaps', 'c', { dryRun: ['All'] })).deleted).toBe(true);
    await parts.store.get(typeOf(parts, '', 'configmaps'), 'default', 'c');
  });

  it('leaves a bound pod Terminating until the grace-0 delete', async () => {
    await seed(typeOf(parts, '', 'pods'), pod({ nodeName: 'n1', terminationGracePeriodSeconds: 30 }));
    const first = await del('pods', 'web');
    expect(first.deleted).toBe(false);
    expect(first.obj.metadata?.deletionGracePeriodSeconds).toBe(30);
    const again = await del('pods', 'web');
    expect(again).toMatchObject({ deleted: false, obj: { metadata: { resourceVersion: first.obj.metadata?.resourceVersion } } });
    const last = await del('pods', 'web', { gracePeriodSeconds: 0 });
    expect(last.deleted).toBe(true);
  });

  it('plans again when a write races the delete', async () => {
    const cms = typeOf(parts, '', 'configmaps');
    await seed(cms, { metadata: { name: 'c', namespace: 'default', finalizers: ['example.com/f'] } });
    parts.store.beforeUpdate = async () => {
      parts.store.beforeUpdate = undefined;
      // Another writer removes the finalizer between our read and our write; ours then conflicts.
      await parts.store.guaranteedUpdate(cms, 'default', 'c', (cur) => ({ ...cur, metadata: { ...cur.metadata, finalizers: [] } }));
      throw new ApiError(409, 'Conflict', 'the object has been modified');
    };
    const result = await deleteObject(contextFor(parts, cms, 'default', 'c'), {});
    // Planned again from the new state: no finalizer left, so the object goes at once.
    expect(result.deleted).toBe(true);
    await expect(parts.store.get(cms, 'default', 'c')).rejects.toMatchObject({ code: 404 });
  });

  it('refuses to delete a system namespace', async () => {
    await expect(del('namespaces', 'default')).rejects.toMatchObject({ code: 403, message: 'namespaces "default" is forbidden: this namespace may not be deleted' });
  });
});

describe('finalizeIfDone', () => {
  it('removes an object whose last finalizer went, and nothing else', async () => {
    const cms = typeOf(parts, '', 'configmaps');
    const ctx = contextFor(parts, cms, 'default', 'c');
    const stored = await parts.store.create(cms, { metadata: { name: 'c', namespace: 'default', deletionTimestamp: '2026-01-01T12:00:00Z', deletionGracePeriodSeconds: 0 } });
    const old = { metadata: { ...stored.metadata, finalizers: ['example.com/f'] } };
    expect(await finalizeIfDone(ctx, stored, old)).toMatchObject({ metadata: { name: 'c' } });
    await expect(parts.store.get(cms, 'default', 'c')).rejects.toMatchObject({ code: 404 });
  });

  it.each<[string, Record<string, unknown>]>([
    ['not being deleted', {}],
    ['finalizers remain', { deletionTimestamp: '2026-01-01T12:00:00Z', finalizers: ['x'] }],
    ['a pod within its grace period', { deletionTimestamp: '2026-01-01T12:00:30Z', deletionGracePeriodSeconds: 30 }],
  ])('keeps an object: %s', async (_case, meta) => {
    const pods = typeOf(parts, '', 'pods');
    const stored = await parts.store.create(pods, { metadata: { name: 'p', namespace: 'default', ...meta } });
    expect(await finalizeIfDone(contextFor(parts, pods, 'default', 'p'), stored)).toBeUndefined();
    await parts.store.get(pods, 'default', 'p');
  });

  it('keeps a terminating namespace until spec.finalizers is empty', async () => {
    const nsType = typeOf(parts, '', 'namespaces');
    const ctx = contextFor(parts, nsType, undefined, 'team');
    const stored = await parts.store.create(nsType, { metadata: { name: 'team', deletionTimestamp: '2026-01-01T12:00:00Z' }, spec: { finalizers: ['kubernetes'] } } as KubeObject);
    expect(await finalizeIfDone(ctx, stored)).toBeUndefined();
    const emptied = await parts.store.update(nsType, { ...stored, spec: {} } as KubeObject);
    expect(await finalizeIfDone(ctx, emptied)).toBeDefined();
  });
});

describe('deleteAnswer', () => {
  const obj = { apiVersion: 'v1', metadata: { name: 'x', uid: 'u' } };
  it.each<[string, string, boolean, unknown]>([
    ['a pod still terminating', 'pods', false, obj],
    ['a deleted pod answers itself', 'pods', true, obj],
    ['a deleted service answers itself', 'services', true, obj],
    ['a deleted config map answers a Status', 'configmaps', true, { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Success', details: { name: 'x', group: '', kind: 'configmaps', uid: 'u' } }],
    ['a config map held by finalizers answers itself', 'configmaps', false, obj],
  ])('%s', (_case, resource, deleted, want) => {
    expect(deleteAnswer(typeOf(parts, '', resource), { obj, deleted })).toEqual(want);
  });
});
