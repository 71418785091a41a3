// `skiff describe service`: type, addresses, each port with the endpoints behind it (from the
// Service's EndpointSlices), affinity and traffic policies.

import type { EndpointSlice, Event, Service } from '../../../api/types.js';
import { writeEvents } from './events.js';
import { DescribeWriter, formatLabelMap, writeAnnotations, writeLabels } from './writer.js';

/**
 * The ready endpoints serving the port named `portName` (`10.244.0.5:80,...`), three at most
 * and then `+ N more...`; `<none>` without slices, as kubectl prints them.
 */
export function formatEndpointSlices(slices: EndpointSlice[], portName: string): string {
  if (slices.length === 0) return '<none>';
  const max = 3;
  const shown: string[] = [];
  let count = 0;
  for (const slice of slices) {
    const ports = slice.ports?.length ? slice.ports.filter((p) => (p.name ?? '') === portName) : [undefined];
    for (const port of ports) {
      for (const ep of slice.endpoints) {
        if (ep.conditions?.ready === false) continue;
        const addr = ep.addresses[0];
        if (shown.length < max) shown.push(port ? `${addr.includes(':') ? `[${addr}]` : addr}:${port.port}` : addr);
        count++;
      }
    }
  }
  return count > max ? `${shown.join(',')} + ${count - max} more...` : shown.join(',');
}

export function describeService(svc: Service, slices: EndpointSlice[], events: Event[] | undefined, now: Date): string {
  const w = new DescribeWriter();
  const spec = svc.spec ?? {};
  w.write(0, `Name:\t${svc.metadata?.name ?? ''}\n`);
  w.write(0, `Namespace:\t${svc.metadata?.namespace ?? ''}\n`);
  writeLabels(w, 'Labels', svc.metadata?.labels);
  writeAnnotations(w, 'Annotations', svc.metadata?.annotations);
  w.write(0, `Selector:\t${formatLabelMap(spec.selector)}\n`);
  w.write(0, `Type:\t${spec.type ?? 'ClusterIP'}\n`);
  if (spec.ipFamilyPolicy) w.write(0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  w.write(0, `IP Families:\t${spec.ipFamilies?.length ? spec.ipFamilies.join(',') : '<none>'}\n`);
  w.write(0, `IP:\t${spec.clusterIP ?? ''}\n`);
  w.write(0, `IPs:\t${spec.clusterIPs?.length ? spec.clusterIPs.join(',') : '<none>'}\n`);
  if (spec.externalIPs?.length) w.write(0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
  if (spec.loadBalancerIP) w.write(0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`);
  if (spec.externalName) w.write(0, `External Name:\t${spec.externalName}\n`);
  const ingress = svc.status?.loadBalancer?.ingress ?? [];
  if (ingress.length) w.write(0, `LoadBalancer Ingress:\t${ingress.map((i) => i.ip ?? i.hostname ?? '').join(', ')}\n`);
  for (const p of spec.ports ?? []) {
    const name = p.name || '<unset>';
    const protocol = p.protocol ?? 'TCP';
    w.write(0, `Port:\t${name}\t${p.port}/${protocol}\n`);
    w.write(0, `TargetPort:\t${String(p.targetPort ?? p.port)}/${protocol}\n`);
    if (p.appProtocol) w.write(0, `AppProtocol:\t${p.appProtocol}\n`);
    if (p.nodePort) w.write(0, `NodePort:\t${name}\t${p.nodePort}/${protocol}\n`);
    w.write(0, `Endpoints:\t${formatEndpointSlices(slices, p.name ?? '')}\n`);
  }
  w.write(0, `Session Affinity:\t${spec.sessionAffinity ?? 'None'}\n`);
  if (spec.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (spec.internalTrafficPolicy) w.write(0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  if (spec.healthCheckNodePort) w.write(0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
  if (spec.loadBalancerSourceRanges?.length) w.write(0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(',')}\n`);
  writeEvents(w, events, now);
  return w.toString();
}
