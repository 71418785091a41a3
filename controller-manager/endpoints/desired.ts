// What a Service's endpoints should be, from its pods: pure functions shared by the Endpoints
// and EndpointSlice controllers. A pod takes part once it has an IP and is not finished; each
// service port's targetPort is resolved per pod (a named port looks up the pod's container
// ports, so two pods may serve the same service port on different numbers).

import type { EndpointAddress, EndpointPort, EndpointSubset, Pod, Service, ServicePort, SliceEndpoint, SliceEndpointPort } from '../types.js';
import { podIsReady, podIsTerminal } from '../../api/meta.js';
import { canonicalJson } from '../deployment/hash.js';

/** A pod's ports for the service, or undefined where a named targetPort is not on the pod. */
export function resolvePorts(svc: Service, pod: Pod): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = resolveTargetPort(sp, pod);
    if (port === undefined) continue;
    out.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  return out;
}

function resolveTargetPort(sp: ServicePort, pod: Pod): number | undefined {
  const target = sp.targetPort;
  if (target === undefined || target === '') return sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of pod.spec?.containers ?? []) {
    for (const cp of c.ports ?? []) if (cp.name === target && (cp.protocol ?? 'TCP') === (sp.protocol ?? 'TCP')) return cp.containerPort;
  }
  return undefined;
}

/** Pods that belong in the service's endpoints (terminating ones only if `includeTerminating`). */
export function endpointPods(svc: Service, pods: Pod[], includeTerminating: boolean): Pod[] {
  return pods.filter((p) => {
    if (!p.status?.podIP || podIsTerminal(p)) return false;
    if (p.metadata?.deletionTimestamp && !includeTerminating && !svc.spec?.publishNotReadyAddresses) return false;
    return true;
  });
}

const ipOrder = (a: string, b: string): number => {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return a.localeCompare(b);
};

function address(svc: Service, pod: Pod): EndpointAddress {
  const m = pod.metadata!;
  const a: EndpointAddress = { ip: pod.status!.podIP!, targetRef: { kind: 'Pod', namespace: m.namespace, name: m.name, uid: m.uid } };
  if (pod.spec?.nodeName) a.nodeName = pod.spec.nodeName;
  if (pod.spec?.hostname && pod.spec.subdomain === svc.metadata?.name) a.hostname = pod.spec.hostname;
  return a;
}

/** Endpoints subsets: pods with the same resolved ports share a subset; ready under addresses. */
export function desiredSubsets(svc: Service, pods: Pod[]): EndpointSubset[] {
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  for (const pod of endpointPods(svc, pods, false)) {
    const ports = resolvePorts(svc, pod);
    if ((svc.spec?.ports?.length ?? 0) > 0 && ports.length === 0) continue;
    const key = canonicalJson(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, ready: [], notReady: [] }));
    (podIsReady(pod) || svc.spec?.publishNotReadyAddresses ? g.ready : g.notReady).push(address(svc, pod));
  }
  const byIp = (a: EndpointAddress, b: EndpointAddress): number => ipOrder(a.ip, b.ip);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, g]) => {
      const s: EndpointSubset = {};
      if (g.ready.length) s.addresses = g.ready.sort(byIp);
      if (g.notReady.length) s.notReadyAddresses = g.notReady.sort(byIp);
      if (g.ports.length) s.ports = g.ports;
      return s;
    });
}

export interface SliceGroup {
  ports: SliceEndpointPort[];
  endpoints: SliceEndpoint[];
}

/** EndpointSlice content grouped by port list, endpoints sorted by address. */
export function desiredSliceGroups(svc: Service, pods: Pod[]): SliceGroup[] {
  const groups = new Map<string, SliceGroup>();
  for (const pod of endpointPods(svc, pods, true)) {
    const ports = resolvePorts(svc, pod) as SliceEndpointPort[];
    if ((svc.spec?.ports?.length ?? 0) > 0 && ports.length === 0) continue;
    const key = canonicalJson(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, endpoints: [] }));
    const ready = podIsReady(pod);
    const terminating = !!pod.metadata?.deletionTimestamp;
    const m = pod.metadata!;
    const ep: SliceEndpoint = {
      addresses: [pod.status!.podIP!],
      conditions: { ready: (ready && !terminating) || !!svc.spec?.publishNotReadyAddresses, serving: ready, terminating },
      targetRef: { kind: 'Pod', namespace: m.namespace, name: m.name, uid: m.uid },
    };
    if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
    if (pod.spec?.hostname && pod.spec.subdomain === svc.metadata?.name) ep.hostname = pod.spec.hostname;
    g.endpoints.push(ep);
  }
  for (const g of groups.values()) g.endpoints.sort((a, b) => ipOrder(a.addresses[0], b.addresses[0]));
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, g]) => g);
}

/** Services that manage endpoints: those with a selector, and not ExternalName. */
export function managesEndpoints(svc: Service): boolean {
  return svc.spec?.type !== 'ExternalName' && !!svc.spec?.selector && Object.keys(svc.spec.selector).length > 0;
}
