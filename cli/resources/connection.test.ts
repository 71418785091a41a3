import { describe, expect, it } from 'vitest';
import { BUILTIN_RESOURCES, ResourceRegistry } from '../../api/resources.js';
import { kindName, resolveKinds } from './connection.js';

describe('resolveKinds', () => {
  const registry = new ResourceRegistry(BUILTIN_RESOURCES);
  it.each([
    ['po', ['pods']],
    ['deployments.apps', ['deployments']],
    ['all', ['pods', 'services', 'deployments', 'replicasets', 'daemonsets', 'jobs']],
  ])('%s', (name, want) => {
    expect(resolveKinds(name, registry).map((t) => t.resource)).toEqual(expect.arrayContaining(want));
  });
  it('names the served kinds for an unknown one', () => {
    expect(() => resolveKinds('gizmo', registry)).toThrow(/doesn't have a resource type "gizmo".*deployments\.apps \(deploy\).*pods \(po\)/);
  });
});

describe('kindName', () => {
  it('qualifies kinds outside the core group', () => {
    expect(kindName(new ResourceRegistry(BUILTIN_RESOURCES).resolve('deploy')!)).toBe('deployment.apps');
    expect(kindName(new ResourceRegistry(BUILTIN_RESOURCES).resolve('cm')!)).toBe('configmap');
  });
});
