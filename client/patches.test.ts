import { describe, expect, it } from 'vitest';
import { applyJsonPatch, applyMergePatch } from './patches.js';

describe('applyMergePatch (RFC 7386)', () => {
  it.each([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('%j + %j = %j', (target, patch, result) => {
    expect(applyMergePatch(target, patch)).toEqual(result);
  });

  it('merges nested label maps as Kubernetes clients rely on', () => {
    const target = { metadata: { labels: { a: '1', b: '2' } } };
    expect(applyMergePatch(target, { metadata: { labels: { a: null, c: '3' } } })).toEqual({ metadata: { labels: { b: '2', c: '3' } } });
  });

  it('keeps a __proto__ key as data, never as the prototype', () => {
    const out = applyMergePatch({ a: 1 }, JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect((out as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.keys(out)).toEqual(['a', '__proto__']);
  });

  it('leaves the target untouched', () => {
    const target = { a: { b: 1 } };
    applyMergePatch(target, { a: { b: 2 } });
    expect(target).toEqual({ a: { b: 1 } });
  });
});

describe('applyJsonPatch (RFC 6902)', () => {
  const doc = { metadata: { labels: { a: '1' }, finalizers: ['x', 'y'] }, spec: { n: 1 } };

  it.each([
    ['add a member', [{ op: 'add', path: '/metadata/labels/b', value: '2' }], { labels: { a: '1', b: '2' } }],
    ['add to an array end', [{ op: 'add', path: '/metadata/finalizers/-', value: 'z' }], { finalizers: ['x', 'y', 'z'] }],
    ['insert into an array', [{ op: 'add', path: '/metadata/finalizers/0', value: 'w' }], { finalizers: ['w', 'x', 'y'] }],
    ['remove an array element', [{ op: 'remove', path: '/metadata/finalizers/0' }], { finalizers: ['y'] }],
    ['replace a member', [{ op: 'replace', path: '/metadata/labels/a', value: '9' }], { labels: { a: '9' } }],
    ['move a member', [{ op: 'move', from: '/metadata/labels/a', path: '/metadata/labels/c' }], { labels: { c: '1' } }],
    ['copy a member', [{ op: 'copy', from: '/metadata/labels/a', path: '/metadata/labels/d' }], { labels: { a: '1', d: '1' } }],
    ['pass a test (key order does not matter)', [{ op: 'test', path: '/metadata/labels', value: { a: '1' } }], { labels: { a: '1' } }],
    ['escape ~1 and ~0', [{ op: 'add', path: '/metadata/labels/app.kubernetes.io~1name', value: 'web' }], { labels: { a: '1', 'app.kubernetes.io/name': 'web' } }],
  ])('can %s', (_what, ops, metadata) => {
    expect(applyJsonPatch(doc, ops)).toMatchObject({ metadata });
  });

  it.each([
    ['a failed test', [{ op: 'test', path: '/spec/n', value: 2 }], /test operation failed/],
    ['a missing path', [{ op: 'remove', path: '/spec/missing' }], /path not found/],
    ['a missing parent', [{ op: 'add', path: '/nope/x', value: 1 }], /path not found/],
    ['an index past the end', [{ op: 'add', path: '/metadata/finalizers/5', value: 'z' }], /path not found/],
    ['an unknown op', [{ op: 'frob', path: '/spec' }], /unknown json patch operation/],
    ['a pointer without a slash', [{ op: 'remove', path: 'spec' }], /invalid json pointer/],
  ])('refuses %s', (_what, ops, message) => {
    expect(() => applyJsonPatch(doc, ops)).toThrow(message);
  });

  it('refuses a body that is not a list of operations, and leaves the target untouched', () => {
    expect(() => applyJsonPatch(doc, { op: 'add' })).toThrow(/must be an array/);
    applyJsonPatch(doc, [{ op: 'remove', path: '/metadata/finalizers/0' }]);
    expect(doc.metadata.finalizers).toEqual(['x', 'y']);
  });
});
