// Object builders for controller unit tests: small, valid objects with only what a case needs.

import type { Deployment, Node, Pod, ReplicaSet } from './types.js';

export function replicaSet(name: string, replicas: number, labels: Record<string, string> = { app: name }, extra: Partial<ReplicaSet['spec']> = {}): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }, ...extra },
  };
}

export function deployment(name: string, replicas: number, extra: Partial<Deployment['spec']> = {}): Deployment {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'busybox:1' }] } }, ...extra },
  };
}

export interface PodShape {
  labels?: Record<string, string>;
  node?: string;
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  ready?: boolean;
  readySince?: string;
  restarts?: number;
  created?: string;
  owner?: { kind: string; name: string; uid: string; apiVersion?: string };
}

export function pod(name: string, shape: PodShape = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      labels: shape.labels ?? {},
      ...(shape.created ? { creationTimestamp: shape.created } : {}),
      ...(shape.owner ? { ownerReferences: [{ apiVersion: shape.owner.apiVersion ?? 'apps/v1', kind: shape.owner.kind, name: shape.owner.name, uid: shape.owner.uid, controller: true, blockOwnerDeletion: true }] } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'busybox' }], ...(shape.node ? { nodeName: shape.node } : {}) },
    status: {
      phase: shape.phase ?? 'Pending',
      conditions: shape.ready === undefined ? [] : [{ type: 'Ready', status: shape.ready ? 'True' : 'False', lastTransitionTime: shape.readySince ?? '2025-12-31T00:00:00Z' }],
      containerStatuses: [{ name: 'c', image: 'busybox', imageID: '', ready: !!shape.ready, restartCount: shape.restarts ?? 0 }],
    },
  };
}

export function node(name: string, extra: Partial<Node['spec']> = {}): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: { ...extra }, status: { conditions: [{ type: 'Ready', status: 'True' }] } };
}
