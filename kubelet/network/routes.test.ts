import { describe, expect, it } from 'vitest';
import type { Node } from '../../api/types.js';
import { desiredRoutes, parseRoutes } from './routes.js';

const node = (name: string, ip: string | undefined, cidr?: string): Node => ({
  metadata: { name },
  spec: cidr ? { podCIDR: cidr } : {},
  status: { addresses: ip ? [{ type: 'InternalIP', address: ip }] : [] },
});

describe('desiredRoutes', () => {
  it('routes every other node with a CIDR and an address, never itself', () => {
    expect(desiredRoutes([node('a', '10.200.0.11', '10.244.1.0/24'), node('b', '10.200.0.12', '10.244.2.0/24'), node('c', undefined, '10.244.3.0/24'), node('d', '10.200.0.14')], 'a')).toEqual([
      { cidr: '10.244.2.0/24', via: '10.200.0.12' },
    ]);
  });
});

describe('parseRoutes', () => {
  it('reads ip route output', () => {
    expect(parseRoutes('10.244.2.0/24 via 10.200.0.12 dev eth0 proto 159 \n10.244.3.0/24 via 10.200.0.13 dev eth0 proto 159\n')).toEqual([
      { cidr: '10.244.2.0/24', via: '10.200.0.12' },
      { cidr: '10.244.3.0/24', via: '10.200.0.13' },
    ]);
  });
});
