import { describe, expect, it } from 'vitest';
import { BUILTIN_RESOURCES } from '../../api/resources.js';
import { builtinSchemaCatalog } from '../../api/schema/catalog.js';
import type { RequestContext } from '../context.js';
import { ApiError } from '../errors.js';
import { checkFieldManager, fieldManagerOf, managerFromUserAgent } from './field-manager.js';
import { fieldsOfValue } from './fields-of.js';
import { mergeApplied, removePaths } from './merge.js';
import { applyTypeFor } from './schema.js';

describe('field manager names', () => {
  it.each([
    ['kubectl/v1.32.0 (linux/amd64) kubernetes/4cb5f07', 'kubectl'],
    ['kube-controller-manager/v1.32.0 (linux/amd64) kubernetes/abc/system:serviceaccount:kube-system:replicaset-controller', 'kube-controller-manager'],
    ['skiff-client/0.1.0', 'skiff-client'],
    ['curl', 'curl'],
    ['', ''],
    ['bad\u0007name/1.0', 'badname'],
    [`${'x'.repeat(200)}/1`, 'x'.repeat(128)],
  ])('User-Agent %j -> %j', (ua, want) => {
    expect(managerFromUserAgent(ua)).toBe(want);
  });

  it.each([
    ['x'.repeat(128), undefined],
    ['x'.repeat(129), 'fieldManager: Too long: may not be more than 128 bytes'],
    ['é'.repeat(65), 'Too long'],
    ['tab\there', 'invalid character U+0009 (at position 3)'],
  ])('checkFieldManager(%j)', (name, problem) => {
    if (problem === undefined) {
      expect(() => checkFieldManager(name, 'CreateOptions')).not.toThrow();
      return;
    }
    try {
      checkFieldManager(name, 'PatchOptions');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe(422);
      expect((err as ApiError).message).toContain('PatchOptions.meta.k8s.io');
      expect((err as ApiError).message).toContain(problem);
    }
  });

  it('takes the query parameter over the User-Agent', () => {
    const ctx = (query: string, userAgent?: string) => ({ query: new URLSearchParams(query), userAgent }) as RequestContext;
    expect(fieldManagerOf(ctx('fieldManager=mine', 'kubectl/v1'), 'UpdateOptions')).toBe('mine');
    expect(fieldManagerOf(ctx('', 'kubectl/v1'), 'UpdateOptions')).toBe('kubectl');
    expect(() => fieldManagerOf(ctx(`fieldManager=${'y'.repeat(129)}`), 'UpdateOptions')).toThrow(ApiError);
  });
});

describe('list types from the schema catalog', () => {
  const catalog = builtinSchemaCatalog();
  it('a Deployment from the catalog keys containers and env by name', () => {
    const deploy = BUILTIN_RESOURCES.find((t) => t.kind === 'Deployment')!;
    const type = applyTypeFor(deploy, catalog);
    const set = fieldsOfValue({ spec: { template: { spec: { containers: [{ name: 'web', env: [{ name: 'A', value: '1' }] }] } } } }, type);
    expect(set.has(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"web"}', 'f:env', 'k:{"name":"A"}', 'f:value'])).toBe(true);
  });

  it('a key field left out is keyed by its default: service ports by [port, protocol] with protocol TCP', () => {
    const svc = applyTypeFor(BUILTIN_RESOURCES.find((t) => t.kind === 'Service')!, catalog);
    const live = { spec: { ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }, { port: 53, protocol: 'UDP' }] } };
    const config = { spec: { ports: [{ port: 80, targetPort: 9090 }] } };
    expect(mergeApplied(live, config, svc)).toEqual({ spec: { ports: [{ port: 80, protocol: 'TCP', targetPort: 9090 }, { port: 53, protocol: 'UDP' }] } });
    const set = fieldsOfValue(config, svc);
    expect(set.has(['f:spec', 'f:ports', 'k:{"port":80,"protocol":"TCP"}', 'f:targetPort'])).toBe(true);
    const removed = structuredClone(live);
    removePaths(removed, set, svc);
    expect(removed.spec.ports).toEqual([{ port: 53, protocol: 'UDP' }]);
  });

  it('a kind the catalog does not know falls back to no list types', () => {
    const type = applyTypeFor({ group: 'example.com', version: 'v1', kind: 'Nothing' }, catalog);
    expect(fieldsOfValue({ items: [{ name: 'a' }] }, type).has(['f:items'])).toBe(true);
  });
});
