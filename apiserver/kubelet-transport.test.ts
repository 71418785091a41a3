import { describe, expect, it } from 'vitest';
import type { Node } from '../api/types.js';
import { kubeletURLOf } from './kubelet-transport.js';

const node = (addresses: Array<{ type: string; address: string }>, port?: number): Node => ({
  metadata: { name: 'n1' },
  status: { addresses, ...(port ? { daemonEndpoints: { kubeletEndpoint: { Port: port } } } : {}) },
});

describe('kubeletURLOf', () => {
  it.each([
    { addrs: [{ type: 'InternalIP', address: '10.200.0.10' }], port: undefined, want: 'https://10.200.0.10:10250/' },
    { addrs: [{ type: 'Hostname', address: 'n1' }, { type: 'InternalIP', address: '10.0.0.2' }], port: 12000, want: 'https://10.0.0.2:12000/' },
    { addrs: [{ type: 'ExternalIP', address: 'fd00::1' }], port: undefined, want: 'https://[fd00::1]:10250/' },
  ])('$want', ({ addrs, port, want }) => {
    expect(kubeletURLOf(node(addrs, port)).toString()).toBe(want);
  });

  it('refuses a node without addresses', () => {
    expect(() => kubeletURLOf(node([]))).toThrow(/no address/);
  });
});
