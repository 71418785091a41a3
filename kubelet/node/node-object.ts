// The Node this kubelet registers and keeps reporting: labels, addresses, capacity and
// allocatable (cpu, memory, pods, ephemeral-storage), nodeInfo, the kubelet endpoint, and the
// four conditions computed from the runtime's health and the host's pressure signals.

import type { Node, NodeCondition, NodeStatus } from '../../api/types.js';
import { setCondition } from '../../api/meta.js';
import type { FsInfo, HostInfo } from './host-info.js';

export const KUBELET_VERSION = 'v1.32.0-skiff';

export interface NodeIdentity {
  name: string;
  nodeIp: string;
  kubeletPort: number;
  maxPods: number;
  podCidr?: string;
  labels?: Record<string, string>;
}

export function nodeLabels(id: NodeIdentity, host: HostInfo): Record<string, string> {
  return {
    'kubernetes.io/hostname': id.name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': host.architecture,
    'beta.kubernetes.io/os': 'linux',
    'beta.kubernetes.io/arch': host.architecture,
    ...(id.labels ?? {}),
  };
}

export function nodeCapacity(id: NodeIdentity, host: HostInfo, fs: FsInfo): Record<string, string> {
  return {
    cpu: String(host.cpus),
    memory: `${Math.floor(host.memory.totalBytes / 1024)}Ki`,
    pods: String(id.maxPods),
    'ephemeral-storage': `${Math.floor(fs.capacityBytes / 1024)}Ki`,
  };
}

export interface Health {
  /** Why the runtime is not ready, or undefined when it is. */
  runtimeProblem?: string;
  memoryPressure: boolean;
  diskPressure: boolean;
  pidPressure: boolean;
}

/** The four node conditions; lastTransitionTime moves only on change, lastHeartbeatTime always. */
export function nodeConditions(old: NodeCondition[] | undefined, h: Health, now: Date): NodeCondition[] {
  const beat = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const c = (type: string, bad: boolean, badReason: string, badMsg: string, okReason: string, okMsg: string, badIsTrue = true): NodeCondition => ({
    type,
    status: bad === badIsTrue ? 'True' : 'False',
    reason: bad ? badReason : okReason,
    message: bad ? badMsg : okMsg,
    lastHeartbeatTime: beat,
  });
  let list = old ?? [];
  for (const cond of [
    c('MemoryPressure', h.memoryPressure, 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', h.diskPressure, 'KubeletHasDiskPressure', 'kubelet has disk pressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', h.pidPressure, 'KubeletHasInsufficientPID', 'kubelet has insufficient PID available', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    c('Ready', h.runtimeProblem !== undefined, 'KubeletNotReady', h.runtimeProblem ?? '', 'KubeletReady', 'kubelet is posting ready status', false),
  ]) {
    list = setCondition(list, cond, now);
  }
  return list;
}

export interface NodeStatusInput {
  id: NodeIdentity;
  host: HostInfo;
  fs: FsInfo;
  runtimeVersion: string;
  health: Health;
  old?: NodeStatus;
  now: Date;
}

export function nodeStatus(input: NodeStatusInput): NodeStatus {
  const { id, host } = input;
  const capacity = nodeCapacity(id, host, input.fs);
  return {
    ...(input.old ?? {}),
    capacity,
    allocatable: { ...capacity },
    conditions: nodeConditions(input.old?.conditions, input.health, input.now),
    addresses: [
      { type: 'InternalIP', address: id.nodeIp },
      { type: 'Hostname', address: id.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: id.kubeletPort } },
    nodeInfo: {
      machineID: host.machineID,
      systemUUID: host.machineID,
      bootID: host.bootID,
      kernelVersion: host.kernelVersion,
      osImage: host.osImage,
      containerRuntimeVersion: `containerd://${input.runtimeVersion}`,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: KUBELET_VERSION,
      operatingSystem: 'linux',
      architecture: host.architecture,
    },
  };
}

export function newNode(id: NodeIdentity, host: HostInfo, status: NodeStatus): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: id.name, labels: nodeLabels(id, host) },
    spec: id.podCidr ? { podCIDR: id.podCidr, podCIDRs: [id.podCidr] } : {},
    status,
  };
}

/** Whether two statuses differ in anything but heartbeat times (what forces an early report). */
export function statusChanged(a: NodeStatus | undefined, b: NodeStatus): boolean {
  const strip = (s: NodeStatus | undefined): string => JSON.stringify({ ...s, conditions: (s?.conditions ?? []).map((c) => ({ ...c, lastHeartbeatTime: undefined })) });
  return strip(a) !== strip(b);
}
