import { describe, expect, it } from 'vitest';
import { ResourceRegistry, type ResourceType } from '../../api/resources.js';
import { builtinSchemaCatalog } from '../../api/schema/catalog.js';
import { OpenAPIDocuments } from './documents.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test reads parsed JSON documents

function setup() {
  const registry = new ResourceRegistry();
  const catalog = builtinSchemaCatalog();
  return { registry, catalog, docs: new OpenAPIDocuments(registry, catalog) };
}

const parse = (body: string | undefined): Json => JSON.parse(body ?? 'null') as Json;

const widgets: ResourceType = {
  group: 'example.com',
  version: 'v1',
  kind: 'Widget',
  resource: 'widgets',
  singular: 'widget',
  namespaced: true,
  shortNames: [],
  subresources: ['status'],
  categories: [],
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
};

describe('OpenAPI v3', () => {
  it('indexes every served group-version with its document hash', () => {
    const { docs } = setup();
    const index = parse(docs.index().body);
    expect(Object.keys(index.paths)).toEqual(expect.arrayContaining(['api/v1', 'apis/apps/v1', 'apis/coordination.k8s.io/v1', 'apis/policy/v1']));
    expect(index.paths['apis/apps/v1'].serverRelativeURL).toBe(`/openapi/v3/apis/apps/v1?hash=${docs.groupVersion('apis/apps/v1')!.hash}`);
    expect(docs.groupVersion('apis/apps/v1')!.hash).toMatch(/^[0-9A-F]{128}$/);
  });

  it('has the kinds of its group-version with upstream names, extensions and refs in allOf', () => {
    const doc = parse(setup().docs.groupVersion('apis/apps/v1')?.body);
    const schemas = doc.components.schemas as Json;
    expect(schemas['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
    expect(schemas['io.k8s.api.apps.v1.DeploymentList']).toBeDefined();
    // What a Deployment reaches comes along; other groups' kinds do not.
    expect(schemas['io.k8s.api.core.v1.Container'].properties.ports).toMatchObject({
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['containerPort', 'protocol'],
      'x-kubernetes-patch-merge-key': 'containerPort',
      'x-kubernetes-patch-strategy': 'merge',
    });
    expect(schemas['io.k8s.api.core.v1.Pod']).toBeUndefined();
    expect(schemas['io.k8s.api.apps.v1.Deployment'].properties.spec).toEqual({ allOf: [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec' }], description: expect.any(String) });
    expect(schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({ format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] });
  });

  it('resolves every $ref inside each document, in v3 and v2', () => {
    const { docs } = setup();
    const check = (doc: Json, defs: Json, prefix: string) => {
      const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
      expect(refs.length).toBeGreaterThan(0);
      for (const r of refs) expect(defs[r.slice(`"$ref":"${prefix}`.length, -1)], r).toBeDefined();
    };
    for (const key of Object.keys(parse(docs.index().body).paths)) {
      const doc = parse(docs.groupVersion(key)?.body);
      check(doc, doc.components.schemas, '#/components/schemas/');
    }
    const v2 = parse(docs.swagger().body);
    check(v2, v2.definitions, '#/definitions/');
  });

  it('declares every verb with the query parameters kubectl looks for', () => {
    const doc = parse(setup().docs.groupVersion('api/v1')?.body);
    const item = doc.paths['/api/v1/namespaces/{namespace}/pods/{name}'];
    expect(Object.keys(item).sort()).toEqual(['delete', 'get', 'parameters', 'patch', 'put']);
    const names = (op: Json) => (op.parameters as Json[]).map((p) => p.name);
    expect(names(item.patch)).toEqual(expect.arrayContaining(['dryRun', 'fieldManager', 'fieldValidation', 'force']));
    expect(names(item.put)).toEqual(expect.arrayContaining(['dryRun', 'fieldManager', 'fieldValidation']));
    expect(item.patch['x-kubernetes-group-version-kind']).toEqual({ group: '', version: 'v1', kind: 'Pod' });
    expect(item.patch.operationId).toBe('patchCoreV1NamespacedPod');
    expect(Object.keys(item.patch.requestBody.content)).toContain('application/strategic-merge-patch+json');
    const coll = doc.paths['/api/v1/namespaces/{namespace}/pods'];
    expect(names(coll.post)).toContain('fieldValidation');
    expect(coll.get['x-kubernetes-action']).toBe('list');
    expect(doc.paths['/api/v1/pods'].get.operationId).toBe('listCoreV1PodForAllNamespaces');
    expect(doc.paths['/api/v1/nodes/{name}'].patch.operationId).toBe('patchCoreV1Node');
    expect(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/status'].patch['x-kubernetes-action']).toBe('patch');
    expect(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/eviction'].post['x-kubernetes-group-version-kind']).toEqual({ group: 'policy', version: 'v1', kind: 'Eviction' });
    expect(doc.components.schemas['io.k8s.api.policy.v1.Eviction']).toBeDefined();
  });

  it('has no document for an unserved group-version', () => {
    expect(setup().docs.groupVersion('apis/example.com/v1')).toBeUndefined();
  });

  it('rebuilds when a custom kind arrives, with its schema and a List', () => {
    const { registry, catalog, docs } = setup();
    const before = docs.index().hash;
    registry.add(widgets);
    // Served but not yet described (no schema): no document.
    expect(docs.groupVersion('apis/example.com/v1')).toBeUndefined();
    catalog.setCustom('example.com', 'v1', 'Widget', { type: 'object', properties: { spec: { type: 'object', description: 'the widget', properties: { size: { type: 'integer' } } } } });
    expect(docs.index().hash).not.toBe(before);
    const doc = parse(docs.groupVersion('apis/example.com/v1')?.body);
    expect(doc.components.schemas['com.example.v1.Widget'].properties.spec.properties.size).toEqual({ type: 'integer' });
    expect(doc.components.schemas['com.example.v1.WidgetList']['x-kubernetes-group-version-kind']).toEqual([{ group: 'example.com', version: 'v1', kind: 'WidgetList' }]);
    expect(doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']).toBeDefined();
    // No strategic merge patch for custom kinds, as upstream.
    const patch = doc.paths['/apis/example.com/v1/namespaces/{namespace}/widgets/{name}'].patch;
    expect(Object.keys(patch.requestBody.content)).not.toContain('application/strategic-merge-patch+json');
    catalog.removeCustom('example.com', 'v1', 'Widget');
    expect(docs.groupVersion('apis/example.com/v1')).toBeUndefined();
  });
});

describe('OpenAPI v2', () => {
  it('is one swagger 2.0 document with definitions and #/definitions refs', () => {
    const doc = parse(setup().docs.swagger().body);
    expect(doc.swagger).toBe('2.0');
    expect(doc.definitions['io.k8s.api.core.v1.PodSpec'].properties.containers).toMatchObject({
      items: { $ref: '#/definitions/io.k8s.api.core.v1.Container' },
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
    });
    expect(doc.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({ type: 'string', format: 'int-or-string' });
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
    expect(patch.parameters.map((p: Json) => p.name)).toEqual(expect.arrayContaining(['fieldValidation', 'dryRun', 'fieldManager', 'force', 'body']));
    expect(JSON.stringify(doc)).not.toContain('#/components/schemas/');
  });
});
