// A Deployment's status from its ReplicaSets, and the Progressing / Available conditions that
// `kubectl rollout status` reads: complete when every replica is updated and available,
// progressing while counts move, timed out when they have not moved for progressDeadlineSeconds.

import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from '../types.js';
import { findCondition, setCondition, removeCondition } from '../conditions.js';
import { maxUnavailable, replicasOf, rsReplicas } from './rollout-math.js';

export const NEW_RS_AVAILABLE = 'NewReplicaSetAvailable';
export const TIMED_OUT = 'ProgressDeadlineExceeded';

export function calculateStatus(allRss: ReplicaSet[], newRs: ReplicaSet | undefined, d: Deployment, now: string): DeploymentStatus {
  const sum = (f: (rs: ReplicaSet) => number): number => allRss.reduce((n, rs) => n + f(rs), 0);
  const available = sum((rs) => rs.status?.availableReplicas ?? 0);
  const total = sum(rsReplicas);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata?.generation,
    replicas: sum((rs) => rs.status?.replicas ?? 0),
    updatedReplicas: newRs?.status?.replicas ?? 0,
    readyReplicas: sum((rs) => rs.status?.readyReplicas ?? 0),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  const minAvailable = available >= replicasOf(d) - maxUnavailable(d);
  const cond: DeploymentCondition = minAvailable
    ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
    : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' };
  status.conditions = setCondition(d.status?.conditions ?? [], cond, now, { withUpdateTime: true });
  return status;
}

export function hasProgressDeadline(d: Deployment): boolean {
  const s = d.spec?.progressDeadlineSeconds;
  // 2147483647 is upstream's "no deadline".
  return s !== undefined && s !== 2147483647;
}

const progressDeadlineSeconds = (d: Deployment): number => d.spec?.progressDeadlineSeconds ?? 600;

export function isComplete(d: Deployment, s: DeploymentStatus): boolean {
  const r = replicasOf(d);
  return s.updatedReplicas === r && s.replicas === r && s.availableReplicas === r && (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
}

/** Some count moved towards the goal since the last status we wrote. */
export function isProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld || (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

export function isTimedOut(d: Deployment, s: DeploymentStatus, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = findCondition(s.conditions, 'Progressing');
  if (!c || c.reason === NEW_RS_AVAILABLE) return false;
  if (c.reason === TIMED_OUT) return true;
  const from = Date.parse(c.lastUpdateTime ?? c.lastTransitionTime ?? '');
  return !Number.isNaN(from) && from + progressDeadlineSeconds(d) * 1000 < nowMs;
}

/**
 * Status plus the Progressing condition after a rollout step (upstream's syncRolloutStatus).
 * Returns the status and, when a deadline is being watched, when to look again.
 */
export function rolloutStatus(allRss: ReplicaSet[], newRs: ReplicaSet | undefined, d: Deployment, nowMs: number): { status: DeploymentStatus; recheckAfterMs?: number } {
  const now = new Date(nowMs).toISOString();
  const status = calculateStatus(allRss, newRs, d, now);
  if (!hasProgressDeadline(d)) {
    status.conditions = removeCondition(status.conditions, 'Progressing');
    return { status };
  }
  const current = findCondition(status.conditions, 'Progressing');
  const alreadyComplete = status.replicas === status.updatedReplicas && current?.reason === NEW_RS_AVAILABLE;
  if (!alreadyComplete) {
    const what = newRs ? `ReplicaSet "${newRs.metadata?.name}"` : `Deployment "${d.metadata?.name}"`;
    if (isComplete(d, status)) {
      status.conditions = setCondition(status.conditions, { type: 'Progressing', status: 'True', reason: NEW_RS_AVAILABLE, message: `${what} has successfully progressed.` }, now, { withUpdateTime: true });
    } else if (isProgressing(d, status)) {
      // Progress refreshes lastUpdateTime (the deadline counts from it) even with the same reason.
      const cond: DeploymentCondition = {
        type: 'Progressing',
        status: 'True',
        reason: 'ReplicaSetUpdated',
        message: `${what} is progressing.`,
        lastUpdateTime: now,
        lastTransitionTime: current?.status === 'True' ? current.lastTransitionTime : now,
      };
      status.conditions = [...removeCondition(status.conditions, 'Progressing'), cond];
    } else if (isTimedOut(d, status, nowMs)) {
      status.conditions = setCondition(status.conditions, { type: 'Progressing', status: 'False', reason: TIMED_OUT, message: `${what} has timed out progressing.` }, now, { withUpdateTime: true });
    }
  }
  // Copy a ReplicaSet's create/delete failure up, so it shows on the deployment.
  const failure = allRss.map((rs) => findCondition(rs.status?.conditions, 'ReplicaFailure')).find((c) => c?.status === 'True');
  if (failure) status.conditions = setCondition(status.conditions, { type: 'ReplicaFailure', status: 'True', reason: failure.reason, message: failure.message }, now, { withUpdateTime: true });
  else status.conditions = removeCondition(status.conditions, 'ReplicaFailure');

  const progressing = findCondition(status.conditions, 'Progressing');
  let recheckAfterMs: number | undefined;
  if (progressing && progressing.reason !== NEW_RS_AVAILABLE && progressing.reason !== TIMED_OUT && !isComplete(d, status)) {
    const from = Date.parse(progressing.lastUpdateTime ?? now);
    recheckAfterMs = Math.max(0, from + progressDeadlineSeconds(d) * 1000 - nowMs) + 1000;
  }
  return { status, recheckAfterMs };
}
