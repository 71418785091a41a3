// The rules the proxy wants, chain by chain, for the nat and filter tables (kube-proxy's
// iptables layout under SKIFF- names):
//
//   nat PREROUTING, OUTPUT ─▶ SKIFF-SERVICES ─▶ SKIFF-SVC-x (one per service port) ─▶ SKIFF-SEP-y (one per endpoint, DNAT)
//                                   └─(dst is a local address)─▶ SKIFF-NODEPORTS ─▶ SKIFF-SVC-x
//   nat POSTROUTING ─▶ SKIFF-POSTROUTING: masquerade what SKIFF-MARK-MASQ marked
//   filter OUTPUT, FORWARD ─▶ SKIFF-SERVICES: REJECT cluster IPs with no ready endpoint
//   filter INPUT, FORWARD ─▶ SKIFF-EXTERNAL-SERVICES: REJECT node ports with no ready endpoint
//
// Pure: the same inputs give the same text, so a sync can compare chains and rewrite only
// the ones that changed.

import {
  endpointChain, FILTER_EXTERNAL, FILTER_SERVICES, MARK_MASQ, MASQ_MARK, NODEPORTS, POSTROUTING, SERVICES, serviceChain,
} from './chain-names.js';
import type { ServicePort } from './service-ports.js';

export type Table = 'nat' | 'filter';

/** chain name → its rules (each the text after `-A CHAIN `), in order. */
export type Chains = Map<string, string[]>;

export interface DesiredRules {
  nat: Chains;
  filter: Chains;
}

export interface RuleOptions {
  /** Pod range of the cluster: traffic to a cluster IP from outside it is masqueraded. */
  clusterCIDR?: string;
}

const proto = (p: ServicePort) => p.protocol.toLowerCase();
const comment = (text: string) => `-m comment --comment "${text.replace(/"/g, '')}"`;

/** `--probability` for endpoint i of n: the first of n gets 1/n, the next 1/(n-1), ... the last takes the rest. */
export function probability(i: number, n: number): string {
  return (1 / (n - i)).toFixed(10);
}

export function desiredRules(ports: ServicePort[], opts: RuleOptions = {}): DesiredRules {
  const nat: Chains = new Map();
  const filter: Chains = new Map();
  const services: string[] = [];
  const nodePorts: string[] = [];
  const filterServices: string[] = [];
  const filterExternal: string[] = [];

  for (const sp of ports) {
    const p = proto(sp);
    const match = (dst: string, port: number) => `-d ${dst}/32 -p ${p} -m ${p} --dport ${port}`;
    const svcChain = serviceChain(sp.id, sp.protocol);
    const hasEndpoints = sp.endpoints.length > 0;

    if (!hasEndpoints) {
      if (sp.clusterIP) filterServices.push(`${match(sp.clusterIP, sp.port)} ${comment(`${sp.id} has no endpoints`)} -j REJECT --reject-with icmp-port-unreachable`);
      for (const ip of sp.loadBalancerIPs) filterServices.push(`${match(ip, sp.port)} ${comment(`${sp.id} has no endpoints`)} -j REJECT --reject-with icmp-port-unreachable`);
      if (sp.nodePort) filterExternal.push(`-m addrtype --dst-type LOCAL -p ${p} -m ${p} --dport ${sp.nodePort} ${comment(`${sp.id} has no endpoints`)} -j REJECT --reject-with icmp-port-unreachable`);
      continue;
    }

    if (sp.clusterIP) services.push(`${match(sp.clusterIP, sp.port)} ${comment(`${sp.id} cluster IP`)} -j ${svcChain}`);
    for (const ip of sp.loadBalancerIPs) {
      services.push(`${match(ip, sp.port)} ${comment(`${sp.id} loadbalancer IP`)} -j ${MARK_MASQ}`);
      services.push(`${match(ip, sp.port)} ${comment(`${sp.id} loadbalancer IP`)} -j ${svcChain}`);
    }
    if (sp.nodePort) {
      nodePorts.push(`-p ${p} -m ${p} --dport ${sp.nodePort} ${comment(sp.id)} -j ${MARK_MASQ}`);
      nodePorts.push(`-p ${p} -m ${p} --dport ${sp.nodePort} ${comment(sp.id)} -j ${svcChain}`);
    }

    const svcRules: string[] = [];
    if (sp.clusterIP && opts.clusterCIDR) {
      svcRules.push(`! -s ${opts.clusterCIDR} ${match(sp.clusterIP, sp.port)} ${comment(`${sp.id} cluster IP`)} -j ${MARK_MASQ}`);
    }
    const epChains = sp.endpoints.map((ep) => endpointChain(sp.id, sp.protocol, `${ep.ip}:${ep.port}`));
    if (sp.sessionAffinitySeconds !== undefined) {
      // A client that was sent to an endpoint within the affinity window goes there again.
      epChains.forEach((chain) =>
        svcRules.push(`${comment(sp.id)} -m recent --name ${chain} --mask 255.255.255.255 --rsource --rcheck --seconds ${sp.sessionAffinitySeconds} --reap -j ${chain}`),
      );
    }
    epChains.forEach((chain, i) => {
      const last = i === epChains.length - 1;
      svcRules.push(`${comment(sp.id)}${last ? '' : ` -m statistic --mode random --probability ${probability(i, epChains.length)}`} -j ${chain}`);
    });
    nat.set(svcChain, svcRules);

    sp.endpoints.forEach((ep, i) => {
      const recent = sp.sessionAffinitySeconds !== undefined ? ` -m recent --name ${epChains[i]} --mask 255.255.255.255 --rsource --set` : '';
      nat.set(epChains[i], [
        // Hairpin: a pod reaching its own service must see the reply come back through the node.
        `-s ${ep.ip}/32 ${comment(sp.id)} -j ${MARK_MASQ}`,
        `-p ${p} ${comment(sp.id)}${recent} -m ${p} -j DNAT --to-destination ${ep.ip}:${ep.port}`,
      ]);
    });
  }

  // Node ports are matched last: only traffic to one of the node's own addresses.
  services.push(`-m addrtype --dst-type LOCAL ${comment('skiff service nodeports; must be last')} -j ${NODEPORTS}`);
  nat.set(SERVICES, services);
  nat.set(NODEPORTS, nodePorts);
  nat.set(MARK_MASQ, [`-j MARK --or-mark ${MASQ_MARK}`]);
  nat.set(POSTROUTING, [
    `-m mark ! --mark ${MASQ_MARK}/${MASQ_MARK} -j RETURN`,
    `-j MARK --xor-mark ${MASQ_MARK}`,
    `${comment('skiff service traffic requiring SNAT')} -j MASQUERADE`,
  ]);
  filter.set(FILTER_SERVICES, filterServices);
  filter.set(FILTER_EXTERNAL, filterExternal);
  return { nat, filter };
}

/** Jumps from built-in chains into ours: kept out of restore files (they would be appended again each time). */
export const BUILTIN_JUMPS: { table: Table; chain: string; target: string; match: string }[] = [
  { table: 'nat', chain: 'PREROUTING', target: SERVICES, match: comment('skiff service portals') },
  { table: 'nat', chain: 'OUTPUT', target: SERVICES, match: comment('skiff service portals') },
  { table: 'nat', chain: 'POSTROUTING', target: POSTROUTING, match: comment('skiff postrouting rules') },
  { table: 'filter', chain: 'OUTPUT', target: FILTER_SERVICES, match: `-m conntrack --ctstate NEW ${comment('skiff service portals')}` },
  { table: 'filter', chain: 'FORWARD', target: FILTER_SERVICES, match: `-m conntrack --ctstate NEW ${comment('skiff service portals')}` },
  { table: 'filter', chain: 'INPUT', target: FILTER_EXTERNAL, match: `-m conntrack --ctstate NEW ${comment('skiff external services')}` },
  { table: 'filter', chain: 'FORWARD', target: FILTER_EXTERNAL, match: `-m conntrack --ctstate NEW ${comment('skiff external services')}` },
];
