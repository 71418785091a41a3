// Service, Endpoints and EndpointSlice: ports, types and policies, the cluster IP, and
// endpoint addresses (IPv4 only, never loopback, link-local or multicast).

import { isIPv6 } from 'node:net';
import { isDNS1123Label, isDNS1123Subdomain, isIPv4, isPortNumber } from '../names.js';
import type { EndpointSlice, Endpoints, Service, ServicePort } from '../types.js';
import { immutable, isInt, labels, oneOf } from './common.js';
import { type FieldError, Path, fieldErrors, invalidEach } from './field.js';
import { numberOrPortName } from './pod.js';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const IP_MESSAGE = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

/** Endpoints must be routable pod or node addresses. */
export function endpointIP(ip: unknown, path: Path): FieldError[] {
  if (typeof ip !== 'string' || !isIPv4(ip)) return [fieldErrors.invalid(path, ip ?? '', IP_MESSAGE)];
  const [a, b] = ip.split('.').map(Number);
  if (ip === '0.0.0.0') return [fieldErrors.invalid(path, ip, 'may not be unspecified (0.0.0.0)')];
  if (a === 127) return [fieldErrors.invalid(path, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)')];
  if (a === 169 && b === 254) return [fieldErrors.invalid(path, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)')];
  if (a >= 224 && a <= 239) return [fieldErrors.invalid(path, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)')];
  return [];
}

function servicePorts(list: ServicePort[], type: string | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  const pairs = new Set<string>();
  list.forEach((p, i) => {
    const pp = path.index(i);
    if (list.length > 1 && !p.name) errs.push(fieldErrors.required(pp.child('name')));
    if (p.name) {
      errs.push(...invalidEach(pp.child('name'), p.name, isDNS1123Label(p.name)));
      if (names.has(p.name)) errs.push(fieldErrors.duplicate(pp.child('name'), p.name));
      names.add(p.name);
    }
    if (!isInt(p.port)) errs.push(fieldErrors.required(pp.child('port')));
    else errs.push(...invalidEach(pp.child('port'), p.port, isPortNumber(p.port)));
    errs.push(...oneOf(p.protocol, pp.child('protocol'), PROTOCOLS, true));
    if (p.targetPort !== undefined) errs.push(...numberOrPortName(p.targetPort, pp.child('targetPort')));
    if (p.nodePort !== undefined && p.nodePort !== 0) {
      if (type === 'ClusterIP' || type === 'ExternalName') errs.push(fieldErrors.forbidden(pp.child('nodePort'), `may not be used when \`type\` is '${type}'`));
      else errs.push(...invalidEach(pp.child('nodePort'), p.nodePort, isPortNumber(p.nodePort)));
    }
    const pair = `${p.port}/${p.protocol}`;
    if (pairs.has(pair)) errs.push(fieldErrors.duplicate(pp, { port: p.port, protocol: p.protocol }));
    pairs.add(pair);
  });
  return errs;
}

export function validateService(svc: Service): FieldError[] {
  const path = Path.root('spec');
  const spec = svc.spec;
  if (!spec) return [fieldErrors.required(path)];
  const errs = oneOf(spec.type, path.child('type'), SERVICE_TYPES, true);
  const headless = spec.clusterIP === 'None';
  const ports = spec.ports ?? [];
  if (spec.type === 'ExternalName') {
    if (!spec.externalName) errs.push(fieldErrors.required(path.child('externalName')));
    else errs.push(...invalidEach(path.child('externalName'), spec.externalName, isDNS1123Subdomain(spec.externalName.replace(/\.$/, '').toLowerCase())));
    if (spec.clusterIP) errs.push(fieldErrors.forbidden(path.child('clusterIP'), 'may not be set for ExternalName services'));
  } else if (ports.length === 0 && !headless) {
    errs.push(fieldErrors.required(path.child('ports')));
  }
  errs.push(...servicePorts(ports, spec.type, path.child('ports')));
  if (spec.clusterIP && !headless && !isIPv4(spec.clusterIP)) {
    errs.push(fieldErrors.invalid(path.child('clusterIP'), spec.clusterIP, "must be empty, 'None', or a valid IP address"));
  }
  if (spec.clusterIPs?.length) {
    if (spec.clusterIP && spec.clusterIPs[0] !== spec.clusterIP) errs.push(fieldErrors.invalid(path.child('clusterIPs').index(0), spec.clusterIPs[0], 'must be same as clusterIP'));
    if (spec.clusterIPs.length > 1) errs.push(fieldErrors.invalid(path.child('clusterIPs'), spec.clusterIPs, 'may only hold one IP: this cluster is single-stack IPv4'));
  }
  if (headless && (spec.type === 'NodePort' || spec.type === 'LoadBalancer')) {
    errs.push(fieldErrors.invalid(path.child('type'), spec.type, 'may not be set when `clusterIP` is `None`'));
  }
  errs.push(...labels(spec.selector, path.child('selector')));
  errs.push(...oneOf(spec.sessionAffinity, path.child('sessionAffinity'), ['ClientIP', 'None']));
  const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  if (timeout !== undefined && (!isInt(timeout) || timeout <= 0 || timeout > 86400)) {
    errs.push(fieldErrors.invalid(path.child('sessionAffinityConfig', 'clientIP', 'timeoutSeconds'), timeout, 'must be greater than 0 and less than 86400'));
  }
  if (spec.externalTrafficPolicy) {
    if (spec.type !== 'NodePort' && spec.type !== 'LoadBalancer') {
      errs.push(fieldErrors.invalid(path.child('externalTrafficPolicy'), spec.externalTrafficPolicy, 'may only be set for externally-accessible services'));
    } else errs.push(...oneOf(spec.externalTrafficPolicy, path.child('externalTrafficPolicy'), ['Cluster', 'Local']));
  }
  errs.push(...oneOf(spec.internalTrafficPolicy, path.child('internalTrafficPolicy'), ['Cluster', 'Local']));
  (spec.ipFamilies ?? []).forEach((f, i) => errs.push(...oneOf(f, path.child('ipFamilies').index(i), ['IPv4'])));
  errs.push(...oneOf(spec.ipFamilyPolicy, path.child('ipFamilyPolicy'), ['SingleStack', 'PreferDualStack', 'RequireDualStack']));
  return errs;
}

/**
 * A cluster IP, once allocated, stays. An update that leaves it empty is not refused here:
 * the server refills allocated values from the stored object, as upstream's registry does.
 * A change to ExternalName releases it, which is allowed.
 */
export function validateServiceUpdate(svc: Service, old: Service): FieldError[] {
  const prevIP = old.spec?.clusterIP;
  const nextIP = svc.spec?.clusterIP;
  if (!prevIP || !nextIP || svc.spec?.type === 'ExternalName') return [];
  return immutable(nextIP, prevIP, Path.root('spec').child('clusterIP'));
}

function endpointPorts(list: { name?: string; port?: number; protocol?: string }[] | undefined, path: Path, portRequired: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  const all = list ?? [];
  all.forEach((p, i) => {
    const pp = path.index(i);
    if (portRequired && all.length > 1 && !p.name) errs.push(fieldErrors.required(pp.child('name')));
    if (p.name) {
      errs.push(...invalidEach(pp.child('name'), p.name, isDNS1123Label(p.name)));
      if (names.has(p.name)) errs.push(fieldErrors.duplicate(pp.child('name'), p.name));
      names.add(p.name);
    }
    if (p.port === undefined) {
      if (portRequired) errs.push(fieldErrors.required(pp.child('port')));
    } else if (!isInt(p.port) || p.port < (portRequired ? 1 : 0) || p.port > 65535) {
      errs.push(fieldErrors.invalid(pp.child('port'), p.port, portRequired ? 'must be between 1 and 65535, inclusive' : 'must be between 0 and 65535, inclusive'));
    }
    errs.push(...oneOf(p.protocol, pp.child('protocol'), PROTOCOLS, true));
  });
  return errs;
}

export function validateEndpoints(ep: Endpoints): FieldError[] {
  const errs: FieldError[] = [];
  (ep.subsets ?? []).forEach((s, i) => {
    const sp = Path.root('subsets').index(i);
    for (const field of ['addresses', 'notReadyAddresses'] as const) {
      (s[field] ?? []).forEach((a, j) => {
        const ap = sp.child(field).index(j);
        errs.push(...endpointIP(a.ip, ap.child('ip')));
        if (a.hostname) errs.push(...invalidEach(ap.child('hostname'), a.hostname, isDNS1123Label(a.hostname)));
        if (a.nodeName) errs.push(...invalidEach(ap.child('nodeName'), a.nodeName, isDNS1123Subdomain(a.nodeName)));
      });
    }
    errs.push(...endpointPorts(s.ports, sp.child('ports'), true));
  });
  return errs;
}

const MAX_SLICE_ENDPOINTS = 1000;
const MAX_ENDPOINT_ADDRESSES = 100;

export function validateEndpointSlice(slice: EndpointSlice): FieldError[] {
  const errs = oneOf(slice.addressType, Path.root('addressType'), ['IPv4', 'IPv6', 'FQDN'], true);
  const endpoints = slice.endpoints ?? [];
  if (endpoints.length > MAX_SLICE_ENDPOINTS) errs.push(fieldErrors.tooLong(Path.root('endpoints'), MAX_SLICE_ENDPOINTS));
  endpoints.forEach((e, i) => {
    const ep = Path.root('endpoints').index(i);
    const addrs = e.addresses ?? [];
    if (addrs.length === 0) errs.push(fieldErrors.required(ep.child('addresses'), 'must contain at least 1 address'));
    else if (addrs.length > MAX_ENDPOINT_ADDRESSES) errs.push(fieldErrors.tooLong(ep.child('addresses'), MAX_ENDPOINT_ADDRESSES));
    addrs.forEach((a, j) => {
      const ap = ep.child('addresses').index(j);
      if (slice.addressType === 'IPv4') errs.push(...endpointIP(a, ap));
      else if (slice.addressType === 'IPv6' && !isIPv6(a)) errs.push(fieldErrors.invalid(ap, a, IP_MESSAGE));
      else if (slice.addressType === 'FQDN') errs.push(...invalidEach(ap, a, isDNS1123Subdomain(a)));
    });
    if (e.nodeName) errs.push(...invalidEach(ep.child('nodeName'), e.nodeName, isDNS1123Subdomain(e.nodeName)));
    if (e.hostname) errs.push(...invalidEach(ep.child('hostname'), e.hostname, isDNS1123Label(e.hostname)));
  });
  errs.push(...endpointPorts(slice.ports, Path.root('ports'), false));
  return errs;
}

export function validateEndpointSliceUpdate(slice: EndpointSlice, old: EndpointSlice): FieldError[] {
  return immutable(slice.addressType, old.addressType, Path.root('addressType'));
}
