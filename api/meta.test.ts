import { describe, expect, it } from 'vitest';
import { BUILTIN_RESOURCES } from './resources.js';
import {
  controllerRef, getCondition, isControlledBy, newOwnerRef, objectKey, podIsActive, podIsReady, podIsTerminal, podRequests, removeCondition,
  setCondition, splitKey, type ConditionLike,
} from './meta.js';
import type { KubeObject, Pod } from './types.js';

const pod = (o: object): Pod => o as Pod;
const rsType = BUILTIN_RESOURCES.find((t) => t.kind === 'ReplicaSet')!;

describe('keys', () => {
  it.each<[KubeObject, string]>([
    [{ metadata: { name: 'web', namespace: 'default' } }, 'default/web'],
    [{ metadata: { name: 'n1' } }, 'n1'],
  ])('objectKey(%j) = %s', (obj, key) => expect(objectKey(obj)).toBe(key));

  it.each<[string, { namespace?: string; name: string }]>([
    ['default/web', { namespace: 'default', name: 'web' }],
    ['n1', { name: 'n1' }],
  ])('splitKey(%s)', (key, parts) => expect(splitKey(key)).toEqual(parts));

  it('rejects keys with two slashes', () => expect(() => splitKey('a/b/c')).toThrow('unexpected key format'));
});

describe('owner references', () => {
  const owner: KubeObject = { metadata: { name: 'rs1', namespace: 'd', uid: 'u-1' } };
  const other: KubeObject = { metadata: { name: 'rs2', namespace: 'd', uid: 'u-2' } };

  it('builds a controller reference by default', () => {
    expect(newOwnerRef(owner, rsType)).toEqual({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs1', uid: 'u-1', controller: true, blockOwnerDeletion: true });
    expect(newOwnerRef(owner, rsType, { controller: false })).toEqual({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs1', uid: 'u-1', controller: false });
  });

  it('finds the controller among owners', () => {
    const child: KubeObject = { metadata: { name: 'p', ownerReferences: [newOwnerRef(other, rsType, { controller: false }), newOwnerRef(owner, rsType)] } };
    expect(controllerRef(child)?.uid).toBe('u-1');
    expect(isControlledBy(child, owner)).toBe(true);
    expect(isControlledBy(child, other)).toBe(false);
    expect(controllerRef({ metadata: { name: 'orphan' } })).toBeUndefined();
    expect(isControlledBy({ metadata: { name: 'orphan' } }, owner)).toBe(false);
  });
});

describe('conditions', () => {
  const t0 = new Date('2026-01-01T00:00:00.123Z');
  const t1 = new Date('2026-01-01T00:05:00Z');
  const ready = (status: string, reason?: string): ConditionLike => ({ type: 'Ready', status, ...(reason ? { reason } : {}) });

  it('stamps a new condition', () => {
    const list = setCondition(undefined, ready('True'), t0);
    expect(list).toEqual([{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }]);
  });

  it('keeps lastTransitionTime when only the reason changes', () => {
    const first = setCondition(undefined, ready('False', 'Starting'), t0);
    const second = setCondition(first, ready('False', 'Pulling'), t1);
    expect(second).toEqual([{ type: 'Ready', status: 'False', reason: 'Pulling', lastTransitionTime: '2026-01-01T00:00:00Z' }]);
    expect(first[0].reason).toBe('Starting');
  });

  it('moves lastTransitionTime when the status changes, keeping the others in place', () => {
    const base = [{ type: 'Initialized', status: 'True', lastTransitionTime: 'x' }, ...setCondition(undefined, ready('False'), t0)];
    const next = setCondition(base, ready('True'), t1);
    expect(next.map((c) => c.type)).toEqual(['Initialized', 'Ready']);
    expect(getCondition(next, 'Ready')?.lastTransitionTime).toBe('2026-01-01T00:05:00Z');
    expect(getCondition(next, 'Initialized')?.lastTransitionTime).toBe('x');
    expect(removeCondition(next, 'Ready').map((c) => c.type)).toEqual(['Initialized']);
    expect(getCondition(next, 'Missing')).toBeUndefined();
  });
});

describe('pod state', () => {
  it.each<[string, object, { ready: boolean; terminal: boolean; active: boolean }]>([
    ['running and ready', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }, { ready: true, terminal: false, active: true }],
    ['running, not ready', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] } }, { ready: false, terminal: false, active: true }],
    ['pending', { status: { phase: 'Pending' } }, { ready: false, terminal: false, active: true }],
    ['succeeded', { status: { phase: 'Succeeded' } }, { ready: false, terminal: true, active: false }],
    ['failed', { status: { phase: 'Failed' } }, { ready: false, terminal: true, active: false }],
    ['being deleted', { metadata: { deletionTimestamp: '2026-01-01T00:00:00Z' }, status: { phase: 'Running' } }, { ready: false, terminal: false, active: false }],
  ])('%s', (_name, p, expected) => {
    expect({ ready: podIsReady(pod(p)), terminal: podIsTerminal(pod(p)), active: podIsActive(pod(p)) }).toEqual(expected);
  });
});

describe('podRequests', () => {
  const c = (name: string, cpu?: string, memory?: string, extra: object = {}) => ({
    name,
    image: 'busybox',
    resources: { requests: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } },
    ...extra,
  });
  it.each<[string, object, { cpuMillis: number; memoryBytes: number }]>([
    ['no requests', { containers: [{ name: 'a', image: 'x' }] }, { cpuMillis: 0, memoryBytes: 0 }],
    ['sum of containers', { containers: [c('a', '100m', '64Mi'), c('b', '250m', '128Mi')] }, { cpuMillis: 350, memoryBytes: 192 * 1024 * 1024 }],
    [
      'init container larger than the sum',
      { initContainers: [c('i', '1', '32Mi')], containers: [c('a', '100m', '64Mi'), c('b', '200m', '64Mi')] },
      { cpuMillis: 1000, memoryBytes: 128 * 1024 * 1024 },
    ],
    [
      'largest of several init containers, not their sum',
      { initContainers: [c('i1', '500m'), c('i2', '400m')], containers: [c('a', '100m')] },
      { cpuMillis: 500, memoryBytes: 0 },
    ],
    [
      'limits only count as requests',
      { containers: [{ name: 'a', image: 'x', resources: { limits: { cpu: '2', memory: '1Gi' } } }] },
      { cpuMillis: 2000, memoryBytes: 1024 ** 3 },
    ],
    ['overhead is added', { containers: [c('a', '100m', '10Mi')], overhead: { cpu: '50m', memory: '1Mi' } }, { cpuMillis: 150, memoryBytes: 11 * 1024 * 1024 }],
    [
      'sidecars add to the sum and to later init steps',
      {
        initContainers: [c('side', '200m', undefined, { restartPolicy: 'Always' }), c('init', '900m')],
        containers: [c('a', '100m')],
      },
      { cpuMillis: 1100, memoryBytes: 0 },
    ],
  ])('%s', (_name, spec, expected) => {
    expect(podRequests(pod({ metadata: { name: 'p' }, spec }))).toEqual(expected);
  });
});
