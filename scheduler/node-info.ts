// What the scheduler knows about one node: the Node object, the pods counted on it (bound or
// assumed), and running sums the filters need on every cycle — requested resources, host
// ports in use, and how many of its pods carry (anti-)affinity terms.

import type { Node, Pod } from '../api/types.js';
import { cpuToMillis, quantityToBytes } from '../api/quantity.js';
import { add, podNonZeroRequests, podRequests, podScalarRequests, subtract, type Resources, type ScalarResources } from './resources.js';

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

/** A pod with the derived facts filters ask for, computed once when it is added. */
export interface PodInfo {
  readonly key: string;
  readonly pod: Pod;
  readonly requests: Resources;
  readonly nonZeroRequests: Resources;
  /** Requests of resources other than cpu/memory; usually empty. */
  readonly scalarRequests: ScalarResources;
  readonly hostPorts: HostPort[];
  readonly hasAffinity: boolean;
  readonly hasRequiredAntiAffinity: boolean;
  /** uid of the controlling owner (ReplicaSet, Job, ...), for default spreading. */
  readonly controllerUid?: string;
}

export interface Allocatable extends Resources {
  pods: number;
  /** Other allocatable resources (ephemeral-storage, hugepages-*, extended resources). */
  scalar: ScalarResources;
}

/** `namespace/name`, the key pods go by in the cache and the queue. */
export function podKey(pod: Pod): string {
  return `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`;
}

export function hostPortsOf(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol ?? 'TCP', port: p.hostPort });
    }
  }
  return out;
}

export function controllerUidOf(pod: Pod): string | undefined {
  return pod.metadata?.ownerReferences?.find((r) => r.controller)?.uid;
}

export function newPodInfo(pod: Pod): PodInfo {
  const aff = pod.spec?.affinity;
  return {
    key: podKey(pod),
    pod,
    requests: podRequests(pod),
    nonZeroRequests: podNonZeroRequests(pod),
    scalarRequests: podScalarRequests(pod),
    hostPorts: hostPortsOf(pod),
    hasAffinity: Boolean(aff?.podAffinity || aff?.podAntiAffinity),
    hasRequiredAntiAffinity: (aff?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0,
    controllerUid: controllerUidOf(pod),
  };
}

export function allocatableOf(node: Node): Allocatable {
  const a = node.status?.allocatable ?? node.status?.capacity ?? {};
  return {
    milliCPU: a.cpu === undefined ? 0 : cpuToMillis(a.cpu),
    memory: a.memory === undefined ? 0 : quantityToBytes(a.memory),
    pods: a.pods === undefined ? 0 : quantityToBytes(a.pods),
    scalar: new Map(Object.entries(a).filter(([k]) => k !== 'cpu' && k !== 'memory' && k !== 'pods').map(([k, v]) => [k, quantityToBytes(v as string | number)])),
  };
}

export class NodeInfo {
  readonly pods = new Map<string, PodInfo>();
  readonly requested: Resources = { milliCPU: 0, memory: 0 };
  readonly nonZeroRequested: Resources = { milliCPU: 0, memory: 0 };
  /** Summed requests of other resources by the pods on this node. */
  readonly requestedScalar = new Map<string, number>();
  allocatable: Allocatable;
  podsWithAffinity = 0;
  podsWithRequiredAntiAffinity = 0;
  /** Pods on this node per controlling owner uid. */
  readonly podsByController = new Map<string, number>();
  private ports: HostPort[] = [];

  constructor(
    public node: Node,
    /** Bumped on every change; lets the cache tell what moved. */
    public generation = 0,
  ) {
    this.allocatable = allocatableOf(node);
  }

  get name(): string {
    return this.node.metadata?.name ?? '';
  }

  setNode(node: Node): void {
    this.node = node;
    this.allocatable = allocatableOf(node);
    this.generation++;
  }

  get usedPorts(): readonly HostPort[] {
    return this.ports;
  }

  addPod(info: PodInfo): void {
    if (this.pods.has(info.key)) this.removePod(info.key);
    this.pods.set(info.key, info);
    add(this.requested, info.requests);
    add(this.nonZeroRequested, info.nonZeroRequests);
    for (const [k, v] of info.scalarRequests) this.requestedScalar.set(k, (this.requestedScalar.get(k) ?? 0) + v);
    if (info.hostPorts.length > 0) this.ports = [...this.ports, ...info.hostPorts];
    if (info.hasAffinity) this.podsWithAffinity++;
    if (info.hasRequiredAntiAffinity) this.podsWithRequiredAntiAffinity++;
    if (info.controllerUid) this.podsByController.set(info.controllerUid, (this.podsByController.get(info.controllerUid) ?? 0) + 1);
    this.generation++;
  }

  removePod(key: string): boolean {
    const info = this.pods.get(key);
    if (!info) return false;
    this.pods.delete(key);
    subtract(this.requested, info.requests);
    subtract(this.nonZeroRequested, info.nonZeroRequests);
    for (const [k, v] of info.scalarRequests) this.requestedScalar.set(k, (this.requestedScalar.get(k) ?? 0) - v);
    if (info.hostPorts.length > 0) {
      const mine = new Set(info.hostPorts);
      this.ports = this.ports.filter((p) => !mine.has(p));
    }
    if (info.hasAffinity) this.podsWithAffinity--;
    if (info.hasRequiredAntiAffinity) this.podsWithRequiredAntiAffinity--;
    if (info.controllerUid) {
      const n = (this.podsByController.get(info.controllerUid) ?? 1) - 1;
      if (n === 0) this.podsByController.delete(info.controllerUid);
      else this.podsByController.set(info.controllerUid, n);
    }
    this.generation++;
    return true;
  }
}
