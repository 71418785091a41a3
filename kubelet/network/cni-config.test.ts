import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cniConflist, gatewayOf, writeCniConfig } from './cni-config.js';

describe('gatewayOf', () => {
  it.each([
    ['10.244.1.0/24', '10.244.1.1'],
    ['10.244.0.0/16', '10.244.0.1'],
    ['10.244.3.17/24', '10.244.3.1'],
    ['192.168.0.128/25', '192.168.0.129'],
  ])('%s → %s', (cidr, gw) => expect(gatewayOf(cidr)).toBe(gw));

  it.each(['10.244.1.0', '10.244.1.0/31', '300.1.1.0/24', 'x/24'])('rejects %s', (cidr) => {
    expect(() => gatewayOf(cidr)).toThrow(/invalid/);
  });
});

describe('cniConflist', () => {
  it('has bridge + host-local over the pod CIDR and portmap, and no loopback', () => {
    const conf = cniConflist({ podCidr: '10.244.2.0/24', ipamDataDir: '/x/ipam' }) as { plugins: { type: string; ipam?: { ranges: { subnet: string; gateway: string }[][] } }[] };
    expect(conf.plugins.map((p) => p.type)).toEqual(['bridge', 'portmap']);
    expect(conf.plugins[0].ipam?.ranges[0][0]).toEqual({ subnet: '10.244.2.0/24', gateway: '10.244.2.1' });
  });

  it('writes only on change', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cni-'));
    try {
      expect(writeCniConfig(dir, { podCidr: '10.244.2.0/24', ipamDataDir: '/x' })).toBe(true);
      expect(writeCniConfig(dir, { podCidr: '10.244.2.0/24', ipamDataDir: '/x' })).toBe(false);
      expect(writeCniConfig(dir, { podCidr: '10.244.3.0/24', ipamDataDir: '/x' })).toBe(true);
      expect(readFileSync(join(dir, '10-skiff.conflist'), 'utf8')).toContain('10.244.3.0/24');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
