import { describe, expect, it } from 'vitest';
import { CidrSet } from './cidrset.js';

describe('CidrSet', () => {
  it('hands out node subnets in order, never twice', () => {
    const set = new CidrSet('10.244.0.0/16', 24);
    expect(set.capacity).toBe(256);
    expect(set.allocateNext()).toBe('10.244.0.0/24');
    expect(set.allocateNext()).toBe('10.244.1.0/24');
    expect(set.occupy('10.244.2.0/24')).toBe(true);
    expect(set.allocateNext()).toBe('10.244.3.0/24');
  });

  it('runs out, and a released subnet comes back', () => {
    const set = new CidrSet('10.0.0.0/30', 31);
    expect([set.allocateNext(), set.allocateNext(), set.allocateNext()]).toEqual(['10.0.0.0/31', '10.0.0.2/31', undefined]);
    set.release('10.0.0.0/31');
    expect(set.allocateNext()).toBe('10.0.0.0/31');
  });

  it.each([
    { cidr: '10.245.0.0/24', ok: false },
    { cidr: '10.244.7.0/25', ok: false },
    { cidr: '10.244.7.128/24', ok: true },
    { cidr: 'garbage', ok: false },
  ])('occupy($cidr) → $ok', ({ cidr, ok }) => {
    expect(new CidrSet('10.244.0.0/16', 24).occupy(cidr)).toBe(ok);
  });

  it.each([
    { cluster: '10.244.0.0/16', mask: 8 },
    { cluster: '10.0.0.0/8', mask: 30 },
  ])('rejects mask $mask in $cluster', ({ cluster, mask }) => {
    expect(() => new CidrSet(cluster, mask)).toThrow(/node-cidr-mask-size/);
  });
});
