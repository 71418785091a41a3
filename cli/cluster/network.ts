// The one-machine lab network (DESIGN.md, "Network layout"): a bridge `skiff0` in the root
// namespace holding the gateway address, one network namespace per node joined to it by a
// veth pair, and `unreachable` routes in the root namespace for the pod and service ranges so
// nothing addressed to them ever leaves the machine. Every function is idempotent, so `up`
// can run again on a running cluster.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface LabNetwork {
  bridge: string;
  /** Gateway address on the bridge, e.g. 10.200.0.1 */
  gateway: string;
  prefixLength: number;
  podRange: string;
  serviceRange: string;
}

export const DEFAULT_NETWORK: LabNetwork = {
  bridge: 'skiff0',
  gateway: '10.200.0.1',
  prefixLength: 24,
  podRange: '10.244.0.0/16',
  serviceRange: '10.96.0.0/16',
};

export interface LabNode {
  name: string;
  /** Network namespace name, `skiff-<node>`. */
  netns: string;
  netnsPath: string;
  address: string;
  /** Host end of the veth pair. */
  hostVeth: string;
}

function ip(args: string[]): string {
  try {
    return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`ip ${args.join(' ')}: ${e.stderr?.trim() || e.message}`);
  }
}

function linkExists(name: string, netns?: string): boolean {
  try {
    execFileSync('ip', [...(netns ? ['-n', netns] : []), 'link', 'show', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Node i (0-based) of the lab: namespace, address 10.200.0.(10+i), veth names within 15 chars. */
export function labNode(net: LabNetwork, index: number, name: string): LabNode {
  const base = net.gateway.split('.').slice(0, 3).join('.');
  const netns = `skiff-${name}`;
  return { name, netns, netnsPath: `/run/netns/${netns}`, address: `${base}.${10 + index}`, hostVeth: `skv${index}` };
}

export function createBridge(net: LabNetwork): void {
  if (!linkExists(net.bridge)) ip(['link', 'add', net.bridge, 'type', 'bridge']);
  const addrs = ip(['-o', '-4', 'addr', 'show', 'dev', net.bridge]);
  if (!addrs.includes(` ${net.gateway}/`)) ip(['addr', 'add', `${net.gateway}/${net.prefixLength}`, 'dev', net.bridge]);
  ip(['link', 'set', net.bridge, 'up']);
  // Pod and service addresses are only meaningful inside node namespaces; from the root
  // namespace they must never be routed anywhere (a default route would send them off the machine).
  for (const range of [net.podRange, net.serviceRange]) ip(['route', 'replace', 'unreachable', range]);
}

export function createNodeNamespace(net: LabNetwork, node: LabNode): void {
  if (!existsSync(node.netnsPath)) ip(['netns', 'add', node.netns]);
  ip(['-n', node.netns, 'link', 'set', 'lo', 'up']);
  if (!linkExists('eth0', node.netns)) {
    if (linkExists(node.hostVeth)) ip(['link', 'delete', node.hostVeth]);
    ip(['link', 'add', node.hostVeth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', node.netns]);
  }
  ip(['link', 'set', node.hostVeth, 'master', net.bridge, 'up']);
  const addrs = ip(['-n', node.netns, '-o', '-4', 'addr', 'show', 'dev', 'eth0']);
  if (!addrs.includes(` ${node.address}/`)) ip(['-n', node.netns, 'addr', 'add', `${node.address}/${net.prefixLength}`, 'dev', 'eth0']);
  ip(['-n', node.netns, 'link', 'set', 'eth0', 'up']);
  // The service range is routed to the gateway, whose `unreachable` route stops it: the route
  // lookup must succeed for the service proxy's DNAT (or its REJECT, for a service without
  // endpoints) to apply to the node's own and to forwarded traffic.
  ip(['-n', node.netns, 'route', 'replace', net.serviceRange, 'via', net.gateway, 'dev', 'eth0']);
  // Pods route through the node: forwarding on. No default route: nothing leaves the machine.
  execFileSync('nsenter', [`--net=${node.netnsPath}`, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
}

export function removeNodeNamespace(node: LabNode): void {
  if (existsSync(node.netnsPath)) ip(['netns', 'delete', node.netns]);
  if (linkExists(node.hostVeth)) ip(['link', 'delete', node.hostVeth]);
}

export function removeBridge(net: LabNetwork): void {
  for (const range of [net.podRange, net.serviceRange]) {
    try {
      ip(['route', 'del', 'unreachable', range]);
    } catch {
      // not there
    }
  }
  if (linkExists(net.bridge)) ip(['link', 'delete', net.bridge]);
}
