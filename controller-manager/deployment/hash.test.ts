import { describe, expect, it } from 'vitest';
import { canonicalJson, computeTemplateHash, fnv32a, safeEncodeString, semanticJson } from './hash.js';

describe('template hash', () => {
  it.each([
    // FNV-1a 32-bit reference vectors
    { input: '', hash: 0x811c9dc5 },
    { input: 'a', hash: 0xe40c292c },
    { input: 'foobar', hash: 0xbf9cf968 },
  ])('fnv32a($input)', ({ input, hash }) => {
    expect(fnv32a(new TextEncoder().encode(input))).toBe(hash);
  });

  it('encodes digits with the vowel-free alphabet', () => {
    // '0' is 48 → 48 % 27 = 21 → '4'; '9' is 57 → 57 % 27 = 3 → 'f'
    expect(safeEncodeString('09')).toBe('4f');
  });

  it('does not depend on key order and changes with the template or the collision count', () => {
    const a = { metadata: { labels: { app: 'web', tier: 'x' } }, spec: { containers: [{ name: 'c', image: 'busybox:1' }] } };
    const b = { spec: { containers: [{ image: 'busybox:1', name: 'c' }] }, metadata: { labels: { tier: 'x', app: 'web' } } };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(computeTemplateHash(a)).toBe(computeTemplateHash(b));
    expect(computeTemplateHash(a)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(computeTemplateHash(a, 1)).not.toBe(computeTemplateHash(a));
    expect(computeTemplateHash({ ...a, spec: { containers: [{ name: 'c', image: 'busybox:2' }] } })).not.toBe(computeTemplateHash(a));
  });

  it('compares semantically: empty and absent are equal, values are not', () => {
    const sent = { spec: { containers: [{ name: 'c', image: 'x', resources: {}, env: [] }], nodeSelector: null } };
    expect(semanticJson(sent)).toBe(semanticJson({ spec: { containers: [{ name: 'c', image: 'x' }] } }));
    expect(semanticJson(sent)).not.toBe(semanticJson({ spec: { containers: [{ name: 'c', image: 'y' }] } }));
  });
});
