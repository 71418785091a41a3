import { describe, expect, it } from 'vitest';
import { FieldSet } from './fieldset.js';
import { mergeApplied, removePaths, valueAt } from './merge.js';
import { applyTypeFor, DEDUCED, openApiType, type ApplySchemaProps } from './schema.js';

const schema: ApplySchemaProps = {
  type: 'object',
  properties: {
    items: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object' } },
    tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
    args: { type: 'array', items: { type: 'string' } },
    sel: { type: 'object', 'x-kubernetes-map-type': 'atomic' },
  },
};
const type = openApiType(schema, () => undefined);

describe('mergeApplied', () => {
  it.each([
    ['objects merge key by key', { a: 1, b: { c: 1, d: 2 } }, { b: { c: 3 } }, { a: 1, b: { c: 3, d: 2 } }],
    ['null clears a field', { a: 1, b: 2 }, { b: null }, { a: 1 }],
    ['atomic objects are replaced', { sel: { a: '1', b: '2' } }, { sel: { c: '3' } }, { sel: { c: '3' } }],
    ['atomic lists are replaced', { args: ['a', 'b'] }, { args: ['c'] }, { args: ['c'] }],
    ['sets are unions in live order', { tags: ['b', 'a'] }, { tags: ['c', 'a'] }, { tags: ['b', 'a', 'c'] }],
    [
      'map-list items merge by key; live items keep their places, new ones follow',
      { items: [{ name: 'x', v: 1, w: 1 }, { name: 'y', v: 2 }] },
      { items: [{ name: 'z', v: 9 }, { name: 'x', v: 5 }] },
      { items: [{ name: 'x', v: 5, w: 1 }, { name: 'y', v: 2 }, { name: 'z', v: 9 }] },
    ],
    ['a scalar becomes an object', { a: 1 }, { a: { b: 2 } }, { a: { b: 2 } }],
    ['without a schema lists are replaced', { items: [{ name: 'x' }] }, { items: [{ name: 'y' }] }, { items: [{ name: 'y' }] }],
  ])('%s', (name, live, config, want) => {
    const t = name.startsWith('without') ? DEDUCED : type;
    const before = structuredClone(live);
    expect(mergeApplied(live, config, t)).toEqual(want);
    expect(live).toEqual(before);
  });

  it('keeps a __proto__ key of a configuration as an own property', () => {
    const merged = mergeApplied({}, JSON.parse('{"__proto__":{"x":1}}'), DEDUCED) as Record<string, unknown>;
    expect(Object.hasOwn(merged, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('removePaths and valueAt', () => {
  const set = (...paths: string[][]) => {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  };
  it.each([
    ['a field', { a: 1, b: 2 }, set(['f:a']), { b: 2 }],
    ['a field inside an object', { a: { b: 1, c: 2 } }, set(['f:a', 'f:b']), { a: { c: 2 } }],
    ['a map-list item', { items: [{ name: 'x' }, { name: 'y' }] }, set(['f:items', 'k:{"name":"x"}']), { items: [{ name: 'y' }] }],
    ['a field of a map-list item', { items: [{ name: 'x', v: 1 }] }, set(['f:items', 'k:{"name":"x"}', 'f:v']), { items: [{ name: 'x' }] }],
    ['a set item', { tags: ['a', 'b'] }, set(['f:tags', 'v:"a"']), { tags: ['b'] }],
    ['an absent path', { a: 1 }, set(['f:z', 'f:y']), { a: 1 }],
  ])('removes %s', (_name, obj, paths, want) => {
    removePaths(obj, paths, type);
    expect(obj).toEqual(want);
  });

  it('reads the value at a path', () => {
    const obj = { items: [{ name: 'x', v: { w: 3 } }], tags: ['a'] };
    expect(valueAt(obj, ['f:items', 'k:{"name":"x"}', 'f:v', 'f:w'], type)).toBe(3);
    expect(valueAt(obj, ['f:tags', 'v:"a"'], type)).toBe('a');
    expect(valueAt(obj, ['f:items', 'k:{"name":"q"}'], type)).toBeUndefined();
    expect(valueAt(obj, ['f:nope', 'f:x'], applyTypeFor({ group: '', version: 'v1', kind: 'ConfigMap' }))).toBeUndefined();
  });
});
