import { describe, expect, it } from 'vitest';
import { BUILTIN_RESOURCES, ResourceRegistry, resourcePath, storageKey } from './resources.js';

describe('resource registry', () => {
  const reg = new ResourceRegistry();
  it.each([
    ['po', 'pods'],
    ['pod', 'pods'],
    ['Pods', 'pods'],
    ['deploy', 'deployments'],
    ['deployments.apps', 'deployments'],
    ['Deployment', 'deployments'],
    ['ns', 'namespaces'],
    ['ep', 'endpoints'],
  ])('resolves %s to %s', (input, resource) => {
    expect(reg.resolve(input)?.resource).toBe(resource);
  });

  it('does not resolve an unknown name', () => {
    expect(reg.resolve('frobs')).toBeUndefined();
  });

  it('builds paths and storage keys', () => {
    const pods = reg.get('', 'v1', 'pods')!;
    const deps = reg.get('apps', 'v1', 'deployments')!;
    const nodes = reg.get('', 'v1', 'nodes')!;
    expect(resourcePath(pods, 'default', 'web', 'status')).toBe('/api/v1/namespaces/default/pods/web/status');
    expect(resourcePath(deps, 'ns1')).toBe('/apis/apps/v1/namespaces/ns1/deployments');
    expect(resourcePath(nodes, 'ignored', 'n1')).toBe('/api/v1/nodes/n1');
    expect(storageKey(pods, 'default', 'web')).toBe('/registry/pods/default/web');
    expect(storageKey(nodes, undefined, 'n1')).toBe('/registry/nodes/n1');
    expect(storageKey({ ...deps, group: 'example.com', resource: 'widgets' }, 'a', 'b')).toBe('/registry/example.com/widgets/a/b');
  });

  it('has unique resources per group-version', () => {
    const keys = BUILTIN_RESOURCES.map((t) => `${t.group}/${t.version}/${t.resource}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
