import type { CustomResourceDefinition } from 'kubernetes-types/apiextensions/v1.js';
import { describe, expect, it } from 'vitest';
import { ResourceRegistry } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { defaultSeams } from '../seams.js';
import { customKindOf, CustomKinds } from './custom-kind.js';
import { withCustomResources } from './seams.js';

const crd: CustomResourceDefinition = {
  metadata: { name: 'widgets.example.com', uid: 'crd-uid' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', kind: 'Widget' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
        additionalPrinterColumns: [{ name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' }],
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { replicas: { type: 'integer', minimum: 0, default: 1 } } } } } },
      },
      { name: 'v0', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
    ],
  },
};

function setup() {
  const kinds = new CustomKinds();
  const kind = customKindOf(crd);
  kinds.set(kind);
  const seams = withCustomResources(defaultSeams(), kinds);
  const type = kind.versions.get('v1')!.type;
  return { kinds, kind, seams, type };
}

const widget = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' }, spec } as KubeObject);

describe('customKindOf', () => {
  it('serves only served versions, stores in the storage version', () => {
    const { kind, type } = setup();
    expect([...kind.versions.keys()]).toEqual(['v1']);
    expect(kind.storageApiVersion).toBe('example.com/v1');
    expect(type).toMatchObject({ group: 'example.com', version: 'v1', kind: 'Widget', resource: 'widgets', singular: 'widget', namespaced: true, subresources: ['status', 'scale'] });
    expect(kind.storageType.version).toBe('v1');
  });

  it('keeps the storage version\'s type when that version is no longer served', () => {
    const retired = structuredClone(crd);
    retired.spec.versions[0].storage = false;
    retired.spec.versions[1].storage = true;
    const kind = customKindOf(retired);
    expect(kind.storageApiVersion).toBe('example.com/v0');
    expect(kind.storageType).toMatchObject({ version: 'v0', resource: 'widgets' });
    expect([...kind.versions.keys()]).toEqual(['v1']);
  });
});

describe('withCustomResources', () => {
  it('selects custom objects by metadata and by the version\'s selectable fields', () => {
    const kinds = new CustomKinds();
    const withFields = structuredClone(crd);
    withFields.spec.versions[0].selectableFields = [{ jsonPath: '.spec.replicas' }];
    const kind = customKindOf(withFields);
    kinds.set(kind);
    const seams = withCustomResources(defaultSeams(), kinds);
    const type = kind.versions.get('v1')!.type;
    const three = { ...widget({ replicas: 3 }), metadata: { name: 'w', namespace: 'default', labels: { a: 'b' } } };
    expect(seams.selectorFilter(type, 'a=b', 'spec.replicas=3,metadata.namespace=default')!.matches(three)).toBe(true);
    expect(seams.selectorFilter(type, 'a=c', 'spec.replicas=3')!.matches(three)).toBe(false);
    expect(seams.selectorFilter(type, '', 'spec.replicas!=3')!.matches(three)).toBe(false);
    expect(() => seams.selectorFilter(type, '', 'spec.color=red')).toThrow(/field label not supported: spec.color/);
    expect(() => seams.selectorFilter(type, '', 'spec.replicas==')).not.toThrow();
  });

  it('prunes and defaults custom objects from their schema', () => {
    const { seams, type } = setup();
    const obj = widget({ bogus: true });
    seams.applyDefaults(type, obj);
    expect((obj as unknown as { spec: unknown }).spec).toEqual({ replicas: 1 });
  });

  it('validates custom objects against the schema, and their metadata as every object', () => {
    const { seams, type } = setup();
    const causes = seams.validateObject(type, { ...widget({ replicas: -1 }), metadata: { name: 'Not_Valid', namespace: 'default' } });
    expect(causes.map((c) => c.field).sort()).toEqual(['metadata.name', 'spec.replicas']);
  });

  it('refuses creates while the CRD is terminating, updates still pass', () => {
    const { seams, type, kind } = setup();
    kind.terminating = true;
    expect(() => seams.validateObject(type, widget({}))).toThrow(/terminating/);
    expect(seams.validateObject(type, widget({}), widget({}))).toEqual([]);
  });

  it('validates and defaults CRDs themselves', () => {
    const { seams } = setup();
    const crdType = new ResourceRegistry().get('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!;
    const obj = structuredClone(crd) as KubeObject;
    seams.applyDefaults(crdType, obj);
    expect((obj as CustomResourceDefinition).spec.names.listKind).toBe('WidgetList');
    expect(seams.validateObject(crdType, { ...obj, metadata: { name: 'wrong.example.com' } }).map((c) => c.field)).toEqual(['metadata.name']);
  });

  it('answers Tables with the printer columns, and built-in kinds as before', () => {
    const { seams, type } = setup();
    const table = seams.toTable!(type, [widget({ replicas: 3 })], { includeObject: 'None' }) as unknown as { rows: Array<{ cells: unknown[] }> };
    expect(table.rows[0].cells).toEqual(['w', 3]);
    const pods = new ResourceRegistry().get('', 'v1', 'pods')!;
    const podTable = seams.toTable!(pods, [], { includeObject: 'None' }) as unknown as { columnDefinitions: Array<{ name: string }> };
    expect(podTable.columnDefinitions.map((c) => c.name)).toContain('Ready');
  });

  it('serves the kind\'s status and scale subresources, and forgets them with the kind', () => {
    const { seams, kinds } = setup();
    const paths = seams.subresources.map((h) => h.path);
    expect(paths).toContain('widgets.example.com/status');
    expect(paths).toContain('widgets.example.com/scale');
    expect(paths).toContain('pods/binding');
    kinds.delete('example.com', 'widgets');
    expect(seams.subresources.map((h) => h.path)).not.toContain('widgets.example.com/status');
  });
});
