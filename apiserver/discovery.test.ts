import { describe, expect, it } from 'vitest';
import { ResourceRegistry } from '../api/resources.js';
import { aggregatedDiscovery, apiGroupDoc, apiGroupList, apiResourceList, wantsAggregated } from './discovery.js';
import { wantsTable } from './respond.js';

const registry = new ResourceRegistry();

describe('discovery documents', () => {
  it('lists named groups with their preferred version, never the core group', () => {
    const doc = apiGroupList(registry) as { groups: Array<{ name: string; preferredVersion: { groupVersion: string } }> };
    expect(doc.groups.map((g) => g.name)).toEqual(['apiextensions.k8s.io', 'apps', 'batch', 'coordination.k8s.io', 'discovery.k8s.io', 'policy', 'scheduling.k8s.io']);
    expect(doc.groups[1].preferredVersion.groupVersion).toBe('apps/v1');
    expect(apiGroupDoc(registry, 'apps')).toMatchObject({ kind: 'APIGroup', name: 'apps' });
    expect(apiGroupDoc(registry, 'nope')).toBeUndefined();
    expect(apiGroupDoc(registry, '')).toBeUndefined();
  });

  it('describes resources and subresources with their kinds and verbs', () => {
    const v1 = apiResourceList(registry, '', 'v1') as { groupVersion: string; resources: Array<Record<string, unknown>> };
    expect(v1.groupVersion).toBe('v1');
    const byName = new Map(v1.resources.map((r) => [r.name, r]));
    expect(byName.get('pods')).toMatchObject({ singularName: 'pod', namespaced: true, kind: 'Pod', shortNames: ['po'], categories: ['all'] });
    expect(byName.get('pods/status')).toMatchObject({ kind: 'Pod', verbs: ['get', 'patch', 'update'] });
    expect(byName.get('pods/eviction')).toMatchObject({ group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
    expect(byName.get('namespaces')).toMatchObject({ namespaced: false });
    expect(apiResourceList(registry, 'apps', 'v2')).toBeUndefined();
  });

  it('aggregates the core group and the named groups separately', () => {
    const core = aggregatedDiscovery(registry, true, 'v2') as { apiVersion: string; items: Array<{ metadata: { name?: string }; versions: Array<{ resources: Array<Record<string, unknown>> }> }> };
    expect(core.apiVersion).toBe('apidiscovery.k8s.io/v2');
    expect(core.items).toHaveLength(1);
    expect(core.items[0].metadata.name).toBeUndefined();
    const pods = core.items[0].versions[0].resources.find((r) => r.resource === 'pods');
    expect(pods).toMatchObject({ scope: 'Namespaced', singularResource: 'pod', responseKind: { group: '', version: 'v1', kind: 'Pod' } });
    const groups = aggregatedDiscovery(registry, false, 'v2beta1') as { items: Array<{ metadata: { name: string } }> };
    expect(groups.items.map((i) => i.metadata.name)).toContain('apps');
  });
});

describe('content negotiation', () => {
  const AGG = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
  const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
  it.each([
    [AGG, 'v2'],
    ['application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList', 'v2beta1'],
    ['application/json, */*', undefined],
    [undefined, undefined],
  ])('aggregated for %s → %s', (accept, want) => expect(wantsAggregated(accept)).toBe(want));
  it.each([
    [TABLE, true],
    ['application/json', false],
    ['application/json,application/json;as=Table;v=v1;g=meta.k8s.io', false],
    ['application/vnd.kubernetes.protobuf,application/json', false],
    [undefined, false],
  ])('table for %s → %s', (accept, want) => expect(wantsTable(accept)).toBe(want));
});
