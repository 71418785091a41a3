// The DaemonSet controller: one pod per eligible node, pinned there by node affinity so the
// scheduler binds it; a pod is added when a node joins or starts to match and removed when it
// leaves or stops matching. Templates are recorded as ControllerRevisions and pods carry the
// `controller-revision-hash`; RollingUpdate replaces old pods at most maxUnavailable at a time
// (OnDelete waits for the user to delete them).

import type { ControllerRevision, DaemonSet, DaemonSetStatus, Node, Pod } from '../types.js';
import type { Informer, ResourceClient } from '../../client/interfaces.js';
import { isAlreadyExists, isConflict, isNotFound } from '../../client/errors.js';
import { Controller, keyOf, splitKey, errorMessage, type ControllerContext, type ReconcileResult } from '../controller.js';
import { ControllerExpectations } from '../expectations.js';
import { claimObjects, controllerRefOf, isControlledBy, newControllerRef } from '../ownership.js';
import { isPodAvailable, isPodReady } from '../pods.js';
import { selectorMatches } from '../selector.js';
import { slowStartBatch } from '../slowstart.js';
import { scaledValue } from '../deployment/rollout-math.js';
import { daemonPod, nodeVerdict, REVISION_HASH_LABEL, targetNode } from './placement.js';
import { newRevision, sameTemplate, templateHash } from './history.js';

export class DaemonSetController extends Controller {
  private readonly sets: Informer<DaemonSet>;
  private readonly nodes: Informer<Node>;
  private readonly pods: Informer<Pod>;
  private readonly revisions: Informer<ControllerRevision>;
  private readonly dsClient: ResourceClient<DaemonSet>;
  private readonly podClient: ResourceClient<Pod>;
  private readonly revClient: ResourceClient<ControllerRevision>;
  readonly expectations: ControllerExpectations;

  constructor(ctx: ControllerContext) {
    super('daemonset', ctx);
    this.expectations = new ControllerExpectations(ctx.now);
    this.dsClient = ctx.client.for<DaemonSet>('daemonsets');
    this.podClient = ctx.client.for<Pod>('pods');
    this.revClient = ctx.client.for<ControllerRevision>('controllerrevisions');
    this.sets = this.uses(ctx.informers.informerFor<DaemonSet>('daemonsets'));
    this.nodes = this.uses(ctx.informers.informerFor<Node>('nodes'));
    this.pods = this.uses(ctx.informers.informerFor<Pod>('pods'));
    this.revisions = this.uses(ctx.informers.informerFor<ControllerRevision>('controllerrevisions'));
    this.sets.addEventHandler({ onAdd: (d) => this.enqueue(d), onUpdate: (_o, d) => this.enqueue(d), onDelete: (d) => this.expectations.forget(keyOf(d)) });
    // Any node change may change where daemons belong.
    const allSets = (): void => this.sets.lister.list().forEach((d) => this.enqueue(d));
    this.nodes.addEventHandler({
      onAdd: allSets,
      onUpdate: (old, n) => {
        const facts = (x: Node): string => JSON.stringify([x.metadata?.labels, x.spec?.taints, x.spec?.unschedulable]);
        if (facts(old) !== facts(n)) allSets();
      },
      onDelete: allSets,
    });
    this.pods.addEventHandler({
      onAdd: (p) => this.podEvent(p, (k) => this.expectations.creationObserved(k)),
      onUpdate: (old, p) => {
        if (old.metadata?.resourceVersion === p.metadata?.resourceVersion) return;
        this.podEvent(p, p.metadata?.deletionTimestamp && !old.metadata?.deletionTimestamp ? (k) => this.expectations.deletionObserved(k) : undefined);
      },
      onDelete: (p) => this.podEvent(p, p.metadata?.deletionTimestamp ? undefined : (k) => this.expectations.deletionObserved(k)),
    });
  }

  private podEvent(pod: Pod, observe?: (key: string) => void): void {
    const ref = controllerRefOf(pod);
    if (ref?.kind !== 'DaemonSet') return;
    const ds = this.sets.lister.get(`${pod.metadata?.namespace}/${ref.name}`);
    if (ds?.metadata?.uid !== ref.uid) return;
    observe?.(keyOf(ds));
    this.enqueue(ds);
  }

  async reconcile(key: string): Promise<ReconcileResult> {
    const ds = this.sets.lister.get(key);
    if (!ds || ds.metadata?.deletionTimestamp) return;
    const { namespace } = splitKey(key);
    const hash = templateHash(ds);
    await this.syncRevisions(ds);
    const pods = await claimObjects(this.pods.lister.byIndex('namespace', namespace ?? ''), {
      owner: ds,
      ownerRef: newControllerRef(ds, 'apps/v1', 'DaemonSet'),
      matches: (p) => selectorMatches(ds.spec?.selector, p.metadata?.labels),
      client: this.podClient,
    });
    const byNode = new Map<string, Pod[]>();
    for (const p of pods) {
      const n = targetNode(p);
      if (!n || p.metadata?.deletionTimestamp) continue;
      byNode.set(n, [...(byNode.get(n) ?? []), p]);
    }
    const nodes = this.nodes.lister.list();
    const now = this.ctx.now();
    const minReady = ds.spec?.minReadySeconds ?? 0;

    const create: string[] = [];
    const remove: Pod[] = [];
    for (const node of nodes) {
      const name = node.metadata!.name!;
      const verdict = nodeVerdict(ds, node);
      const here = byNode.get(name) ?? [];
      byNode.delete(name);
      const failed = here.filter((p) => p.status?.phase === 'Failed');
      const running = here.filter((p) => p.status?.phase !== 'Failed');
      remove.push(...failed);
      if (verdict.shouldRun && running.length === 0) create.push(name);
      else if (!verdict.shouldContinueRunning) remove.push(...running);
      else if (running.length > 1) {
        // Keep the oldest; extras came from a race.
        const sorted = [...running].sort((a, b) => (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? ''));
        remove.push(...sorted.slice(1));
      }
    }
    // Pods for nodes that are gone.
    for (const orphaned of byNode.values()) remove.push(...orphaned);

    if (this.expectations.satisfied(key)) {
      await this.manage(key, ds, create, remove, hash);
      if (create.length === 0 && remove.length === 0 && (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
        await this.rollingUpdate(key, ds, pods, hash, nodes.filter((n) => nodeVerdict(ds, n).shouldRun).length, now);
      }
    }

    // Status from the pods as they are after this pass's decisions.
    const status = this.status(ds, nodes, pods, hash, now);
    await this.writeStatus(ds, status);
    if (minReady > 0 && (status.numberAvailable ?? 0) < (status.numberReady ?? 0)) return { requeueAfterMs: minReady * 1000 + 50 };
  }

  private async manage(key: string, ds: DaemonSet, create: string[], remove: Pod[], hash: string): Promise<void> {
    if (create.length === 0 && remove.length === 0) return;
    this.expectations.expect(key, create.length, remove.length);
    const ref = [newControllerRef(ds, 'apps/v1', 'DaemonSet')];
    const created = await slowStartBatch(create.length, 1, async (i) => {
      try {
        await this.podClient.create(ds.metadata?.namespace, daemonPod(ds, create[i], hash, ref));
      } catch (err) {
        this.expectations.creationSkipped(key);
        this.ctx.recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(err)}`);
        throw err;
      }
    });
    for (let i = created.attempted; i < create.length; i++) this.expectations.creationSkipped(key);
    if (created.succeeded > 0) this.ctx.recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created ${created.succeeded} pod(s)`);
    await this.deletePods(key, remove);
    if (created.error !== undefined) throw created.error;
  }

  private async deletePods(key: string, pods: Pod[]): Promise<void> {
    await Promise.all(
      pods.map(async (p) => {
        try {
          await this.podClient.delete(p.metadata?.namespace, p.metadata!.name!, { preconditions: { uid: p.metadata?.uid } });
        } catch (err) {
          this.expectations.deletionSkipped(key);
          if (!isNotFound(err) && !isConflict(err)) throw err;
        }
      }),
    );
  }

  /** Deletes old-revision pods, unavailable ones first, keeping at most maxUnavailable nodes without an available pod. */
  private async rollingUpdate(key: string, ds: DaemonSet, pods: Pod[], hash: string, desired: number, now: number): Promise<void> {
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const live = pods.filter((p) => !p.metadata?.deletionTimestamp);
    const maxUnavailable = Math.max(1, scaledValue(ds.spec?.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1, desired, true));
    const unavailableNow = desired - live.filter((p) => isPodAvailable(p, minReady, now)).length + pods.filter((p) => p.metadata?.deletionTimestamp).length;
    const old = live.filter((p) => p.metadata?.labels?.[REVISION_HASH_LABEL] !== hash);
    const oldUnavailable = old.filter((p) => !isPodAvailable(p, minReady, now));
    const oldAvailable = old.filter((p) => isPodAvailable(p, minReady, now));
    const budget = Math.max(0, maxUnavailable - unavailableNow);
    const victims = [...oldUnavailable, ...oldAvailable.slice(0, budget)];
    if (victims.length === 0) return;
    this.expectations.expect(key, 0, victims.length);
    await this.deletePods(key, victims);
  }

  /** Keeps a ControllerRevision for the current template with the highest number; prunes unused ones past the limit. */
  private async syncRevisions(ds: DaemonSet): Promise<void> {
    const mine = this.revisions.lister.byIndex('namespace', ds.metadata?.namespace ?? '').filter((r) => isControlledBy(r, ds));
    const max = mine.reduce((m, r) => Math.max(m, r.revision ?? 0), 0);
    const current = mine.find((r) => sameTemplate(r, ds));
    if (!current) {
      try {
        await this.revClient.create(ds.metadata?.namespace, newRevision(ds, max + 1));
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        // Same name, different content: a hash collision. Count it so the next hash differs.
        await this.dsClient.updateStatus({ ...ds, status: { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, ...ds.status, collisionCount: (ds.status?.collisionCount ?? 0) + 1 } });
        throw err;
      }
    } else if ((current.revision ?? 0) < max) {
      await this.revClient.update({ ...current, revision: max + 1 });
    }
    const limit = ds.spec?.revisionHistoryLimit ?? 10;
    const inUse = new Set(this.pods.lister.byIndex('namespace', ds.metadata?.namespace ?? '').filter((p) => isControlledBy(p, ds)).map((p) => p.metadata?.labels?.[REVISION_HASH_LABEL]));
    const stale = mine.filter((r) => r !== current && !inUse.has(r.metadata?.labels?.[REVISION_HASH_LABEL])).sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
    for (const r of stale.slice(0, Math.max(0, stale.length - limit))) {
      await this.revClient.delete(r.metadata?.namespace, r.metadata!.name!).catch((err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)));
    }
  }

  private status(ds: DaemonSet, nodes: Node[], pods: Pod[], hash: string, now: number): DaemonSetStatus {
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const live = pods.filter((p) => !p.metadata?.deletionTimestamp);
    const onNode = new Map<string, Pod>();
    for (const p of live) {
      const n = targetNode(p);
      if (n && !onNode.has(n)) onNode.set(n, p);
    }
    let desired = 0;
    let current = 0;
    let misscheduled = 0;
    let ready = 0;
    let available = 0;
    let updated = 0;
    for (const node of nodes) {
      const name = node.metadata!.name!;
      const v = nodeVerdict(ds, node);
      const pod = onNode.get(name);
      if (v.shouldRun) {
        desired++;
        if (!pod) continue;
        current++;
        if (isPodReady(pod)) ready++;
        if (isPodAvailable(pod, minReady, now)) available++;
        if (pod.metadata?.labels?.[REVISION_HASH_LABEL] === hash) updated++;
      } else if (pod) misscheduled++;
    }
    const status: DaemonSetStatus = {
      desiredNumberScheduled: desired,
      currentNumberScheduled: current,
      numberMisscheduled: misscheduled,
      numberReady: ready,
      updatedNumberScheduled: updated,
      numberAvailable: available,
      numberUnavailable: desired - available,
      observedGeneration: ds.metadata?.generation,
    };
    if (ds.status?.collisionCount !== undefined) status.collisionCount = ds.status.collisionCount;
    return status;
  }

  private async writeStatus(ds: DaemonSet, status: DaemonSetStatus): Promise<void> {
    if (JSON.stringify(ds.status ?? {}) === JSON.stringify(status)) return;
    try {
      await this.dsClient.updateStatus({ ...ds, status });
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }
}
