import { describe, expect, it } from 'vitest';
import { ResourceRegistry } from '../api/resources.js';
import { ApiError } from './errors.js';
import { parseResourcePath } from './request-info.js';

const registry = new ResourceRegistry();

describe('parseResourcePath', () => {
  it.each([
    ['/api/v1/pods', { resource: 'pods', namespace: undefined, name: undefined, subresource: undefined, watchPrefix: false }],
    ['/api/v1/namespaces/ns1/pods', { resource: 'pods', namespace: 'ns1', name: undefined }],
    ['/api/v1/namespaces/ns1/pods/web', { resource: 'pods', namespace: 'ns1', name: 'web' }],
    ['/api/v1/namespaces/ns1/pods/web/status', { resource: 'pods', namespace: 'ns1', name: 'web', subresource: 'status' }],
    ['/api/v1/namespaces', { resource: 'namespaces', name: undefined }],
    ['/api/v1/namespaces/ns1', { resource: 'namespaces', namespace: undefined, name: 'ns1' }],
    ['/api/v1/namespaces/ns1/finalize', { resource: 'namespaces', name: 'ns1', subresource: 'finalize' }],
    ['/api/v1/nodes/n1', { resource: 'nodes', name: 'n1' }],
    ['/api/v1/nodes/n1/proxy/metrics/cadvisor', { resource: 'nodes', name: 'n1', subresource: 'proxy' }],
    ['/apis/apps/v1/namespaces/a/deployments/d/scale', { resource: 'deployments', namespace: 'a', name: 'd', subresource: 'scale' }],
    ['/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', { resource: 'leases', namespace: 'kube-node-lease' }],
    ['/api/v1/watch/namespaces/ns1/pods', { resource: 'pods', namespace: 'ns1', watchPrefix: true }],
    ['/api/v1/namespaces/ns1/configmaps/a%2Fb', { resource: 'configmaps', name: 'a/b' }],
  ])('%s', (path, want) => {
    const got = parseResourcePath(path, registry)!;
    expect({ resource: got.type.resource, namespace: got.namespace, name: got.name, subresource: got.subresource, watchPrefix: got.watchPrefix }).toMatchObject(want);
  });

  it.each(['/api', '/apis', '/apis/apps', '/api/v1', '/apis/apps/v1', '/healthz'])('%s is not a resource path', (path) => {
    expect(parseResourcePath(path, registry)).toBeUndefined();
  });

  it.each([
    ['/api/v1/widgets', 404, 'no resource "widgets" in v1'],
    ['/apis/apps/v2/deployments', 404, 'no resource "deployments" in apps/v2'],
    ['/api/v1/namespaces/a/pods/p/nope', 404, 'no subresource "nope" of pods'],
    ['/api/v1/namespaces/a/pods/p/status/extra', 404, 'unexpected path segments'],
    ['/api/v1/watch/namespaces/a/pods/p/status', 404, 'subresources cannot be watched'],
    ['/api/v1/namespaces/a/pods/%E0%A4%A', 400, 'malformed path segment'],
  ])('%s → %i', (path, code, message) => {
    let err: unknown;
    try {
      parseResourcePath(path, registry);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe(code);
    expect((err as ApiError).message).toContain(message);
  });

  it('routes kinds added at run time', () => {
    const live = new ResourceRegistry();
    expect(() => parseResourcePath('/apis/example.com/v1/namespaces/a/widgets', live)).toThrow(ApiError);
    live.add({ group: 'example.com', version: 'v1', kind: 'Widget', resource: 'widgets', singular: 'widget', namespaced: true, shortNames: [], subresources: ['status'], categories: [], verbs: ['get', 'list'] });
    expect(parseResourcePath('/apis/example.com/v1/namespaces/a/widgets/w/status', live)).toMatchObject({ namespace: 'a', name: 'w', subresource: 'status' });
  });
});
