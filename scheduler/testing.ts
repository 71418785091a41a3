// Builders for scheduler unit tests: nodes, pods and snapshots in a line each.

import type { Node, Pod, PodSpec, Taint } from '../api/types.js';
import { CycleState, type Snapshot } from './framework.js';
import { NodeInfo, newPodInfo } from './node-info.js';

export interface NodeOpts {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
  ready?: 'True' | 'False' | 'Unknown';
  networkUnavailable?: boolean;
}

export function makeNode(name: string, o: NodeOpts = {}): Node {
  const conditions = [{ type: 'Ready', status: o.ready ?? 'True' }];
  if (o.networkUnavailable) conditions.push({ type: 'NetworkUnavailable', status: 'True' });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: { allocatable: { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: o.pods ?? '110' }, conditions },
  };
}

export interface PodOpts {
  namespace?: string;
  labels?: Record<string, string>;
  cpu?: string;
  memory?: string;
  nodeName?: string;
  owner?: string;
  spec?: Partial<PodSpec>;
}

export function makePod(name: string, o: PodOpts = {}): Pod {
  const requests: Record<string, string> = {};
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.namespace ?? 'default',
      uid: `uid-${name}`,
      labels: o.labels ?? {},
      ...(o.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: o.owner, uid: `uid-${o.owner}`, controller: true }] } : {}),
    },
    spec: {
      containers: [{ name: 'c', image: 'busybox', resources: { requests } }],
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
      ...o.spec,
    },
  };
}

/** A NodeInfo for `node` holding `pods`. */
export function nodeInfo(node: Node, ...pods: Pod[]): NodeInfo {
  const ni = new NodeInfo(node);
  for (const p of pods) ni.addPod(newPodInfo(p));
  return ni;
}

export function snapshotOf(nodes: NodeInfo[], namespaces: Record<string, Record<string, string>> = {}): Snapshot {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  return {
    nodes,
    get: (name) => byName.get(name),
    nodesWithAffinityPods: nodes.filter((n) => n.podsWithAffinity > 0),
    namespaceLabels: (ns) => namespaces[ns] ?? { 'kubernetes.io/metadata.name': ns },
  };
}

export function newState(): CycleState {
  return new CycleState();
}
