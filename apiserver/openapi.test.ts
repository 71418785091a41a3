import { describe, expect, it } from 'vitest';
import { ResourceRegistry } from '../api/resources.js';
import { documentHash, openAPIGroupVersion, openAPIIndex } from './openapi.js';

const registry = new ResourceRegistry();

describe('OpenAPI v3 surface', () => {
  it('indexes every served group-version with a content hash', () => {
    const index = openAPIIndex(registry) as { paths: Record<string, { serverRelativeURL: string }> };
    expect(Object.keys(index.paths)).toEqual(expect.arrayContaining(['api/v1', 'apis/apps/v1', 'apis/coordination.k8s.io/v1']));
    const doc = openAPIGroupVersion(registry, 'apis/apps/v1');
    expect(index.paths['apis/apps/v1'].serverRelativeURL).toBe(`/openapi/v3/apis/apps/v1?hash=${documentHash(doc)}`);
  });

  it('declares fieldValidation on each kind\'s PATCH, tagged with its group-version-kind', () => {
    const doc = openAPIGroupVersion(registry, 'api/v1') as { paths: Record<string, { patch: Record<string, unknown> }> };
    const cm = doc.paths['/api/v1/namespaces/{namespace}/configmaps/{name}'].patch;
    expect(cm['x-kubernetes-group-version-kind']).toEqual({ group: '', version: 'v1', kind: 'ConfigMap' });
    expect(cm.parameters).toEqual([expect.objectContaining({ name: 'fieldValidation', in: 'query' })]);
    expect(doc.paths['/api/v1/nodes/{name}'].patch['x-kubernetes-group-version-kind']).toMatchObject({ kind: 'Node' });
  });

  it('has no document for an unserved group-version', () => {
    expect(openAPIGroupVersion(registry, 'apis/example.com/v1')).toBeUndefined();
  });
});
