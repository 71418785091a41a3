// The node lifecycle controller: watches kubelet heartbeats (the node's Lease in
// kube-node-lease, and its Ready condition's lastHeartbeatTime). A node silent for longer than
// --node-monitor-grace-period gets every condition Unknown ("Kubelet stopped posting node
// status."), its pods Ready=False, and the `unreachable` NoExecute taint (`not-ready` when the
// kubelet itself reports Ready=False). Pods that do not tolerate a NoExecute taint, or whose
// tolerationSeconds ran out, are deleted so their owners recreate them elsewhere. A node that
// reports Ready again loses the taints. Heartbeats are timed by this controller's own clock
// (when it saw them change), so clock skew between machines does not matter.

import type { Lease, Node, NodeCondition, Pod, Taint } from './types.js';
import type { Informer } from '../client/interfaces.js';
import { isConflict, isNotFound } from '../client/errors.js';
import { Controller, type ControllerContext, type ReconcileResult } from './controller.js';
import { evictionTime } from './taints.js';

export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
const CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

export interface NodeLifecycleOptions {
  /** --node-monitor-grace-period (default 40 s). */
  gracePeriodMs: number;
  /** --node-monitor-period (default 5 s): how often every node is checked. */
  monitorPeriodMs: number;
}

interface Heartbeat {
  lease?: string;
  status?: string;
  /** When this controller last saw either change (its own clock). */
  seenAt: number;
}

export class NodeLifecycleController extends Controller {
  private readonly nodes: Informer<Node>;
  private readonly leases: Informer<Lease>;
  private readonly pods: Informer<Pod>;
  private readonly heartbeats = new Map<string, Heartbeat>();

  constructor(
    ctx: ControllerContext,
    private readonly opts: NodeLifecycleOptions,
  ) {
    super('nodelifecycle', ctx);
    this.nodes = this.uses(ctx.informers.informerFor<Node>('nodes'));
    this.leases = this.uses(ctx.informers.informerFor<Lease>('leases'));
    this.pods = this.uses(ctx.informers.informerFor<Pod>('pods'));
    this.pods.addIndex('node', (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []));
    this.nodes.addEventHandler({
      onAdd: (n) => this.enqueue(n),
      onUpdate: (_o, n) => this.enqueue(n),
      onDelete: (n) => this.heartbeats.delete(n.metadata?.name ?? ''),
    });
    this.leases.addEventHandler({
      onAdd: (l) => this.leaseChanged(l),
      onUpdate: (_o, l) => this.leaseChanged(l),
    });
  }

  private leaseChanged(lease: Lease): void {
    if (lease.metadata?.namespace === NODE_LEASE_NAMESPACE && lease.metadata.name) this.queue.add(lease.metadata.name);
  }

  /** Workers plus the periodic sweep that notices nodes which went silent (silence sends no event). */
  override async run(workers: number, signal: AbortSignal): Promise<void> {
    const timer = setInterval(() => {
      for (const n of this.nodes.lister.list()) this.enqueue(n);
    }, this.opts.monitorPeriodMs);
    timer.unref();
    try {
      await super.run(workers, signal);
    } finally {
      clearInterval(timer);
    }
  }

  /** Records heartbeats as seen now; returns ms since the last one. */
  private silenceMs(node: Node, now: number): number {
    const name = node.metadata!.name!;
    const lease = this.leases.lister.get(`${NODE_LEASE_NAMESPACE}/${name}`)?.spec?.renewTime;
    const status = node.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime;
    const hb = this.heartbeats.get(name);
    if (!hb || hb.lease !== lease || hb.status !== status) {
      this.heartbeats.set(name, { lease: lease ?? undefined, status: status ?? undefined, seenAt: now });
      return 0;
    }
    return now - hb.seenAt;
  }

  async reconcile(name: string): Promise<ReconcileResult> {
    let node = this.nodes.lister.get(name);
    if (!node) return;
    const now = this.ctx.now();
    const silence = this.silenceMs(node, now);
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    if (silence > this.opts.gracePeriodMs && ready?.status !== 'Unknown') {
      node = await this.markUnknown(node, now);
      if (!node) return;
    }
    const readyStatus = node.status?.conditions?.find((c) => c.type === 'Ready')?.status;
    if (readyStatus === 'Unknown') await this.markPodsNotReady(name, now);
    node = await this.syncTaints(node, readyStatus, now);
    if (!node) return;
    return this.evictPods(node, now);
  }

  private async markUnknown(node: Node, now: number): Promise<Node | undefined> {
    const ts = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const existing = node.status?.conditions ?? [];
    const conditions: NodeCondition[] = CONDITIONS.map((type) => {
      const c = existing.find((x) => x.type === type);
      return { type, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: c?.lastHeartbeatTime, lastTransitionTime: ts };
    });
    const others = existing.filter((c) => !CONDITIONS.includes(c.type));
    this.ctx.recorder.event(node, 'Normal', 'NodeNotReady', `Node ${node.metadata?.name} status is now: NodeNotReady`);
    try {
      const updated = await this.ctx.client.for<Node>('nodes').updateStatus({ ...node, status: { ...node.status, conditions: [...conditions, ...others] } });
      // The informer will say so too, but this status must not count as a fresh heartbeat.
      const hb = this.heartbeats.get(node.metadata!.name!);
      if (hb) hb.status = updated.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime;
      return updated;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private async markPodsNotReady(nodeName: string, now: number): Promise<void> {
    const ts = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const pods = this.ctx.client.for<Pod>('pods');
    for (const pod of this.pods.lister.byIndex('node', nodeName)) {
      const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
      if (ready?.status !== 'True' || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
      const conditions = (pod.status?.conditions ?? []).map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: ts } : c));
      try {
        await pods.updateStatus({ ...pod, status: { ...pod.status, conditions } });
      } catch (err) {
        if (!isNotFound(err) && !isConflict(err)) throw err;
      }
    }
  }

  /** unreachable when Unknown, not-ready when False, neither when True. */
  private async syncTaints(node: Node, ready: string | undefined, now: number): Promise<Node | undefined> {
    const want = ready === 'Unknown' ? TAINT_UNREACHABLE : ready === 'False' ? TAINT_NOT_READY : undefined;
    const taints = node.spec?.taints ?? [];
    const ours = taints.filter((t) => (t.key === TAINT_UNREACHABLE || t.key === TAINT_NOT_READY) && t.effect === 'NoExecute');
    if (ours.length === (want ? 1 : 0) && (!want || ours[0].key === want)) return node;
    const next: Taint[] = taints.filter((t) => !ours.includes(t));
    if (want) next.push({ key: want, effect: 'NoExecute', timeAdded: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z') });
    try {
      return await this.ctx.client.for<Node>('nodes').update({ ...node, spec: { ...node.spec, taints: next } });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Taint-based eviction: delete pods whose tolerations ran out; look again at the next deadline. */
  private async evictPods(node: Node, now: number): Promise<ReconcileResult> {
    const noExecute = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
    if (noExecute.length === 0) return;
    let next: number | undefined;
    for (const pod of this.pods.lister.byIndex('node', node.metadata!.name!)) {
      if (pod.metadata?.deletionTimestamp || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
      const at = evictionTime(pod.spec?.tolerations, noExecute, now);
      if (at === undefined) continue;
      if (at > now) {
        next = next === undefined ? at : Math.min(next, at);
        continue;
      }
      try {
        await this.ctx.client.for<Pod>('pods').delete(pod.metadata?.namespace, pod.metadata!.name!, { preconditions: { uid: pod.metadata?.uid } });
        this.ctx.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${pod.metadata?.namespace}/${pod.metadata?.name}`);
      } catch (err) {
        if (!isNotFound(err) && !isConflict(err)) throw err;
      }
    }
    if (next !== undefined) return { requeueAfterMs: next - now + 10 };
  }
}
