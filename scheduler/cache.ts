// The scheduler's picture of the cluster: nodes and the pods counted on each, fed by the
// informers, plus pods the scheduler has *assumed* onto a node. A pod is assumed the moment a
// node is picked for it — before the bind request returns and before the watch shows the
// binding — so the next pod already sees its resources taken. The assumption is confirmed when
// the informer reports the pod bound, forgotten when the bind fails, and expires if the bind
// finished but the informer never confirmed it (the pod was deleted in between, say).

import type { Node, Pod } from '../api/types.js';
import type { Snapshot } from './framework.js';
import { NodeInfo, newPodInfo, podKey } from './node-info.js';

interface PodState {
  pod: Pod;
  nodeName: string;
  assumed: boolean;
  /** Set when binding finished; an assumed pod still unconfirmed after it expires. */
  deadline?: number;
}

export interface CacheOptions {
  /** How long an assumed pod whose binding finished may wait for the informer; 0 = forever. */
  assumedPodTtlMs?: number;
  now?: () => number;
}

export class SchedulerCache {
  private readonly nodeInfos = new Map<string, NodeInfo>();
  /** Names of nodes that have a Node object (others only hold pods bound to a missing node). */
  private readonly present = new Set<string>();
  /** The snapshot's node list, rebuilt when the set of nodes changes. */
  private nodeOrder: NodeInfo[] | undefined;
  private readonly podStates = new Map<string, PodState>();
  private readonly namespaces = new Map<string, Readonly<Record<string, string>>>();
  private readonly ttl: number;
  private readonly now: () => number;

  constructor(opts: CacheOptions = {}) {
    this.ttl = opts.assumedPodTtlMs ?? 30_000;
    this.now = opts.now ?? Date.now;
  }

  // Nodes.

  addNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const ni = this.nodeInfos.get(name);
    if (ni) ni.setNode(node);
    else this.nodeInfos.set(name, new NodeInfo(node));
    if (!this.present.has(name)) {
      this.present.add(name);
      this.nodeOrder = undefined;
    }
  }

  updateNode(node: Node): void {
    this.addNode(node);
  }

  removeNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const ni = this.nodeInfos.get(name);
    this.present.delete(name);
    if (!ni) return;
    // Pods still bound to a deleted node stay counted under it until they go, as upstream.
    if (ni.pods.size === 0) this.nodeInfos.delete(name);
    else ni.setNode({ metadata: { name } });
    this.nodeOrder = undefined;
  }

  // Namespaces (for pod affinity namespaceSelector).

  setNamespace(name: string, labels: Readonly<Record<string, string>> | undefined): void {
    this.namespaces.set(name, labels ?? {});
  }

  removeNamespace(name: string): void {
    this.namespaces.delete(name);
  }

  // Pods: the assume protocol.

  /** Counts `pod` on `nodeName` now, before the bind completes. */
  assumePod(pod: Pod, nodeName: string): void {
    const key = podKey(pod);
    if (this.podStates.has(key)) throw new Error(`pod ${key} is already in the scheduler cache`);
    const bound: Pod = { ...pod, spec: { ...pod.spec, containers: pod.spec?.containers ?? [], nodeName } };
    this.podStates.set(key, { pod: bound, nodeName, assumed: true });
    this.nodeFor(nodeName).addPod(newPodInfo(bound));
  }

  /** The bind request returned successfully; start the expiry clock. */
  finishBinding(pod: Pod): void {
    const st = this.podStates.get(podKey(pod));
    if (st?.assumed && this.isAssumed(pod)) st.deadline = this.ttl > 0 ? this.now() + this.ttl : undefined;
  }

  /** The bind failed: the pod no longer counts on that node. */
  forgetPod(pod: Pod): void {
    const key = podKey(pod);
    const st = this.podStates.get(key);
    // Only this pod's assumption: a re-created namesake may be assumed by now.
    if (!st?.assumed || !this.isAssumed(pod)) return;
    this.removeFromNode(key, st.nodeName);
    this.podStates.delete(key);
  }

  /** Whether this pod (same name and, when known, same uid) is assumed and not yet confirmed. */
  isAssumed(pod: Pod): boolean {
    const st = this.podStates.get(podKey(pod));
    if (!st?.assumed) return false;
    const uid = pod.metadata?.uid;
    return !uid || !st.pod.metadata?.uid || st.pod.metadata.uid === uid;
  }

  /**
   * Drops what the cache holds under this pod's name for a *different* pod (other uid): a pod
   * deleted and re-created under the same name while the old one's bind was in flight.
   */
  dropNamesake(pod: Pod): void {
    const key = podKey(pod);
    const st = this.podStates.get(key);
    const uid = pod.metadata?.uid;
    if (!st || !uid || !st.pod.metadata?.uid || st.pod.metadata.uid === uid) return;
    this.removeFromNode(key, st.nodeName);
    this.podStates.delete(key);
  }

  // Pods: what the informer reports (bound pods only).

  /** A bound pod appeared: confirms an assumption, or adds the pod. */
  addPod(pod: Pod): void {
    const key = podKey(pod);
    const nodeName = pod.spec?.nodeName ?? '';
    const st = this.podStates.get(key);
    if (st) this.removeFromNode(key, st.nodeName);
    this.podStates.set(key, { pod, nodeName, assumed: false });
    this.nodeFor(nodeName).addPod(newPodInfo(pod));
  }

  updatePod(pod: Pod): void {
    this.addPod(pod);
  }

  removePod(pod: Pod): void {
    const key = podKey(pod);
    const st = this.podStates.get(key);
    if (!st) return;
    this.removeFromNode(key, st.nodeName);
    this.podStates.delete(key);
  }

  /** Drops assumed pods whose binding finished more than the TTL ago without confirmation. */
  cleanupExpired(): string[] {
    const now = this.now();
    const expired: string[] = [];
    for (const [key, st] of this.podStates) {
      if (!st.assumed || st.deadline === undefined || st.deadline > now) continue;
      this.removeFromNode(key, st.nodeName);
      this.podStates.delete(key);
      expired.push(key);
    }
    return expired;
  }

  // Views.

  nodeInfo(name: string): NodeInfo | undefined {
    const ni = this.nodeInfos.get(name);
    return ni && this.present.has(name) ? ni : undefined;
  }

  podCount(): number {
    return this.podStates.size;
  }

  /**
   * The cluster for one scheduling cycle. A live view, not a copy: a cycle runs synchronously
   * from start to finish, so nothing changes under it, and copying 1,000 nodes per pod would
   * cost more than scheduling it.
   */
  snapshot(): Snapshot {
    if (!this.nodeOrder) this.nodeOrder = [...this.nodeInfos.values()].filter((ni) => this.present.has(ni.name));
    const nodes = this.nodeOrder;
    return {
      nodes,
      get: (name) => this.nodeInfo(name),
      nodesWithAffinityPods: nodes.filter((n) => n.podsWithAffinity > 0),
      namespaceLabels: (ns) => this.namespaces.get(ns),
    };
  }

  private nodeFor(name: string): NodeInfo {
    let ni = this.nodeInfos.get(name);
    if (!ni) {
      // A pod bound to a node the informer has not shown yet: keep it counted, unlisted.
      ni = new NodeInfo({ metadata: { name } });
      this.nodeInfos.set(name, ni);
    }
    return ni;
  }

  private removeFromNode(key: string, nodeName: string): void {
    const ni = this.nodeInfos.get(nodeName);
    if (!ni) return;
    ni.removePod(key);
    if (ni.pods.size === 0 && !this.present.has(nodeName)) this.nodeInfos.delete(nodeName);
  }
}
