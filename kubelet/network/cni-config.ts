// The node's CNI conflist: a `cbr0` bridge with host-local IPAM over the node's pod CIDR, and
// portmap for hostPorts. No loopback entry: containerd brings `lo` up itself.
// ipMasq stays off — pod traffic never leaves the machine and pods see each other's real IPs.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const CNI_NETWORK_NAME = 'skiff';
export const CONFLIST_FILE = '10-skiff.conflist';

export interface CniOptions {
  podCidr: string;
  /** host-local keeps its allocations here (per node, not /var/lib/cni/networks). */
  ipamDataDir: string;
  bridge?: string;
}

/** The first host address of an IPv4 CIDR, used as the bridge's gateway (10.244.1.0/24 → 10.244.1.1). */
export function gatewayOf(cidr: string): string {
  const [addr, bits] = cidr.split('/');
  const prefix = Number(bits);
  const parts = addr.split('.').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isInteger(n) || n < 0 || n > 255) || !(prefix >= 0 && prefix <= 30)) {
    throw new Error(`invalid IPv4 pod CIDR ${JSON.stringify(cidr)}`);
  }
  const base = ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  const gw = ((base & mask) + 1) >>> 0;
  return [gw >>> 24, (gw >>> 16) & 255, (gw >>> 8) & 255, gw & 255].join('.');
}

export function cniConflist(opts: CniOptions): object {
  return {
    cniVersion: '1.0.0',
    name: CNI_NETWORK_NAME,
    plugins: [
      {
        type: 'bridge',
        bridge: opts.bridge ?? 'cbr0',
        isGateway: true,
        ipMasq: false,
        // A pod reaching itself through a ClusterIP needs hairpin on its bridge port.
        hairpinMode: true,
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: opts.podCidr, gateway: gatewayOf(opts.podCidr) }]],
          routes: [{ dst: '0.0.0.0/0' }],
          dataDir: opts.ipamDataDir,
        },
      },
      { type: 'portmap', capabilities: { portMappings: true }, snat: true },
    ],
  };
}

/** Writes the conflist atomically when it differs from what is there; true when it changed. */
export function writeCniConfig(confDir: string, opts: CniOptions): boolean {
  mkdirSync(confDir, { recursive: true });
  const path = join(confDir, CONFLIST_FILE);
  const text = JSON.stringify(cniConflist(opts), null, 2) + '\n';
  try {
    if (readFileSync(path, 'utf8') === text) return false;
  } catch {
    // not written yet
  }
  // containerd watches the dir: never let it read a half-written file.
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
  return true;
}
