// What the proxy programs, derived from Services and EndpointSlices: one entry per service
// port, with the ready endpoints that serve it. Pure, so the rules can be tested without
// iptables.

import type { EndpointSlice, Service } from '../../api/types.js';

export interface Endpoint {
  ip: string;
  port: number;
  /** This node's pod, or another node's (only informational for now: no topology routing). */
  nodeName?: string;
}

export interface ServicePort {
  /** `namespace/name:portName` (portName may be empty), as kube-proxy names it in comments. */
  id: string;
  namespace: string;
  name: string;
  portName: string;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  clusterIP?: string;
  port: number;
  nodePort?: number;
  /** Addresses a LoadBalancer service answers on (the lab has no cloud balancer: node addresses). */
  loadBalancerIPs: string[];
  sessionAffinitySeconds?: number;
  endpoints: Endpoint[];
}

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** Ready endpoints per `namespace/service`, merged over all of a service's slices. */
function slicesByService(slices: Iterable<EndpointSlice>): Map<string, EndpointSlice[]> {
  const out = new Map<string, EndpointSlice[]>();
  for (const s of slices) {
    const svc = s.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (!svc || s.addressType !== 'IPv4') continue;
    const key = `${s.metadata?.namespace}/${svc}`;
    out.set(key, [...(out.get(key) ?? []), s]);
  }
  return out;
}

function readyEndpointsFor(slices: EndpointSlice[], portName: string, protocol: string): Endpoint[] {
  const seen = new Set<string>();
  const out: Endpoint[] = [];
  for (const slice of slices) {
    const port = (slice.ports ?? []).find((p) => (p.name ?? '') === portName && (p.protocol ?? 'TCP') === protocol);
    if (port?.port === undefined) continue;
    for (const ep of slice.endpoints ?? []) {
      // An endpoint with no `ready` condition is ready, as the EndpointSlice API defines it.
      if (ep.conditions?.ready === false) continue;
      for (const ip of ep.addresses) {
        const key = `${ip}:${port.port}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ ip, port: port.port, nodeName: ep.nodeName });
      }
    }
  }
  return out.sort((a, b) => (a.ip === b.ip ? a.port - b.port : a.ip < b.ip ? -1 : 1));
}

export function servicePorts(services: Iterable<Service>, slices: Iterable<EndpointSlice>): ServicePort[] {
  const bySvc = slicesByService(slices);
  const out: ServicePort[] = [];
  for (const svc of services) {
    const spec = svc.spec;
    if (!spec || spec.type === 'ExternalName') continue;
    const clusterIP = spec.clusterIP && spec.clusterIP !== 'None' ? spec.clusterIP : undefined;
    const nodePorts = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
    if (!clusterIP && !nodePorts) continue; // headless: DNS answers with pod IPs, nothing to proxy
    const namespace = svc.metadata?.namespace ?? 'default';
    const name = svc.metadata?.name ?? '';
    const lbIPs = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip).filter((ip): ip is string => !!ip);
    const affinity = spec.sessionAffinity === 'ClientIP' ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800) : undefined;
    for (const p of spec.ports ?? []) {
      const protocol = (p.protocol ?? 'TCP') as ServicePort['protocol'];
      const portName = p.name ?? '';
      out.push({
        id: `${namespace}/${name}:${portName}`,
        namespace,
        name,
        portName,
        protocol,
        clusterIP,
        port: p.port,
        nodePort: nodePorts ? p.nodePort : undefined,
        loadBalancerIPs: spec.type === 'LoadBalancer' ? lbIPs : [],
        sessionAffinitySeconds: affinity,
        endpoints: readyEndpointsFor(bySvc.get(`${namespace}/${name}`) ?? [], portName, protocol),
      });
    }
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
