import { describe, expect, it } from 'vitest';
import { ResourceRegistry } from '../api/resources.js';
import { typesFromResourceList } from './discovery.js';

describe('typesFromResourceList', () => {
  const types = typesFromResourceList({
    groupVersion: 'example.com/v1',
    resources: [
      { name: 'gizmos', singularName: 'gizmo', namespaced: true, kind: 'Gizmo', verbs: ['get', 'list'], shortNames: ['gz'] },
      { name: 'gizmos/status', singularName: '', namespaced: true, kind: 'Gizmo', verbs: ['get'] },
      { name: 'widgets', namespaced: false, kind: 'Widget' },
    ],
  });

  it('turns top-level entries into kinds and slash entries into their subresources', () => {
    expect(types).toEqual([
      { group: 'example.com', version: 'v1', kind: 'Gizmo', resource: 'gizmos', singular: 'gizmo', namespaced: true, shortNames: ['gz'], subresources: ['status'], categories: [], verbs: ['get', 'list'] },
      { group: 'example.com', version: 'v1', kind: 'Widget', resource: 'widgets', singular: 'widget', namespaced: false, shortNames: [], subresources: [], categories: [], verbs: [] },
    ]);
  });

  it('makes kinds a registry resolves by short name and by kind', () => {
    const registry = new ResourceRegistry(types);
    expect(registry.resolve('gz')?.resource).toBe('gizmos');
    expect(registry.byKind('example.com/v1', 'Widget')?.namespaced).toBe(false);
  });

  it('reads the core group', () => {
    expect(typesFromResourceList({ groupVersion: 'v1', resources: [{ name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod' }] })[0]).toMatchObject({ group: '', version: 'v1' });
  });
});
