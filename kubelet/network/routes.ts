// Host-gateway routes in the node's namespace: every other node's pod CIDR via that node's
// InternalIP, following Node changes. Routes carry our own protocol number so the ones we
// made are told apart from everything else, and stale ones are removed.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Node } from '../../api/types.js';

const run = promisify(execFile);

/** `proto` tag on our routes (see /etc/iproute2/rt_protos; 0-255, unused by the system). */
export const ROUTE_PROTO = '159';

export interface PodRoute {
  cidr: string;
  via: string;
}

export function desiredRoutes(nodes: Node[], self: string): PodRoute[] {
  const out: PodRoute[] = [];
  for (const n of nodes) {
    if (n.metadata?.name === self) continue;
    const ip = n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    const cidrs = n.spec?.podCIDRs?.length ? n.spec.podCIDRs : n.spec?.podCIDR ? [n.spec.podCIDR] : [];
    if (!ip) continue;
    for (const cidr of cidrs) if (!cidr.includes(':')) out.push({ cidr, via: ip });
  }
  return out.sort((a, b) => a.cidr.localeCompare(b.cidr));
}

/** Parses `ip -4 route show proto 159` output into our routes. */
export function parseRoutes(text: string): PodRoute[] {
  const out: PodRoute[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\S+) via (\S+)/.exec(line.trim());
    if (m) out.push({ cidr: m[1], via: m[2] });
  }
  return out;
}

/** Runs `ip` with the given arguments and returns its stdout (injectable to target another namespace). */
export type IpRunner = (args: string[]) => Promise<string>;

export const runIp: IpRunner = async (args) => (await run('ip', args)).stdout;

export async function syncRoutes(want: PodRoute[], ip: IpRunner = runIp): Promise<{ added: PodRoute[]; removed: PodRoute[] }> {
  const have = parseRoutes(await ip(['-4', 'route', 'show', 'proto', ROUTE_PROTO]));
  const key = (r: PodRoute): string => `${r.cidr} ${r.via}`;
  const wantKeys = new Set(want.map(key));
  const haveKeys = new Set(have.map(key));
  const removed = have.filter((r) => !wantKeys.has(key(r)));
  const added = want.filter((r) => !haveKeys.has(key(r)));
  for (const r of removed) await ip(['-4', 'route', 'del', r.cidr, 'via', r.via, 'proto', ROUTE_PROTO]).catch(() => undefined);
  for (const r of added) await ip(['-4', 'route', 'replace', r.cidr, 'via', r.via, 'proto', ROUTE_PROTO]);
  return { added, removed };
}
