// The cluster's DNS names, answered from Services and EndpointSlices (as CoreDNS's kubernetes
// plugin answers them, for the parts skiff serves):
//   <svc>.<ns>.svc.<domain>                 A: the ClusterIP, or every ready endpoint of a headless service
//   <hostname>.<svc>.<ns>.svc.<domain>      A: a headless service's endpoint with that hostname
//   _<port>._<proto>.<svc>.<ns>.svc.<domain> SRV: each named port (target: the service, or each endpoint)
//   <a-b-c-d>.<ns>.pod.<domain>             A: a.b.c.d
// Names inside the domain that match nothing are NXDOMAIN; names outside it are REFUSED:
// there is no upstream to forward to. Pure: the server asks, this module answers.

import type { EndpointSlice, Service } from '../../api/types.js';

const TTL = 5;
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export type Rcode = 'NOERROR' | 'NXDOMAIN' | 'REFUSED' | 'NOTIMP';

export type Record =
  | { type: 'A'; name: string; ttl: number; data: string }
  | { type: 'SRV'; name: string; ttl: number; data: { priority: number; weight: number; port: number; target: string } }
  | { type: 'SOA'; name: string; ttl: number; data: { mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number } };

export interface Answer {
  rcode: Rcode;
  answers: Record[];
  /** SOA of the zone for negative answers, so resolvers can cache them. */
  authorities: Record[];
  /** A records of SRV targets. */
  additionals: Record[];
}

/** What the resolver asks: point lookups, so a query never walks every Service. */
export interface DnsSource {
  service(namespace: string, name: string): Service | undefined;
  /** The EndpointSlices labelled for one Service. */
  slicesOf(namespace: string, service: string): Iterable<EndpointSlice>;
  /** Whether the namespace has any Service (`<ns>.svc.<domain>` exists then). */
  hasServices(namespace: string): boolean;
}

/** A DnsSource over plain lists, indexed once (tests, benchmarks). */
export function listSource(services: Iterable<Service>, slices: Iterable<EndpointSlice>): DnsSource {
  const byName = new Map<string, Service>();
  const namespaces = new Set<string>();
  for (const s of services) {
    byName.set(`${s.metadata?.namespace}/${s.metadata?.name}`, s);
    namespaces.add(s.metadata?.namespace ?? '');
  }
  const bySvc = new Map<string, EndpointSlice[]>();
  for (const sl of slices) {
    const key = `${sl.metadata?.namespace}/${sl.metadata?.labels?.[SERVICE_NAME_LABEL]}`;
    bySvc.set(key, [...(bySvc.get(key) ?? []), sl]);
  }
  return {
    service: (ns, name) => byName.get(`${ns}/${name}`),
    slicesOf: (ns, svc) => bySvc.get(`${ns}/${svc}`) ?? [],
    hasServices: (ns) => namespaces.has(ns),
  };
}


interface ReadyEndpoint {
  ip: string;
  hostname?: string;
}

function readyEndpoints(source: DnsSource, namespace: string, service: string): ReadyEndpoint[] {
  const out: ReadyEndpoint[] = [];
  const seen = new Set<string>();
  for (const slice of source.slicesOf(namespace, service)) {
    if (slice.addressType !== 'IPv4') continue;
    for (const ep of slice.endpoints ?? []) {
      if (ep.conditions?.ready === false) continue;
      for (const ip of ep.addresses) {
        if (seen.has(ip)) continue;
        seen.add(ip);
        out.push({ ip, hostname: ep.hostname });
      }
    }
  }
  return out.sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
}


const isHeadless = (s: Service) => s.spec?.clusterIP === 'None';

/** The label an endpoint of a headless service is known by: its hostname, else its IP with dashes. */
const endpointLabel = (ep: ReadyEndpoint) => ep.hostname ?? ep.ip.replace(/\./g, '-');

function soa(domain: string): Record {
  return {
    type: 'SOA',
    name: domain,
    ttl: TTL,
    data: { mname: `ns.dns.${domain}`, rname: `hostmaster.${domain}`, serial: 1, refresh: 7200, retry: 1800, expire: 86400, minimum: TTL },
  };
}

function aRecordsForService(source: DnsSource, svc: Service, name: string): Record[] {
  const ns = svc.metadata?.namespace ?? '';
  if (svc.spec?.type === 'ExternalName') return [];
  if (isHeadless(svc)) return readyEndpoints(source, ns, svc.metadata?.name ?? '').map((ep) => ({ type: 'A', name, ttl: TTL, data: ep.ip }));
  return svc.spec?.clusterIP ? [{ type: 'A', name, ttl: TTL, data: svc.spec.clusterIP }] : [];
}

/** `10-244-1-5` → `10.244.1.5`, or undefined when it is not an IPv4 address. */
function dashedIPv4(label: string): string | undefined {
  const parts = label.split('-');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.join('.');
}

export function resolve(source: DnsSource, domain: string, qname: string, qtype: string): Answer {
  const name = qname.toLowerCase().replace(/\.$/, '');
  const zone = domain.toLowerCase();
  const result: Answer = { rcode: 'NOERROR', answers: [], authorities: [], additionals: [] };
  if (name !== zone && !name.endsWith(`.${zone}`)) return { ...result, rcode: 'REFUSED' };

  const labels = name === zone ? [] : name.slice(0, -(zone.length + 1)).split('.');
  const found = lookup(source, labels, name, zone);
  if (!found) return { ...result, rcode: 'NXDOMAIN', authorities: [soa(zone)] };
  // The name exists; answer only the records of the asked type (NODATA for others, e.g. AAAA).
  const wanted = found.records.filter((r) => qtype === 'ANY' || r.type === qtype);
  if (qtype === 'SOA' && labels.length === 0) return { ...result, answers: [soa(zone)] };
  return {
    ...result,
    answers: wanted,
    authorities: wanted.length === 0 ? [soa(zone)] : [],
    additionals: qtype === 'SRV' ? found.additionals : [],
  };
}

interface Found {
  records: Record[];
  additionals: Record[];
}

/** Looks up the labels under the zone (reversed order of significance: `[svc, ns, 'svc']`). */
function lookup(source: DnsSource, labels: string[], name: string, zone: string): Found | undefined {
  const n = labels.length;
  if (n === 0) return { records: [], additionals: [] }; // the zone apex exists
  const kind = labels[n - 1];
  if (kind === 'pod') {
    if (n < 3) return { records: [], additionals: [] }; // `pod.<zone>` and `<ns>.pod.<zone>` exist
    if (n !== 3) return undefined;
    const ip = dashedIPv4(labels[0]);
    return ip ? { records: [{ type: 'A', name, ttl: TTL, data: ip }], additionals: [] } : undefined;
  }
  if (kind !== 'svc') return undefined;
  if (n === 1) return { records: [], additionals: [] };
  const ns = labels[n - 2];
  if (n === 2) {
    // `<ns>.svc.<zone>` exists when the namespace has a service.
    return source.hasServices(ns) ? { records: [], additionals: [] } : undefined;
  }
  const svcName = labels[n - 3];
  const svc = source.service(ns, svcName);
  if (!svc) return undefined;
  const svcFqdn = `${svcName}.${ns}.svc.${zone}`;
  if (n === 3) return { records: aRecordsForService(source, svc, name), additionals: [] };
  if (n === 4) {
    // A headless service's endpoint by its hostname, or by its dashed IP when it has none.
    if (!isHeadless(svc)) return undefined;
    const eps = readyEndpoints(source, ns, svcName).filter((ep) => endpointLabel(ep) === labels[0]);
    return eps.length ? { records: eps.map((ep) => ({ type: 'A', name, ttl: TTL, data: ep.ip })), additionals: [] } : undefined;
  }
  if (n === 5 && labels[0].startsWith('_') && labels[1].startsWith('_')) {
    const portName = labels[0].slice(1);
    const proto = labels[1].slice(1).toUpperCase();
    const port = (svc.spec?.ports ?? []).find((p) => p.name === portName && (p.protocol ?? 'TCP') === proto);
    if (!port) return undefined;
    if (!isHeadless(svc)) {
      return {
        records: [{ type: 'SRV', name, ttl: TTL, data: { priority: 0, weight: 100, port: port.port, target: svcFqdn } }],
        additionals: aRecordsForService(source, svc, svcFqdn),
      };
    }
    const eps = readyEndpoints(source, ns, svcName);
    const targetOf = (ep: ReadyEndpoint) => `${endpointLabel(ep)}.${svcFqdn}`;
    return {
      records: eps.map((ep) => ({ type: 'SRV', name, ttl: TTL, data: { priority: 0, weight: Math.floor(100 / eps.length), port: port.port, target: targetOf(ep) } })),
      additionals: eps.map((ep) => ({ type: 'A', name: targetOf(ep), ttl: TTL, data: ep.ip })),
    };
  }
  return undefined;
}
