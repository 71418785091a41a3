// The disruption controller: keeps each PodDisruptionBudget's status current so the eviction
// API can decide. expectedPods is the number of pods the selected pods' controllers want
// (a Deployment's replicas through its ReplicaSet, a ReplicaSet's own) when the budget is a
// percentage or maxUnavailable, else the pods found; desiredHealthy follows minAvailable or
// maxUnavailable (percentages rounded up); disruptionsAllowed = currentHealthy - desiredHealthy.

import type { Deployment, Pod, PodDisruptionBudget, PodDisruptionBudgetStatus, ReplicaSet } from './types.js';
import type { Informer, ResourceClient } from '../client/interfaces.js';
import { isNotFound } from '../client/errors.js';
import { Controller, type ControllerContext, type ReconcileResult } from './controller.js';
import { controllerRefOf } from './ownership.js';
import { isPodReady } from './pods.js';
import { selectorMatches } from './selector.js';
import { scaledValue } from './deployment/rollout-math.js';
import { setCondition } from './conditions.js';

export interface BudgetNumbers {
  expectedPods: number;
  desiredHealthy: number;
  currentHealthy: number;
  disruptionsAllowed: number;
}

/** The budget's arithmetic; `scale` is the controllers' total replicas (undefined when unknown). */
export function budgetNumbers(pdb: PodDisruptionBudget, podCount: number, healthy: number, scale: number | undefined): BudgetNumbers {
  const { minAvailable, maxUnavailable } = pdb.spec ?? {};
  let expectedPods = podCount;
  let desiredHealthy = 0;
  if (maxUnavailable !== undefined) {
    if (scale === undefined) throw new Error('the controllers of the selected pods have no known scale');
    expectedPods = scale;
    desiredHealthy = Math.max(0, expectedPods - scaledValue(maxUnavailable, expectedPods, true));
  } else if (minAvailable !== undefined) {
    if (typeof minAvailable === 'number' || /^\d+$/.test(minAvailable)) {
      desiredHealthy = Number(minAvailable);
    } else {
      if (scale === undefined) throw new Error('the controllers of the selected pods have no known scale');
      expectedPods = scale;
      desiredHealthy = scaledValue(minAvailable, expectedPods, true);
    }
  }
  const allowed = expectedPods <= 0 ? 0 : Math.max(0, healthy - desiredHealthy);
  return { expectedPods, desiredHealthy, currentHealthy: healthy, disruptionsAllowed: allowed };
}

export class DisruptionController extends Controller {
  private readonly budgets: Informer<PodDisruptionBudget>;
  private readonly pods: Informer<Pod>;
  private readonly replicaSets: Informer<ReplicaSet>;
  private readonly deployments: Informer<Deployment>;
  private readonly client: ResourceClient<PodDisruptionBudget>;

  constructor(ctx: ControllerContext) {
    super('disruption', ctx);
    this.client = ctx.client.for<PodDisruptionBudget>('poddisruptionbudgets');
    this.budgets = this.uses(ctx.informers.informerFor<PodDisruptionBudget>('poddisruptionbudgets'));
    this.pods = this.uses(ctx.informers.informerFor<Pod>('pods'));
    this.replicaSets = this.uses(ctx.informers.informerFor<ReplicaSet>('replicasets'));
    this.deployments = this.uses(ctx.informers.informerFor<Deployment>('deployments'));
    this.budgets.addEventHandler({ onAdd: (b) => this.enqueue(b), onUpdate: (_o, b) => this.enqueue(b) });
    const podChanged = (p: Pod): void => {
      for (const b of this.budgets.lister.byIndex('namespace', p.metadata?.namespace ?? '')) if (selectorMatches(b.spec?.selector, p.metadata?.labels)) this.enqueue(b);
    };
    this.pods.addEventHandler({ onAdd: podChanged, onUpdate: (o, p) => o.metadata?.resourceVersion !== p.metadata?.resourceVersion && podChanged(p), onDelete: podChanged });
    // A scale change moves expectedPods: look at every budget of the namespace.
    const scaleChanged = (obj: ReplicaSet | Deployment): void => this.budgets.lister.byIndex('namespace', obj.metadata?.namespace ?? '').forEach((b) => this.enqueue(b));
    this.replicaSets.addEventHandler({ onUpdate: (_o, rs) => scaleChanged(rs) });
    this.deployments.addEventHandler({ onUpdate: (_o, d) => scaleChanged(d) });
  }

  /** Total replicas the pods' controllers want, counting each controller once; undefined if one is unknown. */
  private scaleOf(pods: Pod[]): number | undefined {
    const seen = new Map<string, number>();
    for (const p of pods) {
      const ref = controllerRefOf(p);
      if (!ref) return undefined;
      if (ref.kind !== 'ReplicaSet') return undefined;
      const rs = this.replicaSets.lister.get(`${p.metadata?.namespace}/${ref.name}`);
      if (rs?.metadata?.uid !== ref.uid) return undefined;
      const dRef = controllerRefOf(rs);
      if (dRef?.kind === 'Deployment') {
        const d = this.deployments.lister.get(`${rs.metadata?.namespace}/${dRef.name}`);
        if (d?.metadata?.uid !== dRef.uid) return undefined;
        seen.set(dRef.uid, d.spec?.replicas ?? 1);
      } else seen.set(ref.uid, rs.spec?.replicas ?? 1);
    }
    return [...seen.values()].reduce((a, b) => a + b, 0);
  }

  async reconcile(key: string): Promise<ReconcileResult> {
    const pdb = this.budgets.lister.get(key);
    if (!pdb || pdb.metadata?.deletionTimestamp) return;
    const pods = this.pods.lister.byIndex('namespace', pdb.metadata?.namespace ?? '').filter((p) => !p.metadata?.deletionTimestamp && selectorMatches(pdb.spec?.selector, p.metadata?.labels));
    const healthy = pods.filter(isPodReady).length;
    const now = new Date(this.ctx.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    let numbers: BudgetNumbers;
    let failure: string | undefined;
    try {
      numbers = budgetNumbers(pdb, pods.length, healthy, this.scaleOf(pods));
    } catch (err) {
      failure = err instanceof Error ? err.message : String(err);
      numbers = { expectedPods: pods.length, desiredHealthy: 0, currentHealthy: healthy, disruptionsAllowed: 0 };
    }
    const cond = failure
      ? { type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed', message: failure, observedGeneration: pdb.metadata?.generation }
      : numbers.disruptionsAllowed > 0
        ? { type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', observedGeneration: pdb.metadata?.generation }
        : { type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods', message: '', observedGeneration: pdb.metadata?.generation };
    const status: PodDisruptionBudgetStatus = {
      ...pdb.status,
      ...numbers,
      observedGeneration: pdb.metadata?.generation,
      disruptedPods: pdb.status?.disruptedPods ?? {},
      conditions: setCondition(pdb.status?.conditions ?? [], { ...cond, lastTransitionTime: now }, now),
    };
    if (JSON.stringify(pdb.status ?? {}) === JSON.stringify(status)) return;
    try {
      await this.client.updateStatus({ ...pdb, status });
    } catch (err) {
      // A conflict means a newer budget is on its way through the informer; retry then.
      if (!isNotFound(err)) throw err;
    }
  }
}
