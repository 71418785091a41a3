import { describe, expect, it } from 'vitest';
import { FieldSet, formatPath, keyElement, valueElement } from './fieldset.js';

const set = (...paths: string[][]): FieldSet => {
  const s = new FieldSet();
  for (const p of paths) s.insert(p);
  return s;
};

const replicas = ['f:spec', 'f:replicas'];
const web = ['f:spec', 'f:containers', 'k:{"name":"web"}'];
const webImage = [...web, 'f:image'];
const label = ['f:metadata', 'f:labels', 'f:app'];

describe('FieldSet operations', () => {
  it.each([
    ['union keeps both', set(replicas), set(label), 'union', [replicas, label]],
    ['union of an item and a field below it', set(web), set(webImage), 'union', [web, webImage]],
    ['difference drops shared members', set(replicas, label), set(label), 'difference', [replicas]],
    ['difference keeps the fields below a removed item', set(web, webImage), set(web), 'difference', [webImage]],
    ['intersection', set(replicas, label, webImage), set(webImage, label, ['f:x']), 'intersection', [label, webImage]],
    ['intersection of disjoint sets is empty', set(replicas), set(label), 'intersection', []],
  ] as const)('%s', (_name, a, b, op, want) => {
    const got = op === 'union' ? a.union(b) : op === 'difference' ? a.difference(b) : a.intersection(b);
    expect(got.paths().map((p) => p.join('/')).sort()).toEqual(want.map((p) => p.join('/')).sort());
  });

  it('has, at, isEmpty and equals', () => {
    const s = set(web, webImage);
    expect(s.has(web)).toBe(true);
    expect(s.has(['f:spec'])).toBe(false);
    expect(s.at(['f:spec', 'f:containers'])?.isEmpty()).toBe(false);
    expect(new FieldSet().isEmpty()).toBe(true);
    expect(s.equals(set(webImage, web))).toBe(true);
    expect(s.equals(set(web))).toBe(false);
  });
});

describe('fieldsV1', () => {
  it.each([
    ['a leaf', set(replicas), { 'f:spec': { 'f:replicas': {} } }],
    ['a list item with fields marks itself with "."', set(web, webImage), { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {} } } } }],
    ['a list item alone is a leaf', set(web), { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': {} } } }],
    ['set items', set(['f:metadata', 'f:finalizers', 'v:"a"']), { 'f:metadata': { 'f:finalizers': { 'v:"a"': {} } } }],
  ])('%s', (_name, s, json) => {
    expect(s.toFieldsV1()).toEqual(json);
    expect(FieldSet.fromFieldsV1(json).equals(s)).toBe(true);
  });

  it('reads what upstream writes for a created Deployment', () => {
    const s = FieldSet.fromFieldsV1({
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } },
    });
    expect(s.has(['f:metadata', 'f:labels'])).toBe(true);
    expect(s.has(['f:metadata'])).toBe(false);
    expect(s.has(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"nginx"}', 'f:image'])).toBe(true);
  });

  it.each([
    ['a list', []],
    ['a bad element', { 'x:y': {} }],
    ['a key that is not an object', { 'k:1': {} }],
    ['a value that is not JSON', { 'v:nope': {} }],
    ['a non-object below', { 'f:a': 1 }],
  ])('refuses %s', (_name, raw) => {
    expect(() => FieldSet.fromFieldsV1(raw)).toThrow();
  });
});

describe('path elements and printing', () => {
  it.each([
    [replicas, '.spec.replicas'],
    [webImage, '.spec.containers[name="web"].image'],
    [['f:spec', 'f:ports', keyElement({ protocol: 'TCP', port: 80 }, ['port', 'protocol'])], '.spec.ports[port=80,protocol="TCP"]'],
    [['f:metadata', 'f:finalizers', valueElement('x')], '.metadata.finalizers[="x"]'],
    [['f:args', 'i:2'], '.args[2]'],
  ])('%j prints as %s', (path, want) => {
    expect(formatPath(path)).toBe(want);
  });

  it('sorts key fields by name', () => {
    expect(keyElement({ protocol: 'TCP', containerPort: 80, name: 'x' }, ['protocol', 'containerPort'])).toBe('k:{"containerPort":80,"protocol":"TCP"}');
  });
});
