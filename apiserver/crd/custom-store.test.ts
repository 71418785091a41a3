import type { CustomResourceDefinition } from 'kubernetes-types/apiextensions/v1.js';
import { describe, expect, it } from 'vitest';
import { fieldsOf, type KubeObject } from '../../api/types.js';
import { MemoryStore } from '../admission/testing/memory-store.js';
import { customKindOf, CustomKinds } from './custom-kind.js';
import { CustomResourceStore } from './custom-store.js';

const version = (name: string, storage: boolean, defaults: boolean) => ({
  name,
  served: true,
  storage,
  schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'string', ...(defaults ? { default: 'M' } : {}) } } } } } },
});

const crd: CustomResourceDefinition = {
  metadata: { name: 'widgets.example.com', uid: 'u' },
  spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', kind: 'Widget' }, versions: [version('v1', true, false), version('v2', false, true)] },
};

function setup() {
  const kinds = new CustomKinds();
  const kind = customKindOf(crd);
  kinds.set(kind);
  const inner = new MemoryStore();
  const store = new CustomResourceStore(inner, kinds);
  return { inner, store, v1: kind.versions.get('v1')!.type, v2: kind.versions.get('v2')!.type };
}

const widget = (apiVersion: string, spec: Record<string, unknown> = {}): KubeObject => ({ apiVersion, kind: 'Widget', metadata: { name: 'w', namespace: 'ns' }, spec } as KubeObject);

describe('CustomResourceStore', () => {
  it('writes in the storage version and answers in the version asked for', async () => {
    const { inner, store, v1, v2 } = setup();
    const created = await store.create(v2, widget('example.com/v2'));
    expect(created.apiVersion).toBe('example.com/v2');
    expect((await inner.get(v1, 'ns', 'w')).apiVersion).toBe('example.com/v1');
    expect((await store.get(v1, 'ns', 'w')).apiVersion).toBe('example.com/v1');
    expect((await store.list(v2, { namespace: 'ns' })).items.map((i) => i.apiVersion)).toEqual(['example.com/v2']);
  });

  it('applies the served version\'s defaults on read (not written back by a read)', async () => {
    const { inner, store, v1, v2 } = setup();
    await store.create(v1, widget('example.com/v1'));
    expect(fieldsOf(await store.get(v2, 'ns', 'w')).spec).toEqual({ size: 'M' });
    expect(fieldsOf(await store.get(v1, 'ns', 'w')).spec).toEqual({});
    expect(fieldsOf(await inner.get(v1, 'ns', 'w')).spec).toEqual({});
  });

  it('guaranteedUpdate hands the served version to the mutation and stores the storage version', async () => {
    const { inner, store, v1, v2 } = setup();
    await store.create(v1, widget('example.com/v1'));
    let seen: string | undefined;
    const updated = await store.guaranteedUpdate(v2, 'ns', 'w', (current) => {
      seen = current.apiVersion;
      return { ...current, spec: { size: 'L' } } as KubeObject;
    });
    expect(seen).toBe('example.com/v2');
    expect(updated.apiVersion).toBe('example.com/v2');
    expect((await inner.get(v1, 'ns', 'w')).apiVersion).toBe('example.com/v1');
  });

  it('passes built-in kinds through untouched', async () => {
    const { store } = setup();
    const configmaps = { group: '', version: 'v1', kind: 'ConfigMap', resource: 'configmaps', singular: 'configmap', namespaced: true, shortNames: [], subresources: [], categories: [], verbs: [] };
    const cm = await store.create(configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ns' } });
    expect(cm.apiVersion).toBe('v1');
  });
});
