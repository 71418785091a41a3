import { beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject, Pod } from '../../api/types.js';
import type { ServerParts } from '../context.js';
import { ApiError } from '../errors.js';
import { runAdmission } from './index.js';
import { attrsFor, testParts, typeOf } from './testing/parts.js';
import type { MemoryStore } from './testing/memory-store.js';

let parts: ServerParts & { store: MemoryStore };

beforeEach(async () => {
  parts = testParts();
  const ns = typeOf(parts, '', 'namespaces');
  await parts.store.create(ns, { metadata: { name: 'default' }, status: { phase: 'Active' } } as KubeObject);
  await parts.store.create(ns, { metadata: { name: 'dying', deletionTimestamp: '2026-01-01T00:00:00Z' }, status: { phase: 'Terminating' } } as KubeObject);
});

function pod(spec: Partial<NonNullable<Pod['spec']>> = {}, namespace = 'default'): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace }, spec: { containers: [{ name: 'app', image: 'busybox' }], ...spec } };
}

/** Runs both phases as the write path does; returns the error, if any. */
async function admit(group: string, resource: string, operation: 'CREATE' | 'UPDATE' | 'DELETE', obj: KubeObject | undefined, extra: { name?: string; namespace?: string } = {}): Promise<ApiError | undefined> {
  const attrs = attrsFor(typeOf(parts, group, resource), operation, obj, extra);
  try {
    await runAdmission('admit', attrs, parts);
    await runAdmission('validate', attrs, parts);
    return undefined;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
}

describe('NamespaceLifecycle', () => {
  it.each<[string, string, string, 'CREATE' | 'UPDATE' | 'DELETE', string | undefined, number | undefined, string | undefined]>([
    ['create in an active namespace', '', 'configmaps', 'CREATE', 'default', undefined, undefined],
    ['create in a missing namespace', '', 'configmaps', 'CREATE', 'nope', 404, 'namespaces "nope" not found'],
    ['update in a missing namespace', '', 'configmaps', 'UPDATE', 'nope', 404, 'namespaces "nope" not found'],
    ['create in a terminating namespace', '', 'configmaps', 'CREATE', 'dying', 403, 'configmaps "cfg" is forbidden: unable to create new content in namespace dying because it is being terminated'],
    ['update in a terminating namespace', '', 'configmaps', 'UPDATE', 'dying', undefined, undefined],
    ['delete in a terminating namespace', '', 'configmaps', 'DELETE', 'dying', undefined, undefined],
    ['delete in a missing namespace', '', 'configmaps', 'DELETE', 'nope', undefined, undefined],
    ['group-qualified resource name', 'apps', 'deployments', 'CREATE', 'dying', 403, 'deployments.apps "cfg" is forbidden: unable to create new content in namespace dying because it is being terminated'],
  ])('%s', async (_case, group, resource, op, namespace, code, message) => {
    const obj = { metadata: { name: 'cfg', namespace } } as KubeObject;
    const err = await admit(group, resource, op, obj, { namespace });
    expect(err?.code).toBe(code);
    expect(err?.message).toBe(message);
  });

  it('names the terminating namespace in the causes', async () => {
    const err = await admit('', 'configmaps', 'CREATE', { metadata: { name: 'cfg', namespace: 'dying' } } as KubeObject, { namespace: 'dying' });
    expect(err?.details?.causes).toEqual([{ reason: 'NamespaceTerminating', message: 'namespace dying is being terminated', field: 'metadata.namespace' }]);
  });

  it.each(['default', 'kube-system', 'kube-public', 'kube-node-lease'])('refuses to delete %s', async (name) => {
    const err = await admit('', 'namespaces', 'DELETE', undefined, { name });
    expect(err?.code).toBe(403);
    expect(err?.message).toBe(`namespaces "${name}" is forbidden: this namespace may not be deleted`);
  });

  it('lets other namespaces be deleted and cluster-scoped kinds through', async () => {
    expect(await admit('', 'namespaces', 'DELETE', undefined, { name: 'dying' })).toBeUndefined();
    expect(await admit('', 'nodes', 'CREATE', { metadata: { name: 'n1' } })).toBeUndefined();
  });
});

describe('DefaultTolerationSeconds', () => {
  const notReady = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
  const unreachable = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
  it.each<[string, NonNullable<Pod['spec']>['tolerations'], unknown[]]>([
    ['adds both', undefined, [notReady, unreachable]],
    ['keeps an own not-ready toleration', [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }], [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }, unreachable]],
    ['a toleration of every taint covers both', [{ operator: 'Exists' }], [{ operator: 'Exists' }]],
    ['a NoSchedule toleration does not count', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }], [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }, notReady, unreachable]],
  ])('%s', async (_case, tolerations, want) => {
    const p = pod(tolerations ? { tolerations } : {});
    expect(await admit('', 'pods', 'CREATE', p)).toBeUndefined();
    expect(p.spec?.tolerations).toEqual(want);
  });

  it('uses the configured seconds', async () => {
    parts = { ...parts, config: { ...parts.config, defaultNotReadyTolerationSeconds: 7, defaultUnreachableTolerationSeconds: 9 } };
    const p = pod();
    await admit('', 'pods', 'CREATE', p);
    expect(p.spec?.tolerations?.map((t) => t.tolerationSeconds)).toEqual([7, 9]);
  });
});

describe('ServiceAccount', () => {
  it.each<[string, Partial<NonNullable<Pod['spec']>>, Record<string, string> | undefined, string | undefined]>([
    ['defaults to default', {}, undefined, 'default'],
    ['keeps a named account', { serviceAccountName: 'builder' }, undefined, 'builder'],
    ['takes the deprecated field', { serviceAccount: 'old' }, undefined, 'old'],
    ['leaves mirror pods alone', {}, { 'kubernetes.io/config.mirror': 'x' }, undefined],
  ])('%s', async (_case, spec, annotations, want) => {
    const p = pod(spec);
    if (annotations) p.metadata = { ...p.metadata, annotations };
    await admit('', 'pods', 'CREATE', p);
    expect(p.spec?.serviceAccountName).toBe(want);
  });
});

describe('Priority', () => {
  beforeEach(async () => {
    const pc = typeOf(parts, 'scheduling.k8s.io', 'priorityclasses');
    await parts.store.create(pc, { metadata: { name: 'high' }, value: 1000 } as KubeObject);
    await parts.store.create(pc, { metadata: { name: 'batch' }, value: 10, preemptionPolicy: 'Never' } as KubeObject);
  });

  it.each<[string, Partial<NonNullable<Pod['spec']>>, { priority?: number; preemptionPolicy?: string; priorityClassName?: string } | string]>([
    ['no class and no default: 0', {}, { priority: 0, preemptionPolicy: 'PreemptLowerPriority' }],
    ['a named class', { priorityClassName: 'high' }, { priority: 1000, preemptionPolicy: 'PreemptLowerPriority', priorityClassName: 'high' }],
    ['a non-preempting class', { priorityClassName: 'batch' }, { priority: 10, preemptionPolicy: 'Never' }],
    ['system-node-critical built in', { priorityClassName: 'system-node-critical' }, { priority: 2000001000 }],
    ['system-cluster-critical built in', { priorityClassName: 'system-cluster-critical' }, { priority: 2000000000 }],
    ['unknown class', { priorityClassName: 'nope' }, 'pods "web" is forbidden: no PriorityClass with name nope was found'],
    ['a matching priority is accepted', { priorityClassName: 'high', priority: 1000 }, { priority: 1000 }],
    ['a different priority is refused', { priorityClassName: 'high', priority: 5 }, 'pods "web" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name'],
  ])('%s', async (_case, spec, want) => {
    const p = pod(spec);
    const err = await admit('', 'pods', 'CREATE', p);
    if (typeof want === 'string') {
      expect(err?.code).toBe(403);
      expect(err?.message).toBe(want);
    } else {
      expect(err).toBeUndefined();
      expect(p.spec).toMatchObject(want);
    }
  });

  it('applies the global default class, the lowest when several claim it', async () => {
    const pc = typeOf(parts, 'scheduling.k8s.io', 'priorityclasses');
    await parts.store.create(pc, { metadata: { name: 'd1' }, value: 50, globalDefault: true } as KubeObject);
    await parts.store.create(pc, { metadata: { name: 'd2' }, value: 20, globalDefault: true } as KubeObject);
    const p = pod();
    await admit('', 'pods', 'CREATE', p);
    expect(p.spec).toMatchObject({ priorityClassName: 'd2', priority: 20 });
  });

  it('refuses a second global default and reserved names', async () => {
    const pc = typeOf(parts, 'scheduling.k8s.io', 'priorityclasses');
    await parts.store.create(pc, { metadata: { name: 'd1' }, value: 50, globalDefault: true } as KubeObject);
    expect((await admit('scheduling.k8s.io', 'priorityclasses', 'CREATE', { metadata: { name: 'd3' }, value: 1, globalDefault: true } as KubeObject))?.message).toBe(
      'priorityclasses.scheduling.k8s.io "d3" is forbidden: PriorityClass d1 is already marked as default. Only one default can exist',
    );
    expect((await admit('scheduling.k8s.io', 'priorityclasses', 'UPDATE', { metadata: { name: 'd1' }, value: 51, globalDefault: true } as KubeObject))).toBeUndefined();
    expect((await admit('scheduling.k8s.io', 'priorityclasses', 'CREATE', { metadata: { name: 'system-mine' }, value: 1 } as KubeObject))?.code).toBe(403);
  });

  it('leaves pod updates alone', async () => {
    const p = pod({ priorityClassName: 'nope' });
    expect(await admit('', 'pods', 'UPDATE', p)).toBeUndefined();
    expect(p.spec?.priority).toBeUndefined();
  });
});
