import { describe, expect, it } from 'vitest';
import { ResourceRegistry } from '../api/resources.js';
import { fieldsOf, type KubeObject } from '../api/types.js';
import { ApiError } from './errors.js';
import { checkNamespace, checkTypeMeta, generateName, nowTimestamp, prepareForCreate, prepareForUpdate, setGeneration } from './object-meta.js';

const registry = new ResourceRegistry();
const pods = registry.get('', 'v1', 'pods')!;
const deployments = registry.get('apps', 'v1', 'deployments')!;
const configmaps = registry.get('', 'v1', 'configmaps')!;
const nodes = registry.get('', 'v1', 'nodes')!;

describe('prepareForCreate', () => {
  it('sets identity and clears what clients may not set', () => {
    const obj: KubeObject = { metadata: { name: 'a', resourceVersion: '5', uid: 'client-uid', generation: 7, deletionTimestamp: '2020-01-01T00:00:00Z' } };
    prepareForCreate(configmaps, obj, new Date('2026-01-02T03:04:05.678Z'));
    expect(obj.metadata).toMatchObject({ name: 'a', generation: 1, creationTimestamp: '2026-01-02T03:04:05Z' });
    expect(obj.metadata?.uid).not.toBe('client-uid');
    expect(obj.metadata?.resourceVersion).toBeUndefined();
    expect(obj.metadata?.deletionTimestamp).toBeUndefined();
  });

  it.each([
    ['pods start Pending', pods, { phase: 'Pending' }],
    ['deployments start without status', deployments, undefined],
  ])('%s', (_name, type, want) => {
    const obj = { metadata: { name: 'a' }, status: { phase: 'Running', replicas: 3 } } as KubeObject;
    prepareForCreate(type, obj);
    expect(fieldsOf(obj).status).toEqual(want);
  });
});

describe('setGeneration', () => {
  const current = { metadata: { name: 'd', generation: 2 }, spec: { template: { spec: { containers: [{ name: 'c', env: [{ name: 'P', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } }] }] } } } } as KubeObject;
  it.each([
    // A defaulted field the write left out is back once defaults are in: no change.
    ['the same spec once defaulted', structuredClone(current), 2],
    ['a changed spec', { ...structuredClone(current), spec: { template: {} } }, 3],
  ])('%s', (_name, next, generation) => {
    setGeneration(deployments, next as KubeObject, current);
    expect(next.metadata?.generation).toBe(generation);
  });
});

describe('prepareForUpdate', () => {
  const current = { metadata: { name: 'd', uid: 'u1', creationTimestamp: '2026-01-01T00:00:00Z', generation: 3 }, spec: { replicas: 1 }, status: { replicas: 1 } } as KubeObject;
  it.each([
    ['label change keeps generation', { metadata: { name: 'd', labels: { a: 'b' } }, spec: { replicas: 1 } }, 3],
    ['spec change bumps generation', { metadata: { name: 'd' }, spec: { replicas: 2 } }, 4],
    ['status change alone is ignored', { metadata: { name: 'd' }, spec: { replicas: 1 }, status: { replicas: 9 } }, 3],
  ])('%s', (_name, next, generation) => {
    const obj = structuredClone(next) as KubeObject;
    prepareForUpdate(deployments, obj, current);
    expect(obj.metadata).toMatchObject({ uid: 'u1', creationTimestamp: '2026-01-01T00:00:00Z', generation });
    expect(fieldsOf(obj).status).toEqual({ replicas: 1 });
  });

  it.each([
    ['a status change bumps generation', { status: { phase: 'Done' } }, 4],
    ['a label change does not', { metadata: { name: 'd', uid: 'u1', generation: 3, labels: { a: 'b' } }, status: { phase: 'Running' } }, 3],
  ])('a kind without a status subresource: %s', (_name, change, generation) => {
    const widgets = { ...deployments, group: 'example.com', kind: 'Widget', resource: 'widgets', subresources: [] };
    const before = { ...current, status: { phase: 'Running' } } as KubeObject;
    const obj = { ...structuredClone(before), ...structuredClone(change) } as KubeObject;
    prepareForUpdate(widgets, obj, before);
    expect(obj.metadata?.generation).toBe(generation);
  });

  it('refuses a different uid with 409', () => {
    const obj = { metadata: { name: 'd', uid: 'other' }, spec: {} } as KubeObject;
    expect(() => prepareForUpdate(deployments, obj, current)).toThrow(ApiError);
  });

  it('keeps status of kinds without a status subresource as the client sent it', () => {
    const obj = { metadata: { name: 'c' }, data: {}, status: 'x' } as KubeObject;
    prepareForUpdate(configmaps, obj, { metadata: { name: 'c', uid: 'u' } });
    expect(fieldsOf(obj).status).toBe('x');
  });
});

describe('type and namespace checks', () => {
  it('fills apiVersion/kind and refuses a mismatch', () => {
    const obj: KubeObject = { metadata: {} };
    checkTypeMeta(deployments, obj);
    expect(obj).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment' });
    expect(() => checkTypeMeta(deployments, { apiVersion: 'v1', kind: 'Deployment' })).toThrow(/API version/);
    expect(() => checkTypeMeta(deployments, { apiVersion: 'apps/v1', kind: 'Pod' })).toThrow(/kind in the data/);
  });

  it.each([
    [pods, undefined, 'ns1', 'ns1'],
    [pods, 'ns1', 'ns1', 'ns1'],
    [pods, '', 'ns1', 'ns1'],
    [nodes, 'ns1', undefined, undefined],
  ])('%#', (type, inBody, inPath, want) => {
    const obj: KubeObject = { metadata: { name: 'x', namespace: inBody } };
    checkNamespace(type, obj, inPath);
    expect(obj.metadata?.namespace).toBe(want);
  });

  it('refuses a body namespace that differs from the path', () => {
    expect(() => checkNamespace(pods, { metadata: { namespace: 'a' } }, 'b')).toThrow(/does not match the namespace/);
  });
});

describe('names and times', () => {
  it('generates 5 characters from the safe alphabet', () => {
    const names = new Set(Array.from({ length: 200 }, () => generateName('web-')));
    for (const n of names) expect(n).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(names.size).toBeGreaterThan(190);
    expect(generateName('x'.repeat(80))).toHaveLength(63);
  });
  it('writes RFC 3339 seconds', () => expect(nowTimestamp(new Date('2026-05-06T07:08:09.999Z'))).toBe('2026-05-06T07:08:09Z'));
});
