import { describe, expect, it } from 'vitest';
import {
  annotationsSize, checkAnnotations, isConfigMapKey, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isEnvVarName, isIPv4, isLabelValue,
  isPortName, isPortNumber, isQualifiedName,
} from './names.js';

type Case = [string, boolean];

describe('DNS names', () => {
  it.each<Case>([
    ['web', true],
    ['123-abc', true],
    ['a', true],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
    ['Web', false],
    ['-web', false],
    ['web-', false],
    ['we.b', false],
    ['', false],
    ['we_b', false],
  ])('isDNS1123Label(%j) ok=%s', (v, ok) => expect(isDNS1123Label(v).length === 0).toBe(ok));

  it.each<Case>([
    ['example.com', true],
    ['web-1.default', true],
    ['a'.repeat(253), true],
    ['a'.repeat(254), false],
    ['Example.com', false],
    ['a..b', false],
    ['.a', false],
    ['a.', false],
    ['', false],
  ])('isDNS1123Subdomain(%j) ok=%s', (v, ok) => expect(isDNS1123Subdomain(v).length === 0).toBe(ok));

  it.each<Case>([
    ['my-svc', true],
    ['abc-123', true],
    ['1svc', false],
    ['svc.x', false],
    ['a'.repeat(64), false],
  ])('isDNS1035Label(%j) ok=%s', (v, ok) => expect(isDNS1035Label(v).length === 0).toBe(ok));

  it('words its messages as Kubernetes does', () => {
    expect(isDNS1123Label('Web')).toEqual([
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
    expect(isDNS1123Subdomain('a'.repeat(254))[0]).toBe('must be no more than 253 characters');
  });
});

describe('qualified names and label values', () => {
  it.each<Case>([
    ['app', true],
    ['app.kubernetes.io/name', true],
    ['MyName', true],
    ['my_name.x', true],
    ['example.com/My-Name_1', true],
    ['/name', false],
    ['example.com/', false],
    ['a/b/c', false],
    ['Example.com/name', false],
    ['-name', false],
    ['name-', false],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
    ['', false],
  ])('isQualifiedName(%j) ok=%s', (v, ok) => expect(isQualifiedName(v).length === 0).toBe(ok));

  it('says which part of a qualified name is wrong', () => {
    expect(isQualifiedName('/x')).toEqual(['prefix part must be non-empty']);
    expect(isQualifiedName('x.io/')).toEqual(['name part must be non-empty']);
    expect(isQualifiedName('X.io/a')[0]).toMatch(/^prefix part a lowercase RFC 1123 subdomain/);
    expect(isQualifiedName('a/b/c')[0]).toMatch(/with an optional DNS subdomain prefix and '\/' \(e.g. 'example.com\/MyName'\)$/);
  });

  it.each<Case>([
    ['', true],
    ['v1', true],
    ['my_value.1-2', true],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
    ['-v', false],
    ['v/1', false],
    ['a b', false],
  ])('isLabelValue(%j) ok=%s', (v, ok) => expect(isLabelValue(v).length === 0).toBe(ok));
});

describe('ports, env, keys, IPs', () => {
  it.each<Case>([
    ['http', true],
    ['http-alt', true],
    ['h2c', true],
    ['123', false],
    ['HTTP', false],
    ['a--b', false],
    ['-http', false],
    ['http-', false],
    ['abcdefghijklmnop', false],
  ])('isPortName(%j) ok=%s', (v, ok) => expect(isPortName(v).length === 0).toBe(ok));

  it.each<[number, boolean]>([
    [1, true],
    [65535, true],
    [0, false],
    [65536, false],
    [80.5, false],
  ])('isPortNumber(%s) ok=%s', (v, ok) => expect(isPortNumber(v).length === 0).toBe(ok));

  it.each<Case>([
    ['PATH', true],
    ['my.env-name', true],
    ['_x', true],
    ['1X', false],
    ['A=B', false],
    ['', false],
  ])('isEnvVarName(%j) ok=%s', (v, ok) => expect(isEnvVarName(v).length === 0).toBe(ok));

  it.each<Case>([
    ['config.yaml', true],
    ['KEY_NAME', true],
    ['.hidden', true],
    ['.', false],
    ['..', false],
    ['..data', false],
    ['a/b', false],
    ['', false],
  ])('isConfigMapKey(%j) ok=%s', (v, ok) => expect(isConfigMapKey(v).length === 0).toBe(ok));

  it.each<Case>([
    ['10.0.0.1', true],
    ['0.0.0.0', true],
    ['255.255.255.255', true],
    ['256.1.1.1', false],
    ['10.0.0', false],
    ['010.0.0.1', false],
    ['::1', false],
    ['a.b.c.d', false],
  ])('isIPv4(%j) = %s', (v, ok) => expect(isIPv4(v)).toBe(ok));
});

describe('annotations', () => {
  it('counts bytes of keys and values', () => {
    expect(annotationsSize({ a: 'bc', 'é': '' })).toBe(5);
  });
  it('checks keys (case-insensitively, as upstream) and the total size', () => {
    expect(checkAnnotations({ 'Example.com/Key': 'x' })).toEqual([]);
    expect(checkAnnotations({ 'bad key': 'x' }).map((p) => p.key)).toEqual(['bad key']);
    const big = checkAnnotations({ k: 'x'.repeat(256 * 1024) });
    expect(big).toEqual([{ message: 'must have at most 262144 bytes', tooLong: true }]);
  });
});
