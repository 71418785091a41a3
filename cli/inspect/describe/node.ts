// `skiff describe node`: roles, labels, taints, conditions, addresses, capacity, system info,
// the pods running there with their requests and limits, and the resources allocated in total.

import { cpuToMillis, formatBinaryQuantity, formatCpuQuantity, quantityToBytes } from '../../../api/quantity.js';
import type { Container, Event, Lease, Node, Pod } from '../../../api/types.js';
import { rfc1123z, since } from '../duration.js';
import { sortedResourceNames } from './containers.js';
import { writeEvents } from './events.js';
import { DescribeWriter, writeAnnotations, writeLabels, writeTaints } from './writer.js';

const ROLE_PREFIX = 'node-role.kubernetes.io/';

export function nodeRoles(node: Node): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata?.labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX) && k.length > ROLE_PREFIX.length) roles.add(k.slice(ROLE_PREFIX.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return [...roles].sort().join(',') || '<none>';
}

/** A pod's CPU (millicores), memory and ephemeral storage (bytes), requests or limits. */
export interface PodAmounts {
  cpu: number;
  memory: number;
  storage: number;
}

function containerAmounts(c: Container, which: 'requests' | 'limits'): PodAmounts {
  // An unset request defaults to the limit, as the API server's defaulting does.
  const list = which === 'requests' ? { ...c.resources?.limits, ...c.resources?.requests } : (c.resources?.limits ?? {});
  const get = (name: string, parse: (q: string | number) => number) => (list[name] === undefined ? 0 : parse(list[name] as string | number));
  return { cpu: get('cpu', cpuToMillis), memory: get('memory', quantityToBytes), storage: get('ephemeral-storage', quantityToBytes) };
}

/** Sum over app containers, or the largest init container if that is more (they run one at a time). */
export function podAmounts(pod: Pod, which: 'requests' | 'limits'): PodAmounts {
  const sum: PodAmounts = { cpu: 0, memory: 0, storage: 0 };
  for (const c of pod.spec?.containers ?? []) {
    const a = containerAmounts(c, which);
    sum.cpu += a.cpu;
    sum.memory += a.memory;
    sum.storage += a.storage;
  }
  for (const c of pod.spec?.initContainers ?? []) {
    const a = containerAmounts(c, which);
    sum.cpu = Math.max(sum.cpu, a.cpu);
    sum.memory = Math.max(sum.memory, a.memory);
    sum.storage = Math.max(sum.storage, a.storage);
  }
  return sum;
}

const percent = (part: number, whole: number) => (whole ? Math.trunc((part / whole) * 100) : 0);
const cpuText = (m: number) => formatCpuQuantity(m);
const bytesText = (b: number) => formatBinaryQuantity(b);

/** `lease`: the node's Lease, or why it could not be read (printed in its place, as kubectl does). */
export function describeNode(node: Node, lease: Lease | Error | undefined, pods: Pod[], events: Event[] | undefined, now: Date): string {
  const w = new DescribeWriter();
  const spec = node.spec ?? {};
  const status = node.status ?? {};
  w.write(0, `Name:\t${node.metadata?.name ?? ''}\n`);
  w.write(0, `Roles:\t${nodeRoles(node)}\n`);
  writeLabels(w, 'Labels', node.metadata?.labels);
  writeAnnotations(w, 'Annotations', node.metadata?.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(node.metadata?.creationTimestamp)}\n`);
  writeTaints(w, 'Taints', spec.taints);
  w.write(0, `Unschedulable:\t${spec.unschedulable === true}\n`);
  // The node's heartbeat lease in kube-node-lease.
  if (lease instanceof Error) {
    w.write(0, `Lease:\tFailed to get lease: ${lease.message}\n`);
  } else if (lease) {
    w.write(0, 'Lease:\n');
    w.write(1, `HolderIdentity:\t${lease.spec?.holderIdentity ?? '<unset>'}\n`);
    w.write(1, `AcquireTime:\t${lease.spec?.acquireTime ? rfc1123z(lease.spec.acquireTime) : '<unset>'}\n`);
    w.write(1, `RenewTime:\t${lease.spec?.renewTime ? rfc1123z(lease.spec.renewTime) : '<unset>'}\n`);
  }
  if (status.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of status.conditions) {
      w.write(1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
    }
  }
  w.write(0, 'Addresses:\n');
  for (const a of status.addresses ?? []) w.write(1, `${a.type}:\t${a.address}\n`);
  for (const [title, list] of [
    ['Capacity', status.capacity],
    ['Allocatable', status.allocatable],
  ] as const) {
    const names = sortedResourceNames(list);
    if (!names.length) continue;
    w.write(0, `${title}:\n`);
    for (const name of names) w.write(0, `  ${name}:\t${String(list![name])}\n`);
  }
  const info = status.nodeInfo;
  w.write(0, 'System Info:\n');
  w.write(0, `  Machine ID:\t${info?.machineID ?? ''}\n`);
  w.write(0, `  System UUID:\t${info?.systemUUID ?? ''}\n`);
  w.write(0, `  Boot ID:\t${info?.bootID ?? ''}\n`);
  w.write(0, `  Kernel Version:\t${info?.kernelVersion ?? ''}\n`);
  w.write(0, `  OS Image:\t${info?.osImage ?? ''}\n`);
  w.write(0, `  Operating System:\t${info?.operatingSystem ?? ''}\n`);
  w.write(0, `  Architecture:\t${info?.architecture ?? ''}\n`);
  w.write(0, `  Container Runtime Version:\t${info?.containerRuntimeVersion ?? ''}\n`);
  w.write(0, `  Kubelet Version:\t${info?.kubeletVersion ?? ''}\n`);
  w.write(0, `  Kube-Proxy Version:\t${info?.kubeProxyVersion ?? ''}\n`);
  if (spec.podCIDR) w.write(0, `PodCIDR:\t${spec.podCIDR}\n`);
  if (spec.podCIDRs?.length) w.write(0, `PodCIDRs:\t${spec.podCIDRs.join(',')}\n`);
  if (spec.providerID) w.write(0, `ProviderID:\t${spec.providerID}\n`);
  writePodsAndAllocation(w, node, pods, now);
  writeEvents(w, events, now);
  return w.toString();
}

function writePodsAndAllocation(w: DescribeWriter, node: Node, pods: Pod[], now: Date): void {
  const alloc = Object.keys(node.status?.allocatable ?? {}).length ? node.status!.allocatable! : (node.status?.capacity ?? {});
  const allocCpu = alloc.cpu === undefined ? 0 : cpuToMillis(alloc.cpu as string | number);
  const allocMem = alloc.memory === undefined ? 0 : quantityToBytes(alloc.memory as string | number);
  const allocStorage = alloc['ephemeral-storage'] === undefined ? 0 : quantityToBytes(alloc['ephemeral-storage'] as string | number);
  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const total = { requests: { cpu: 0, memory: 0, storage: 0 }, limits: { cpu: 0, memory: 0, storage: 0 } };
  for (const pod of pods) {
    const req = podAmounts(pod, 'requests');
    const lim = podAmounts(pod, 'limits');
    for (const k of ['cpu', 'memory', 'storage'] as const) {
      total.requests[k] += req[k];
      total.limits[k] += lim[k];
    }
    w.write(
      1,
      `${pod.metadata?.namespace ?? ''}\t${pod.metadata?.name ?? ''}\t\t${cpuText(req.cpu)} (${percent(req.cpu, allocCpu)}%)\t${cpuText(lim.cpu)} (${percent(lim.cpu, allocCpu)}%)\t` +
        `${bytesText(req.memory)} (${percent(req.memory, allocMem)}%)\t${bytesText(lim.memory)} (${percent(lim.memory, allocMem)}%)\t${since(pod.metadata?.creationTimestamp, now)}\n`,
    );
  }
  const { requests: r, limits: l } = total;
  w.write(0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(1, 'Resource\tRequests\tLimits\n');
  w.write(1, '--------\t--------\t------\n');
  w.write(1, `cpu\t${cpuText(r.cpu)} (${percent(r.cpu, allocCpu)}%)\t${cpuText(l.cpu)} (${percent(l.cpu, allocCpu)}%)\n`);
  w.write(1, `memory\t${bytesText(r.memory)} (${percent(r.memory, allocMem)}%)\t${bytesText(l.memory)} (${percent(l.memory, allocMem)}%)\n`);
  w.write(1, `ephemeral-storage\t${bytesText(r.storage)} (${percent(r.storage, allocStorage)}%)\t${bytesText(l.storage)} (${percent(l.storage, allocStorage)}%)\n`);
}
