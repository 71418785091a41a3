// The ReplicaSet controller: keeps `spec.replicas` active pods matching the selector, owned
// through a controller ownerReference. Creates and deletes are guarded by expectations so a
// watch that lags behind our own writes never makes us create or delete twice.

import type { Pod, ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from './types.js';
import type { Informer, ResourceClient } from '../client/interfaces.js';
import { isNotFound, isConflict } from '../client/errors.js';
import { Controller, keyOf, splitKey, errorMessage, type ControllerContext, type ReconcileResult } from './controller.js';
import { UidTrackingExpectations } from './expectations.js';
import { claimObjects, controllerRefOf, newControllerRef } from './ownership.js';
import { isPodActive, isPodAvailable, isPodReady, msUntilAvailable, podsToDelete } from './pods.js';
import { selectorMatches } from './selector.js';
import { slowStartBatch } from './slowstart.js';

/** At most this many creates or deletes per reconcile (upstream's burstReplicas). */
export const BURST_REPLICAS = 500;

export class ReplicaSetController extends Controller {
  private readonly replicaSets: Informer<ReplicaSet>;
  private readonly pods: Informer<Pod>;
  private readonly rsClient: ResourceClient<ReplicaSet>;
  private readonly podClient: ResourceClient<Pod>;
  readonly expectations: UidTrackingExpectations;

  constructor(ctx: ControllerContext) {
    super('replicaset', ctx);
    this.expectations = new UidTrackingExpectations(ctx.now);
    this.rsClient = ctx.client.for<ReplicaSet>('replicasets');
    this.podClient = ctx.client.for<Pod>('pods');
    this.replicaSets = this.uses(ctx.informers.informerFor<ReplicaSet>('replicasets'));
    this.pods = this.uses(ctx.informers.informerFor<Pod>('pods'));

    this.replicaSets.addEventHandler({
      onAdd: (rs) => this.enqueue(rs),
      onUpdate: (_old, rs) => this.enqueue(rs),
      onDelete: (rs) => {
        this.expectations.forget(keyOf(rs));
        this.enqueue(rs);
      },
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.podAdded(pod),
      onUpdate: (old, pod) => this.podUpdated(old, pod),
      onDelete: (pod) => this.podDeleted(pod),
    });
  }

  /** The ReplicaSet a controllerRef points at, if it is one we know (same uid). */
  private ownerOf(pod: Pod): ReplicaSet | undefined {
    const ref = controllerRefOf(pod);
    if (ref?.kind !== 'ReplicaSet') return undefined;
    const rs = this.replicaSets.lister.get(`${pod.metadata?.namespace}/${ref.name}`);
    return rs?.metadata?.uid === ref.uid ? rs : undefined;
  }

  /** An orphan may be adopted by any ReplicaSet whose selector matches it: wake them all. */
  private matchingReplicaSets(pod: Pod): ReplicaSet[] {
    return this.replicaSets.lister
      .byIndex('namespace', pod.metadata?.namespace ?? '')
      .filter((rs) => selectorMatches(rs.spec?.selector, pod.metadata?.labels));
  }

  private podAdded(pod: Pod): void {
    if (pod.metadata?.deletionTimestamp) return this.podDeleted(pod);
    const rs = this.ownerOf(pod);
    if (rs) {
      this.expectations.creationObserved(keyOf(rs));
      return this.enqueue(rs);
    }
    if (!controllerRefOf(pod)) for (const m of this.matchingReplicaSets(pod)) this.enqueue(m);
  }

  private podUpdated(old: Pod, pod: Pod): void {
    if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return; // periodic resync: nothing new
    if (pod.metadata?.deletionTimestamp && !old.metadata?.deletionTimestamp) {
      // A graceful delete shows up as an update long before the pod is gone; count it now.
      const rs = this.ownerOf(pod);
      if (rs) this.expectations.podDeletionObserved(keyOf(rs), keyOf(pod));
    }
    const oldRs = this.ownerOf(old);
    const rs = this.ownerOf(pod);
    if (oldRs && oldRs !== rs) this.enqueue(oldRs);
    if (rs) {
      this.enqueue(rs);
      // A pod that just became ready becomes available minReadySeconds later: look again then.
      const minReady = rs.spec?.minReadySeconds ?? 0;
      if (minReady > 0 && !isPodReady(old) && isPodReady(pod)) this.queue.addAfter(keyOf(rs), minReady * 1000 + 50);
      return;
    }
    if (!controllerRefOf(pod)) for (const m of this.matchingReplicaSets(pod)) this.enqueue(m);
  }

  private podDeleted(pod: Pod): void {
    const rs = this.ownerOf(pod);
    if (!rs) return;
    this.expectations.podDeletionObserved(keyOf(rs), keyOf(pod));
    this.enqueue(rs);
  }

  async reconcile(key: string): Promise<ReconcileResult> {
    const rs = this.replicaSets.lister.get(key);
    if (!rs) {
      this.expectations.forget(key);
      return;
    }
    const { namespace } = splitKey(key);
    const needsSync = this.expectations.satisfied(key) && !rs.metadata?.deletionTimestamp;
    const candidates = this.pods.lister.byIndex('namespace', namespace ?? '').filter(isPodActive);
    const owned = await claimObjects(candidates, {
      owner: rs,
      ownerRef: newControllerRef(rs, 'apps/v1', 'ReplicaSet'),
      matches: (p) => selectorMatches(rs.spec?.selector, p.metadata?.labels),
      client: this.podClient,
      recheckOwner: async () => {
        const fresh = await this.rsClient.get(namespace, rs.metadata?.name ?? '');
        return fresh.metadata?.uid === rs.metadata?.uid && !fresh.metadata?.deletionTimestamp;
      },
    });

    let manageError: unknown;
    if (needsSync) manageError = await this.manageReplicas(key, owned, rs).catch((err: unknown) => err);

    const now = this.ctx.now();
    const status = calculateStatus(rs, owned, manageError, now);
    await this.writeStatus(rs, status);
    if (manageError) throw manageError;

    // Pods that are ready but not yet available become available later without any event.
    const minReady = rs.spec?.minReadySeconds ?? 0;
    const waits = owned.map((p) => msUntilAvailable(p, minReady, now)).filter((ms): ms is number => ms !== undefined);
    if (waits.length > 0) return { requeueAfterMs: Math.min(...waits) + 50 };
  }

  private async manageReplicas(key: string, owned: Pod[], rs: ReplicaSet): Promise<void> {
    const diff = owned.length - (rs.spec?.replicas ?? 1);
    if (diff < 0) {
      const toCreate = Math.min(-diff, BURST_REPLICAS);
      this.expectations.expect(key, toCreate, 0);
      const { attempted, error } = await slowStartBatch(toCreate, 1, async () => {
        try {
          const pod = await this.podClient.create(rs.metadata?.namespace, podFromTemplate(rs));
          this.ctx.recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata?.name}`);
        } catch (err) {
          this.expectations.creationSkipped(key);
          this.ctx.recorder.event(rs, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(err)}`);
          throw err;
        }
      });
      if (error !== undefined) {
        // Creates we never attempted will never be observed either.
        for (let i = attempted; i < toCreate; i++) this.expectations.creationSkipped(key);
        throw error;
      }
      return;
    }
    if (diff > 0) {
      const victims = podsToDelete(owned, Math.min(diff, BURST_REPLICAS));
      this.expectations.expectDeletions(key, victims.map((p) => keyOf(p)));
      const results = await Promise.allSettled(
        victims.map(async (pod) => {
          try {
            await this.podClient.delete(pod.metadata?.namespace, pod.metadata?.name ?? '', { preconditions: { uid: pod.metadata?.uid } });
            this.ctx.recorder.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata?.name}`);
          } catch (err) {
            this.expectations.podDeletionObserved(key, keyOf(pod));
            if (isNotFound(err)) return;
            this.ctx.recorder.event(rs, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(err)}`);
            throw err;
          }
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
  }

  /** Status goes last and only when it changed; a conflict re-reads the object once. */
  private async writeStatus(rs: ReplicaSet, status: ReplicaSetStatus): Promise<void> {
    if (JSON.stringify(rs.status ?? {}) === JSON.stringify(status)) return;
    try {
      await this.rsClient.updateStatus({ ...rs, status });
    } catch (err) {
      if (isNotFound(err)) return;
      if (!isConflict(err)) throw err;
      const fresh = await this.rsClient.get(rs.metadata?.namespace, rs.metadata?.name ?? '');
      if (fresh.metadata?.uid !== rs.metadata?.uid) return;
      await this.rsClient.updateStatus({ ...fresh, status });
    }
  }
}

/** A new pod for `rs`: its template, owned by it; the API server names it `<rs>-<5 random>`. */
export function podFromTemplate(rs: ReplicaSet): Pod {
  const template = rs.spec?.template ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${rs.metadata?.name}-`,
      namespace: rs.metadata?.namespace,
      labels: { ...(template.metadata?.labels ?? {}) },
      ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ...(template.metadata?.finalizers ? { finalizers: [...template.metadata.finalizers] } : {}),
      ownerReferences: [newControllerRef(rs, 'apps/v1', 'ReplicaSet')],
    },
    spec: structuredClone(template.spec ?? { containers: [] }),
  };
}

/** The status a ReplicaSet should report for the pods it owns (and the error of the last create/delete, if any). */
export function calculateStatus(rs: ReplicaSet, owned: Pod[], manageError: unknown, now: number): ReplicaSetStatus {
  const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
  const minReady = rs.spec?.minReadySeconds ?? 0;
  const fullyLabeled = owned.filter((p) => Object.entries(templateLabels).every(([k, v]) => p.metadata?.labels?.[k] === v));
  const status: ReplicaSetStatus = {
    replicas: owned.length,
    fullyLabeledReplicas: fullyLabeled.length,
    readyReplicas: owned.filter(isPodReady).length,
    availableReplicas: owned.filter((p) => isPodAvailable(p, minReady, now)).length,
    observedGeneration: rs.metadata?.generation ?? rs.status?.observedGeneration,
  };
  let conditions = (rs.status?.conditions ?? []).filter((c) => c.type !== 'ReplicaFailure');
  const existing = rs.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
  if (manageError !== undefined) {
    const diff = owned.length - (rs.spec?.replicas ?? 1);
    const reason = diff < 0 ? 'FailedCreate' : 'FailedDelete';
    const failure: ReplicaSetCondition = {
      type: 'ReplicaFailure',
      status: 'True',
      reason,
      message: errorMessage(manageError),
      lastTransitionTime: existing?.status === 'True' ? existing.lastTransitionTime : new Date(now).toISOString(),
    };
    conditions = [...conditions, failure];
  } else if (existing && existing.status === 'True' && (rs.spec?.replicas ?? 1) !== owned.length) {
    conditions = [...conditions, existing]; // keep reporting the failure until the count is right
  }
  if (conditions.length > 0) status.conditions = conditions;
  return status;
}
