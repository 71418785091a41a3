// The Deployment controller: one ReplicaSet per pod template, named `<deployment>-<hash>`;
// a rollout moves replicas from the old ReplicaSets to the new one, RollingUpdate within
// maxSurge/maxUnavailable or Recreate (all old pods gone first). Reconcile follows upstream's
// syncDeployment: claim ReplicaSets, then scale / pause / roll out, then write status.

import type { Deployment, DeploymentStatus, Pod, PodTemplateSpec, ReplicaSet } from '../types.js';
import type { Informer, ResourceClient } from '../../client/interfaces.js';
import { isAlreadyExists, isConflict, isNotFound } from '../../client/errors.js';
import { Controller, keyOf, splitKey, type ControllerContext, type ReconcileResult } from '../controller.js';
import { claimObjects, controllerRefOf, isControlledBy, newControllerRef } from '../ownership.js';
import { selectorIsEmpty, selectorMatches } from '../selector.js';
import { findCondition, setCondition } from '../conditions.js';
import { canonicalJson, computeTemplateHash, semanticJson } from './hash.js';
import {
  POD_TEMPLATE_HASH, REVISION, desiredReplicasAnnotation, maxReplicasAnnotation, maxRevision, replicasAnnotationsNeedUpdate, revisionOf,
  setNewReplicaSetAnnotations, setReplicasAnnotations,
} from './annotations.js';
import { maxScaledDown, maxSurge, maxUnavailable, newRsReplicas, proportion, replicasOf, rsReplicas } from './rollout-math.js';
import { calculateStatus, hasProgressDeadline, isComplete, rolloutStatus } from './status.js';

const byCreation = (a: ReplicaSet, b: ReplicaSet): number =>
  (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? '') || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');

/** Templates equal apart from the pod-template-hash label the controller adds (semantically, as upstream compares). */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  const strip = (t: PodTemplateSpec | undefined): unknown => {
    const labels = { ...(t?.metadata?.labels ?? {}) };
    delete labels[POD_TEMPLATE_HASH];
    return { ...t, metadata: { ...t?.metadata, labels } };
  };
  return semanticJson(strip(a)) === semanticJson(strip(b));
}

export class DeploymentController extends Controller {
  private readonly deployments: Informer<Deployment>;
  private readonly replicaSets: Informer<ReplicaSet>;
  private readonly pods: Informer<Pod>;
  private readonly dClient: ResourceClient<Deployment>;
  private readonly rsClient: ResourceClient<ReplicaSet>;

  constructor(ctx: ControllerContext) {
    super('deployment', ctx);
    this.dClient = ctx.client.for<Deployment>('deployments');
    this.rsClient = ctx.client.for<ReplicaSet>('replicasets');
    this.deployments = this.uses(ctx.informers.informerFor<Deployment>('deployments'));
    this.replicaSets = this.uses(ctx.informers.informerFor<ReplicaSet>('replicasets'));
    this.pods = this.uses(ctx.informers.informerFor<Pod>('pods'));

    this.deployments.addEventHandler({
      onAdd: (d) => this.enqueue(d),
      onUpdate: (_old, d) => this.enqueue(d),
      onDelete: (d) => this.enqueue(d),
    });
    this.replicaSets.addEventHandler({
      onAdd: (rs) => this.replicaSetChanged(rs),
      onUpdate: (old, rs) => {
        if (old.metadata?.resourceVersion === rs.metadata?.resourceVersion) return;
        const oldOwner = this.ownerOf(old);
        if (oldOwner && controllerRefOf(rs)?.uid !== oldOwner.metadata?.uid) this.enqueue(oldOwner);
        this.replicaSetChanged(rs);
      },
      onDelete: (rs) => {
        const d = this.ownerOf(rs);
        if (d) this.enqueue(d);
      },
    });
    // Recreate waits for every old pod to be gone; only a pod deletion tells it so.
    this.pods.addEventHandler({
      onDelete: (pod) => {
        const rsRef = controllerRefOf(pod);
        if (rsRef?.kind !== 'ReplicaSet') return;
        const rs = this.replicaSets.lister.get(`${pod.metadata?.namespace}/${rsRef.name}`);
        const d = rs && this.ownerOf(rs);
        if (d && d.spec?.strategy?.type === 'Recreate') this.enqueue(d);
      },
    });
  }

  private ownerOf(rs: ReplicaSet): Deployment | undefined {
    const ref = controllerRefOf(rs);
    if (ref?.kind !== 'Deployment') return undefined;
    const d = this.deployments.lister.get(`${rs.metadata?.namespace}/${ref.name}`);
    return d?.metadata?.uid === ref.uid ? d : undefined;
  }

  private replicaSetChanged(rs: ReplicaSet): void {
    const d = this.ownerOf(rs);
    if (d) return this.enqueue(d);
    if (controllerRefOf(rs)) return;
    for (const cand of this.deployments.lister.byIndex('namespace', rs.metadata?.namespace ?? '')) {
      if (selectorMatches(cand.spec?.selector, rs.metadata?.labels)) this.enqueue(cand);
    }
  }

  async reconcile(key: string): Promise<ReconcileResult> {
    const cached = this.deployments.lister.get(key);
    if (!cached) return;
    const d: Deployment = structuredClone(cached);
    const now = this.ctx.now();
    if (selectorIsEmpty(d.spec?.selector)) {
      this.ctx.recorder.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) await this.writeStatus(d, { ...d.status, observedGeneration: d.metadata?.generation });
      return;
    }
    const rsList = await this.claimReplicaSets(d);
    if (d.metadata?.deletionTimestamp) return this.syncStatusOnly(d, rsList);

    await this.checkPausedConditions(d, now);
    if (d.spec?.paused) return this.syncScale(d, rsList);
    if (this.isScalingEvent(d, rsList)) return this.syncScale(d, rsList);
    return d.spec?.strategy?.type === 'Recreate' ? this.rolloutRecreate(d, rsList) : this.rolloutRolling(d, rsList);
  }

  private claimReplicaSets(d: Deployment): Promise<ReplicaSet[]> {
    const { namespace, name } = splitKey(keyOf(d));
    return claimObjects(this.replicaSets.lister.byIndex('namespace', namespace ?? ''), {
      owner: d,
      ownerRef: newControllerRef(d, 'apps/v1', 'Deployment'),
      matches: (rs) => selectorMatches(d.spec?.selector, rs.metadata?.labels),
      client: this.rsClient,
      recheckOwner: async () => {
        const fresh = await this.dClient.get(namespace, name);
        return fresh.metadata?.uid === d.metadata?.uid && !fresh.metadata?.deletionTimestamp;
      },
    });
  }

  /** A replica count change (not a template change): some active RS was sized for another count. */
  private isScalingEvent(d: Deployment, rsList: ReplicaSet[]): boolean {
    const { newRs, oldRss } = this.splitReplicaSets(d, rsList);
    return [...(newRs ? [newRs] : []), ...oldRss].some((rs) => rsReplicas(rs) > 0 && desiredReplicasAnnotation(rs) !== undefined && desiredReplicasAnnotation(rs) !== replicasOf(d));
  }

  /** The new ReplicaSet is the oldest one whose template equals the deployment's; all others are old. */
  private splitReplicaSets(d: Deployment, rsList: ReplicaSet[]): { newRs?: ReplicaSet; oldRss: ReplicaSet[] } {
    const sorted = [...rsList].sort(byCreation);
    const newRs = sorted.find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
    return { newRs, oldRss: sorted.filter((rs) => rs !== newRs) };
  }

  /**
   * Finds the new ReplicaSet, bringing its revision annotations up to date, or creates it when
   * `create` is set. Keeps the deployment's own revision annotation in step.
   */
  private async newReplicaSet(d: Deployment, rsList: ReplicaSet[], create: boolean): Promise<{ newRs?: ReplicaSet; oldRss: ReplicaSet[] }> {
    const { newRs: existing, oldRss } = this.splitReplicaSets(d, rsList);
    const newRevision = maxRevision(oldRss) + 1;
    const now = new Date(this.ctx.now()).toISOString();
    if (existing) {
      let rs = structuredClone(existing);
      const annotationsChanged = setNewReplicaSetAnnotations(d, rs, newRevision, true);
      const minReadyChanged = (rs.spec?.minReadySeconds ?? 0) !== (d.spec?.minReadySeconds ?? 0);
      if (annotationsChanged || minReadyChanged) {
        rs = await this.rsClient.update({ ...rs, spec: { ...rs.spec!, minReadySeconds: d.spec?.minReadySeconds } });
      }
      await this.setDeploymentRevision(d, revisionOf(rs));
      if (hasProgressDeadline(d) && !findCondition(d.status?.conditions, 'Progressing')) {
        const conditions = setCondition(d.status?.conditions, { type: 'Progressing', status: 'True', reason: 'FoundNewReplicaSet', message: `Found new replica set "${rs.metadata?.name}"` }, now, { withUpdateTime: true });
        await this.writeStatus(d, { ...d.status, conditions });
      }
      return { newRs: rs, oldRss };
    }
    if (!create) return { oldRss };

    const hash = computeTemplateHash(d.spec?.template, d.status?.collisionCount);
    const template = structuredClone(d.spec!.template);
    template.metadata = { ...template.metadata, labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash } };
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata?.name}-${hash}`,
        namespace: d.metadata?.namespace,
        labels: { ...template.metadata.labels },
        ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')],
      },
      spec: {
        replicas: 0,
        minReadySeconds: d.spec?.minReadySeconds,
        selector: { ...d.spec!.selector, matchLabels: { ...(d.spec?.selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash } },
        template,
      },
    };
    rs.spec!.replicas = newRsReplicas(d, [...oldRss, rs], rs);
    setNewReplicaSetAnnotations(d, rs, newRevision, false);
    let created: ReplicaSet;
    try {
      created = await this.rsClient.create(d.metadata?.namespace, rs);
    } catch (err) {
      if (!isAlreadyExists(err)) {
        this.ctx.recorder.event(d, 'Warning', 'FailedCreate', `Failed to create new replica set "${rs.metadata?.name}": ${String(err)}`);
        if (hasProgressDeadline(d)) {
          const conditions = setCondition(d.status?.conditions, { type: 'Progressing', status: 'False', reason: 'ReplicaSetCreateError', message: `Failed to create new replica set "${rs.metadata?.name}": ${String(err)}` }, now, { withUpdateTime: true });
          await this.writeStatus(d, { ...d.status, conditions });
        }
        throw err;
      }
      // Same name: ours from a previous pass that the cache has not shown yet, or a hash collision.
      const other = await this.rsClient.get(d.metadata?.namespace, rs.metadata!.name!);
      if (isControlledBy(other, d) && equalIgnoreHash(other.spec?.template, d.spec?.template)) return { newRs: other, oldRss };
      await this.writeStatus(d, { ...d.status, collisionCount: (d.status?.collisionCount ?? 0) + 1 });
      throw err;
    }
    if (rsReplicas(created) > 0) this.ctx.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata?.name} from 0 to ${rsReplicas(created)}`);
    await this.setDeploymentRevision(d, newRevision);
    if (hasProgressDeadline(d)) {
      const conditions = setCondition(d.status?.conditions, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "${created.metadata?.name}"` }, now, { withUpdateTime: true });
      await this.writeStatus(d, { ...d.status, conditions });
    }
    return { newRs: created, oldRss };
  }

  /** The deployment carries its current revision too (kubectl describe shows it). */
  private async setDeploymentRevision(d: Deployment, revision: number): Promise<void> {
    if (revision <= 0 || d.metadata?.annotations?.[REVISION] === String(revision)) return;
    const updated = await this.dClient.patch(d.metadata?.namespace, d.metadata!.name!, 'merge', { metadata: { annotations: { [REVISION]: String(revision) } } });
    d.metadata = { ...d.metadata, annotations: updated.metadata?.annotations, resourceVersion: updated.metadata?.resourceVersion };
  }

  private async rolloutRolling(d: Deployment, rsList: ReplicaSet[]): Promise<ReconcileResult> {
    const { newRs, oldRss } = await this.newReplicaSet(d, rsList, true);
    let all = [...oldRss, newRs!];
    const newScale = this.newReplicaSetScale(d, all, newRs!);
    if (newScale !== rsReplicas(newRs)) {
      const scaled = await this.scaleReplicaSet(newRs!, newScale, d);
      return this.syncRolloutStatus([...oldRss, scaled], scaled, d);
    }
    const { scaledDown, oldRss: oldAfter } = await this.reconcileOldReplicaSets(all, oldRss, newRs!, d);
    all = [...oldAfter, newRs!];
    if (scaledDown) return this.syncRolloutStatus(all, newRs, d);
    if (isComplete(d, calculateStatus(all, newRs, d, new Date(this.ctx.now()).toISOString()))) await this.cleanupOldReplicaSets(oldAfter, d);
    return this.syncRolloutStatus(all, newRs, d);
  }

  private newReplicaSetScale(d: Deployment, all: ReplicaSet[], newRs: ReplicaSet): number {
    if (rsReplicas(newRs) > replicasOf(d)) return replicasOf(d);
    return newRsReplicas(d, all, newRs);
  }

  /** Scales old ReplicaSets down: first their unhealthy pods, then as far as availability allows. */
  private async reconcileOldReplicaSets(all: ReplicaSet[], oldRss: ReplicaSet[], newRs: ReplicaSet, d: Deployment): Promise<{ scaledDown: boolean; oldRss: ReplicaSet[] }> {
    if (oldRss.reduce((n, rs) => n + rsReplicas(rs), 0) === 0) return { scaledDown: false, oldRss };
    const budget = maxScaledDown(d, all, newRs);
    if (budget <= 0) return { scaledDown: false, oldRss };
    let total = 0;
    const olds = [...oldRss].sort(byCreation);
    // Unavailable old pods cost nothing to remove: they do not count towards availability.
    for (let i = 0; i < olds.length && total < budget; i++) {
      const rs = olds[i];
      const unhealthy = rsReplicas(rs) - (rs.status?.availableReplicas ?? 0);
      if (rsReplicas(rs) === 0 || unhealthy <= 0) continue;
      const n = Math.min(budget - total, unhealthy);
      olds[i] = await this.scaleReplicaSet(rs, rsReplicas(rs) - n, d);
      total += n;
    }
    const minAvailable = replicasOf(d) - maxUnavailable(d);
    const available = [...olds, newRs].reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
    const canRemove = available - minAvailable;
    let removed = 0;
    for (let i = 0; i < olds.length && removed < canRemove; i++) {
      const rs = olds[i];
      if (rsReplicas(rs) === 0) continue;
      const n = Math.min(rsReplicas(rs), canRemove - removed);
      olds[i] = await this.scaleReplicaSet(rs, rsReplicas(rs) - n, d);
      removed += n;
    }
    return { scaledDown: total + removed > 0, oldRss: olds };
  }

  private async rolloutRecreate(d: Deployment, rsList: ReplicaSet[]): Promise<ReconcileResult> {
    let { newRs, oldRss } = await this.newReplicaSet(d, rsList, false);
    let scaledDown = false;
    for (let i = 0; i < oldRss.length; i++) {
      if (rsReplicas(oldRss[i]) === 0) continue;
      oldRss[i] = await this.scaleReplicaSet(oldRss[i], 0, d);
      scaledDown = true;
    }
    const all = (): ReplicaSet[] => [...oldRss, ...(newRs ? [newRs] : [])];
    if (scaledDown || this.oldPodsRunning(newRs, oldRss)) return this.syncRolloutStatus(all(), newRs, d);
    if (!newRs) ({ newRs, oldRss } = await this.newReplicaSet(d, rsList, true));
    if (rsReplicas(newRs) !== replicasOf(d)) newRs = await this.scaleReplicaSet(newRs!, replicasOf(d), d);
    if (isComplete(d, calculateStatus(all(), newRs, d, new Date(this.ctx.now()).toISOString()))) await this.cleanupOldReplicaSets(oldRss, d);
    return this.syncRolloutStatus(all(), newRs, d);
  }

  /** Recreate must not start new pods while an old one may still run (Unknown counts as running). */
  private oldPodsRunning(newRs: ReplicaSet | undefined, oldRss: ReplicaSet[]): boolean {
    if (oldRss.some((rs) => (rs.status?.replicas ?? 0) > 0)) return true;
    const oldUids = new Set(oldRss.map((rs) => rs.metadata?.uid));
    const ns = oldRss[0]?.metadata?.namespace ?? newRs?.metadata?.namespace ?? '';
    return this.pods.lister.byIndex('namespace', ns).some((p) => {
      const ref = controllerRefOf(p);
      if (!ref || !oldUids.has(ref.uid)) return false;
      return p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded';
    });
  }

  /** Paused deployments and replica count changes: resize without rolling (upstream's sync). */
  private async syncScale(d: Deployment, rsList: ReplicaSet[]): Promise<ReconcileResult> {
    const found = await this.newReplicaSet(d, rsList, false);
    const { newRs, oldRss } = await this.scale(d, found.newRs, found.oldRss);
    if (d.spec?.paused) await this.cleanupOldReplicaSets(oldRss, d);
    const all = [...oldRss, ...(newRs ? [newRs] : [])];
    await this.writeStatus(d, calculateStatus(all, newRs, d, new Date(this.ctx.now()).toISOString()));
  }

  /** Sizes the ReplicaSets for `spec.replicas`; returns them as written. */
  private async scale(d: Deployment, newRs: ReplicaSet | undefined, oldRss: ReplicaSet[]): Promise<{ newRs?: ReplicaSet; oldRss: ReplicaSet[] }> {
    const written = new Map<string, ReplicaSet>();
    const resize = async (rs: ReplicaSet, replicas: number): Promise<void> => {
      written.set(keyOf(rs), await this.scaleReplicaSet(rs, replicas, d));
    };
    const active = [...(newRs ? [newRs] : []), ...oldRss].filter((rs) => rsReplicas(rs) > 0);
    if (active.length <= 1) {
      // One active (or, with none, the new or else the latest) ReplicaSet takes the whole count.
      const target = active[0] ?? newRs ?? [...oldRss].sort(byCreation).at(-1);
      if (target) await resize(target, replicasOf(d));
    } else if (newRs && rsReplicas(newRs) === replicasOf(d) && desiredReplicasAnnotation(newRs) === replicasOf(d) && (newRs.status?.availableReplicas ?? 0) === replicasOf(d)) {
      // The new ReplicaSet is fully up: the old ones go.
      for (const rs of oldRss) if (rsReplicas(rs) > 0) await resize(rs, 0);
    } else if ((d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
      // Mid-rollout resize: share the change among the active ReplicaSets by their size.
      const current = active.reduce((n, rs) => n + rsReplicas(rs), 0);
      const allowed = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
      const toAdd = allowed - current;
      // Growing favours the biggest and newest, shrinking the biggest and oldest.
      const order = [...active].sort((a, b) => rsReplicas(b) - rsReplicas(a) || (toAdd > 0 ? byCreation(b, a) : byCreation(a, b)));
      let added = 0;
      const sizes = new Map<ReplicaSet, number>();
      for (const rs of order) {
        const p = proportion(rs, d, toAdd, added, maxReplicasAnnotation(rs), d.status?.replicas ?? 0);
        sizes.set(rs, rsReplicas(rs) + p);
        added += p;
      }
      // Rounding leftovers go to the first (largest) ReplicaSet.
      if (added !== toAdd) sizes.set(order[0], Math.max(0, (sizes.get(order[0]) ?? 0) + toAdd - added));
      for (const rs of order) await resize(rs, sizes.get(rs) ?? rsReplicas(rs));
    }
    const current = (rs: ReplicaSet): ReplicaSet => written.get(keyOf(rs)) ?? rs;
    return { newRs: newRs && current(newRs), oldRss: oldRss.map(current) };
  }

  /** Resizes a ReplicaSet (and its size annotations); records an event when the size changed. */
  private async scaleReplicaSet(rs: ReplicaSet, replicas: number, d: Deployment): Promise<ReplicaSet> {
    const sizeChanged = rsReplicas(rs) !== replicas;
    if (!sizeChanged && !replicasAnnotationsNeedUpdate(rs, d)) return rs;
    const copy = structuredClone(rs);
    copy.spec = { ...copy.spec!, replicas };
    setReplicasAnnotations(copy, d);
    const updated = await this.rsClient.update(copy);
    if (sizeChanged) {
      const dir = replicas > rsReplicas(rs) ? 'up' : 'down';
      this.ctx.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${dir} replica set ${rs.metadata?.name} from ${rsReplicas(rs)} to ${replicas}`);
    }
    return updated;
  }

  /** Deletes the oldest zero-size ReplicaSets beyond revisionHistoryLimit (default 10). */
  private async cleanupOldReplicaSets(oldRss: ReplicaSet[], d: Deployment): Promise<void> {
    const limit = d.spec?.revisionHistoryLimit ?? 10;
    const alive = oldRss.filter((rs) => !rs.metadata?.deletionTimestamp);
    const excess = alive.length - limit;
    if (excess <= 0) return;
    const oldestFirst = [...alive].sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
    for (const rs of oldestFirst.slice(0, excess)) {
      const busy = (rs.status?.replicas ?? 0) !== 0 || rsReplicas(rs) !== 0 || (rs.metadata?.generation ?? 0) > (rs.status?.observedGeneration ?? 0);
      if (busy) continue;
      try {
        await this.rsClient.delete(rs.metadata?.namespace, rs.metadata!.name!, { preconditions: { uid: rs.metadata?.uid } });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  private async syncRolloutStatus(all: ReplicaSet[], newRs: ReplicaSet | undefined, d: Deployment): Promise<ReconcileResult> {
    const { status, recheckAfterMs } = rolloutStatus(all, newRs, d, this.ctx.now());
    await this.writeStatus(d, status);
    if (recheckAfterMs !== undefined) return { requeueAfterMs: recheckAfterMs };
  }

  private async syncStatusOnly(d: Deployment, rsList: ReplicaSet[]): Promise<void> {
    const { newRs, oldRss } = this.splitReplicaSets(d, rsList);
    await this.writeStatus(d, calculateStatus([...oldRss, ...(newRs ? [newRs] : [])], newRs, d, new Date(this.ctx.now()).toISOString()));
  }

  /** Paused deployments say so in Progressing (Unknown, DeploymentPaused); resuming says DeploymentResumed. */
  private async checkPausedConditions(d: Deployment, now: number): Promise<void> {
    if (!hasProgressDeadline(d)) return;
    const cond = findCondition(d.status?.conditions, 'Progressing');
    if (cond?.reason === 'ProgressDeadlineExceeded') return;
    const ts = new Date(now).toISOString();
    let conditions = d.status?.conditions;
    if (d.spec?.paused && cond?.reason !== 'DeploymentPaused') {
      conditions = setCondition(conditions, { type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' }, ts, { withUpdateTime: true });
    } else if (!d.spec?.paused && cond?.reason === 'DeploymentPaused') {
      conditions = setCondition(conditions, { type: 'Progressing', status: 'Unknown', reason: 'DeploymentResumed', message: 'Deployment is resumed' }, ts, { withUpdateTime: true });
    } else return;
    await this.writeStatus(d, { ...d.status, conditions });
  }

  /** Writes status when it changed; keeps `d` current so later writes in the same pass do not conflict. */
  private async writeStatus(d: Deployment, status: DeploymentStatus): Promise<void> {
    if (canonicalJson(d.status ?? {}) === canonicalJson(status)) return;
    let updated: Deployment;
    try {
      updated = await this.dClient.updateStatus({ ...d, status });
    } catch (err) {
      if (isNotFound(err)) return;
      if (!isConflict(err)) throw err;
      const fresh = await this.dClient.get(d.metadata?.namespace, d.metadata!.name!);
      if (fresh.metadata?.uid !== d.metadata?.uid) return;
      updated = await this.dClient.updateStatus({ ...fresh, status });
    }
    Object.assign(d, { status: updated.status, metadata: updated.metadata });
  }
}
