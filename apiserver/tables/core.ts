// Rows for the core/v1 kinds other than Pod: Node, Namespace, Service, Endpoints, Event,
// ConfigMap, Secret, ServiceAccount.

import type { ConfigMap, Endpoints, Event, Namespace, Node, Secret, Service, ServiceAccount, ServicePort } from '../../api/types.js';
import { age, formatLabels } from './humanize.js';
import { ageColumn, column, nameColumn, printer } from './printer.js';

const NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';

/** Roles from `node-role.kubernetes.io/<role>` label keys and the older `kubernetes.io/role` value, sorted. */
export function nodeRoles(node: Node): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata?.labels ?? {})) {
    if (key.startsWith(NODE_ROLE_PREFIX) && key.length > NODE_ROLE_PREFIX.length) roles.add(key.slice(NODE_ROLE_PREFIX.length));
    else if (key === 'kubernetes.io/role' && value) roles.add(value);
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

/** `Ready` / `NotReady` / `Unknown` (no Ready condition yet), plus `SchedulingDisabled` when cordoned. */
export function nodeStatus(node: Node): string {
  const parts: string[] = [];
  const ready = (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
  if (ready) parts.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  else parts.push('Unknown');
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeAddress(node: Node, type: string): string {
  return node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';
}

export const nodePrinter = printer<Node>(
  [
    nameColumn,
    column('Status', 'The status of the node.'),
    column('Roles', 'The roles of the node.'),
    ageColumn,
    column('Version', 'The kubelet version the node reports.'),
    column('Internal-IP', 'The node\'s first internal address.', { wide: true }),
    column('External-IP', 'The node\'s first external address.', { wide: true }),
    column('OS-Image', 'The operating system image the node reports.', { wide: true }),
    column('Kernel-Version', 'The kernel version the node reports.', { wide: true }),
    column('Container-Runtime', 'The container runtime and version the node reports.', { wide: true }),
  ],
  (node, now) => {
    const info = node.status?.nodeInfo;
    return [
      node.metadata?.name ?? '',
      nodeStatus(node),
      nodeRoles(node),
      age(node.metadata?.creationTimestamp, now),
      info?.kubeletVersion ?? '',
      nodeAddress(node, 'InternalIP'),
      nodeAddress(node, 'ExternalIP'),
      info?.osImage || '<unknown>',
      info?.kernelVersion || '<unknown>',
      info?.containerRuntimeVersion || '<unknown>',
    ];
  },
);

export const namespacePrinter = printer<Namespace>(
  [nameColumn, column('Status', 'The phase of the namespace.'), ageColumn],
  (ns, now) => [ns.metadata?.name ?? '', ns.status?.phase ?? '', age(ns.metadata?.creationTimestamp, now)],
);

/** `80/TCP,443:30443/TCP`: port, node port when there is one, protocol. */
export function servicePorts(ports: ServicePort[] | undefined): string {
  const text = (ports ?? [])
    .map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`))
    .join(',');
  return text || '<none>';
}

/** Load balancer ingress points, cut to 16 characters as kubectl's narrow view does. */
function loadBalancerAddresses(svc: Service): string {
  const text = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean).join(',');
  return text.length > 16 ? `${text.slice(0, 13)}...` : text;
}

export function serviceExternalIP(svc: Service): string {
  const externalIPs = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerAddresses(svc);
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return svc.spec?.externalName ?? '';
    default:
      return '<unknown>';
  }
}

export const servicePrinter = printer<Service>(
  [
    nameColumn,
    column('Type', 'How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.'),
    column('Cluster-IP', 'The service\'s virtual IP inside the cluster.'),
    column('External-IP', 'Addresses the service is reachable at from outside the cluster.'),
    column('Port(s)', 'The ports the service exposes.'),
    ageColumn,
    column('Selector', 'The labels of the pods the service sends traffic to.', { wide: true }),
  ],
  (svc, now) => [
    svc.metadata?.name ?? '',
    svc.spec?.type ?? '',
    svc.spec?.clusterIPs?.[0] ?? svc.spec?.clusterIP ?? '<none>',
    serviceExternalIP(svc),
    servicePorts(svc.spec?.ports),
    age(svc.metadata?.creationTimestamp, now),
    formatLabels(svc.spec?.selector),
  ],
);

/** Up to three `ip:port` pairs, then `+ N more...`. */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    // A headless service may have no ports: then the addresses alone.
    const targets = ports.length === 0 ? [undefined] : ports.map((p) => p.port);
    for (const port of targets) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) break;
        list.push(port === undefined ? a.ip : a.ip.includes(':') ? `[${a.ip}]:${port}` : `${a.ip}:${port}`);
      }
    }
  }
  const text = list.join(',');
  return count > max ? `${text} + ${count - max} more...` : text;
}

export const endpointsPrinter = printer<Endpoints>(
  [nameColumn, column('Endpoints', 'The addresses and ports that back the service.'), ageColumn],
  (ep, now) => [ep.metadata?.name ?? '', formatEndpoints(ep), age(ep.metadata?.creationTimestamp, now)],
);

function eventSource(ev: Event): string {
  const component = ev.source?.component || ev.reportingComponent || '';
  const instance = ev.source?.host || ev.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

export const eventPrinter = printer<Event>(
  [
    column('Last Seen', 'How long ago the event was last observed.'),
    column('Type', 'Normal or Warning.'),
    column('Reason', 'Why the event happened, in one CamelCase word.'),
    column('Object', 'The object the event is about.'),
    column('Subobject', 'The part of the object the event is about (a container).', { wide: true }),
    column('Source', 'The component that reported the event.', { wide: true }),
    column('Message', 'What happened, for a person.'),
    column('First Seen', 'How long ago the event was first observed.', { wide: true }),
    column('Count', 'How many times the event was observed.', { wide: true }),
    column('Name', 'The event object\'s name.', { format: 'name', wide: true }),
  ],
  (ev, now) => {
    // Events written through events.k8s.io carry eventTime and series instead of timestamps and count.
    const first = ev.firstTimestamp ? age(ev.firstTimestamp, now) : age(ev.eventTime, now);
    let last = ev.lastTimestamp ? age(ev.lastTimestamp, now) : first;
    let count = ev.count ?? 0;
    if (ev.series) {
      last = age(ev.series.lastObservedTime, now);
      count = ev.series.count ?? 0;
    } else if (count === 0) {
      count = 1;
    }
    const involved = ev.involvedObject;
    const kind = (involved?.kind ?? '').toLowerCase();
    const target = involved?.name ? `${kind}/${involved.name}` : kind;
    return [last, ev.type ?? '', ev.reason ?? '', target, involved?.fieldPath ?? '', eventSource(ev), (ev.message ?? '').trim(), first, count, ev.metadata?.name ?? ''];
  },
);

export const configMapPrinter = printer<ConfigMap>(
  [nameColumn, column('Data', 'The number of keys in data and binaryData.'), ageColumn],
  (cm, now) => [cm.metadata?.name ?? '', Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length, age(cm.metadata?.creationTimestamp, now)],
);

export const secretPrinter = printer<Secret>(
  [nameColumn, column('Type', 'The secret\'s type.'), column('Data', 'The number of keys in the secret.'), ageColumn],
  (s, now) => [
    s.metadata?.name ?? '',
    s.type ?? '',
    // stringData is write-only and merged into data on write; count both in case it was stored as sent.
    new Set([...Object.keys(s.data ?? {}), ...Object.keys(s.stringData ?? {})]).size,
    age(s.metadata?.creationTimestamp, now),
  ],
);

export const serviceAccountPrinter = printer<ServiceAccount>(
  [nameColumn, column('Secrets', 'The number of secrets the service account references.'), ageColumn],
  (sa, now) => [sa.metadata?.name ?? '', (sa.secrets ?? []).length, age(sa.metadata?.creationTimestamp, now)],
);

