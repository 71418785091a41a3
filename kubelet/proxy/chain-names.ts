// Chain names: every chain the proxy owns starts with SKIFF-, so cleanup can find them all
// and nothing else is ever touched. Per-service and per-endpoint chains carry a hash of what
// they stand for (iptables limits names to 28 characters).

import { createHash } from 'node:crypto';

export const OWNED_PREFIX = 'SKIFF-';
export const SERVICES = 'SKIFF-SERVICES';
export const NODEPORTS = 'SKIFF-NODEPORTS';
export const POSTROUTING = 'SKIFF-POSTROUTING';
export const MARK_MASQ = 'SKIFF-MARK-MASQ';
/** filter table: refusals for services with no ready endpoint (REJECT only works in filter). */
export const FILTER_SERVICES = 'SKIFF-SERVICES';
export const FILTER_EXTERNAL = 'SKIFF-EXTERNAL-SERVICES';

/** The packet mark that asks SKIFF-POSTROUTING to masquerade. 0x2000 is CNI portmap's. */
export const MASQ_MARK = '0x4000';

function hash16(text: string): string {
  return createHash('sha256').update(text).digest('base64url').replace(/[-_]/g, 'X').slice(0, 16).toUpperCase();
}

export function serviceChain(servicePortId: string, protocol: string): string {
  return `SKIFF-SVC-${hash16(`${servicePortId}/${protocol}`)}`;
}

export function endpointChain(servicePortId: string, protocol: string, endpoint: string): string {
  return `SKIFF-SEP-${hash16(`${servicePortId}/${protocol}/${endpoint}`)}`;
}

export function isOwned(chain: string): boolean {
  return chain.startsWith(OWNED_PREFIX);
}
