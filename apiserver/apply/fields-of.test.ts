import { describe, expect, it } from 'vitest';
import { patchMetaFor } from '../../api/patch-meta.js';
import { compareValues, fieldsOfValue } from './fields-of.js';
import { applyTypeFor, DEDUCED, openApiType, type ApplySchemaProps } from './schema.js';

const deployment = applyTypeFor({ group: 'apps', version: 'v1', kind: 'Deployment' });
const paths = (s: { paths(): string[][] }) => s.paths().map((p) => p.join('/'));

describe('fieldsOfValue', () => {
  it.each([
    ['scalars are leaves', DEDUCED, { a: 1, b: { c: 'x' } }, ['f:a', 'f:b/f:c']],
    ['empty objects and lists are leaves', DEDUCED, { a: {}, b: [] }, ['f:a', 'f:b']],
    ['lists without a schema are atomic', DEDUCED, { a: [{ name: 'x' }] }, ['f:a']],
    [
      'containers are keyed by name, items are members',
      deployment,
      { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx' }] } } } },
      ['f:spec/f:template/f:spec/f:containers/k:{"name":"web"}', 'f:spec/f:template/f:spec/f:containers/k:{"name":"web"}/f:image', 'f:spec/f:template/f:spec/f:containers/k:{"name":"web"}/f:name'],
    ],
    [
      'env inside a container is keyed too',
      deployment,
      { spec: { template: { spec: { containers: [{ name: 'w', env: [{ name: 'A', value: '1' }] }] } } } },
      [
        'f:spec/f:template/f:spec/f:containers/k:{"name":"w"}',
        'f:spec/f:template/f:spec/f:containers/k:{"name":"w"}/f:env/k:{"name":"A"}',
        'f:spec/f:template/f:spec/f:containers/k:{"name":"w"}/f:env/k:{"name":"A"}/f:name',
        'f:spec/f:template/f:spec/f:containers/k:{"name":"w"}/f:env/k:{"name":"A"}/f:value',
        'f:spec/f:template/f:spec/f:containers/k:{"name":"w"}/f:name',
      ],
    ],
    ['finalizers are a set', deployment, { metadata: { finalizers: ['a', 'b'] } }, ['f:metadata/f:finalizers/v:"a"', 'f:metadata/f:finalizers/v:"b"']],
    ['a keyed list with an item missing its key is atomic', deployment, { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }, ['f:spec/f:template/f:spec/f:containers']],
  ])('%s', (_name, type, value, want) => {
    expect(paths(fieldsOfValue(value, type)).sort()).toEqual([...want].sort());
  });

  it('reads list and map types from an OpenAPI schema with $ref', () => {
    const defs: Record<string, ApplySchemaProps> = {
      Item: { type: 'object', properties: { key: { type: 'string' }, v: { type: 'string' } } },
    };
    const schema: ApplySchemaProps = {
      type: 'object',
      properties: {
        items: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['key'], items: { $ref: '#/defs/Item' } },
        tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
        sel: { type: 'object', 'x-kubernetes-map-type': 'atomic' },
      },
    };
    const type = openApiType(schema, (ref) => defs[ref.split('/').pop()!]);
    const got = paths(fieldsOfValue({ items: [{ key: 'a', v: '1' }], tags: ['x'], sel: { a: 'b' } }, type));
    expect(got.sort()).toEqual(['f:items/k:{"key":"a"}', 'f:items/k:{"key":"a"}/f:key', 'f:items/k:{"key":"a"}/f:v', 'f:sel', 'f:tags/v:"x"'].sort());
  });
});

describe('compareValues', () => {
  const pod = { spec: { template: { spec: { containers: [{ name: 'web', image: 'a' }, { name: 'side', image: 's' }] } } } };
  const containers = 'f:spec/f:template/f:spec/f:containers';
  it.each([
    ['nothing changed', pod, structuredClone(pod), [], []],
    ['an image changed', pod, { spec: { template: { spec: { containers: [{ name: 'web', image: 'b' }, { name: 'side', image: 's' }] } } } }, [`${containers}/k:{"name":"web"}/f:image`], []],
    [
      'an item removed',
      pod,
      { spec: { template: { spec: { containers: [{ name: 'web', image: 'a' }] } } } },
      [],
      [`${containers}/k:{"name":"side"}`, `${containers}/k:{"name":"side"}/f:image`, `${containers}/k:{"name":"side"}/f:name`],
    ],
    ['a field added', { a: 1 }, { a: 1, b: { c: 2 } }, ['f:b/f:c'], []],
    ['a field removed', { a: 1, b: 2 }, { a: 1 }, [], ['f:b']],
    ['an object became a scalar', { a: { b: 1 } }, { a: 2 }, ['f:a'], ['f:a/f:b']],
  ])('%s', (_name, before, after, changed, removed) => {
    const cmp = compareValues(before, after, deployment);
    expect(paths(cmp.changed).sort()).toEqual([...changed].sort());
    expect(paths(cmp.removed).sort()).toEqual([...removed].sort());
  });

  it('uses the strategic-merge table for built-in kinds without a schema', () => {
    expect(patchMetaFor({ group: 'apps', kind: 'Deployment' })).toBeDefined();
    expect(applyTypeFor({ group: 'example.com', version: 'v1', kind: 'Widget' })).toBe(DEDUCED);
  });
});
