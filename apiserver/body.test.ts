import { describe, expect, it } from 'vitest';
import { checkNesting, decodeBody, decodeObject, duplicateJsonKeys, MAX_NESTING_DEPTH, mediaType } from './body.js';
import { ApiError } from './errors.js';

const b = (s: string) => Buffer.from(s);

function failure(f: () => unknown): ApiError {
  try {
    f();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ApiError');
}

describe('decodeObject', () => {
  it.each([
    ['JSON', '{"a":1}', 'application/json', { a: 1 }],
    ['JSON with charset', '{"a":1}', 'application/json; charset=utf-8', { a: 1 }],
    ['no content type means JSON', '{"a":1}', undefined, { a: 1 }],
    ['YAML', 'a: 1\nb:\n  - x\n', 'application/yaml', { a: 1, b: ['x'] }],
    ['JSON is YAML too', '{"a": 1}', 'application/yaml', { a: 1 }],
  ])('%s', (_name, text, type, want) => {
    expect(decodeObject(b(text), type)).toEqual(want);
  });

  it.each([
    ['broken JSON', '{"a":', 'application/json', 400, /not valid JSON/],
    ['empty', '  ', 'application/json', 400, /empty/],
    ['array', '[]', 'application/json', 400, /must be a JSON object/],
    ['scalar', '"x"', 'application/json', 400, /must be a JSON object/],
    ['broken YAML', 'a: 1\n  b: 2\n', 'application/yaml', 400, /not valid YAML: .*at line 1, column 4/],
    ['protobuf without the envelope', 'k8s\u0000\u0012', 'application/vnd.kubernetes.protobuf', 400, /protobuf body/],
    ['text/plain', 'x', 'text/plain', 415, /unknown format/],
  ])('%s → %s', (_name, text, type, code, message) => {
    const err = failure(() => decodeObject(b(text), type));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
  });
});

describe('checkNesting', () => {
  const nest = (depth: number): unknown => {
    let v: unknown = 1;
    for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { k: v };
    return v;
  };
  it('accepts objects up to the limit', () => expect(() => checkNesting(nest(MAX_NESTING_DEPTH))).not.toThrow());
  it('refuses deeper ones with 400', () => expect(failure(() => checkNesting(nest(MAX_NESTING_DEPTH + 1))).code).toBe(400));
  it('handles very deep input without recursion', () => expect(failure(() => checkNesting(nest(200_000))).code).toBe(400));
});

describe('mediaType', () => {
  it.each([
    ['application/JSON; charset=UTF-8', 'application/json'],
    [undefined, ''],
    ['application/merge-patch+json', 'application/merge-patch+json'],
  ])('%s → %s', (input, want) => expect(mediaType(input)).toBe(want));
});

describe('duplicateJsonKeys', () => {
  it.each([
    ['none', '{"a":1,"b":{"a":2},"c":[{"a":1},{"a":2}]}', []],
    ['top level', '{"a":1,"a":2}', ['a']],
    ['nested', '{"spec":{"replicas":1,"template":{},"replicas":2}}', ['spec.replicas']],
    ['in a list element', '{"spec":{"containers":[{"name":"a"},{"name":"b","image":"x","image":"y"}]}}', ['spec.containers[1].image']],
    ['list of lists', '{"a":[[{"x":1}],[{"x":1,"x":2}]]}', ['a[1][0].x']],
    ['same key in sibling objects is fine', '{"a":{"k":1},"b":{"k":1}}', []],
    ['escaped keys and strings with brackets', '{"a\\"b":"{[,","a\\u0022b":1}', ['a"b']],
    ['whitespace', '{ "a" : { "b" : 1 ,\n "b" : 2 } }', ['a.b']],
    ['repeated three times', '{"a":1,"a":2,"a":3}', ['a', 'a']],
  ])('%s', (_name, text, want) => {
    expect(duplicateJsonKeys(text)).toEqual(want);
  });

  it('decodeBody returns them beside the object, which keeps the last value', () => {
    expect(decodeBody(b('{"a":1,"a":2}'), 'application/json')).toEqual({ obj: { a: 2 }, duplicates: ['a'] });
    expect(decodeBody(b('a: 1\n'), 'application/yaml')).toEqual({ obj: { a: 1 }, duplicates: [] });
  });

  it('finds repeated keys in YAML bodies too', () => {
    const text = 'spec:\n  replicas: 1\n  replicas: 2\n  containers:\n  - name: a\n    name: b\n';
    expect(decodeBody(b(text), 'application/yaml')).toEqual({ obj: { spec: { replicas: 2, containers: [{ name: 'b' }] } }, duplicates: ['spec.replicas', 'spec.containers[0].name'] });
  });
});
