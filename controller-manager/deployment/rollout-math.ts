// The arithmetic of a rolling update, as upstream does it: maxSurge rounds percentages up,
// maxUnavailable rounds them down, and both zero means one may be unavailable so a rollout
// can always move. Pure functions over counts, so the table tests read like the docs.

import type { Deployment, ReplicaSet } from '../types.js';

export type IntOrPercent = number | string | undefined;

/** `25%` of 10 is 2.5: rounded up for surge, down for unavailability. */
export function scaledValue(value: IntOrPercent, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value.trim());
  if (!m) {
    const n = Number(value);
    if (Number.isInteger(n)) return n;
    throw new Error(`invalid value for IntOrString: ${JSON.stringify(value)}`);
  }
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export function resolveFenceposts(maxSurge: IntOrPercent, maxUnavailable: IntOrPercent, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge ?? '25%', desired, true);
  let unavailable = scaledValue(maxUnavailable ?? '25%', desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export const replicasOf = (d: Deployment): number => d.spec?.replicas ?? 1;
export const rsReplicas = (rs: ReplicaSet | undefined): number => rs?.spec?.replicas ?? 0;
const isRollingUpdate = (d: Deployment): boolean => (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec?.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicasOf(d)).surge;
}

export function maxUnavailable(d: Deployment): number {
  if (!isRollingUpdate(d) || replicasOf(d) === 0) return 0;
  const ru = d.spec?.strategy?.rollingUpdate;
  return Math.min(resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicasOf(d)).unavailable, replicasOf(d));
}

/** How many replicas the new ReplicaSet should have now, given every ReplicaSet's size. */
export function newRsReplicas(d: Deployment, allRss: ReplicaSet[], newRs: ReplicaSet): number {
  if (!isRollingUpdate(d)) return replicasOf(d);
  const current = allRss.reduce((n, rs) => n + rsReplicas(rs), 0);
  const maxTotal = replicasOf(d) + maxSurge(d);
  if (current >= maxTotal) return rsReplicas(newRs);
  const up = Math.min(maxTotal - current, replicasOf(d) - rsReplicas(newRs));
  return rsReplicas(newRs) + up;
}

/**
 * How many of the deployment's pods may be removed from old ReplicaSets now without going
 * under `replicas - maxUnavailable` available, counting the new ReplicaSet's not-yet-available
 * pods as unavailable.
 */
export function maxScaledDown(d: Deployment, allRss: ReplicaSet[], newRs: ReplicaSet | undefined): number {
  const allPods = allRss.reduce((n, rs) => n + rsReplicas(rs), 0);
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const newUnavailable = rsReplicas(newRs) - (newRs?.status?.availableReplicas ?? 0);
  return allPods - minAvailable - newUnavailable;
}

/**
 * A ReplicaSet's share of a scale change (proportional scaling while a rollout is in
 * flight): its size times the new total over the total it was sized for (`max-replicas`).
 */
export function proportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number, annotatedMax: number | undefined, statusReplicas: number): number {
  if (rsReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d, annotatedMax, statusReplicas);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function replicaSetFraction(rs: ReplicaSet, d: Deployment, annotatedMax: number | undefined, statusReplicas: number): number {
  if (replicasOf(d) === 0) return -rsReplicas(rs);
  const deploymentReplicas = replicasOf(d) + maxSurge(d);
  const sizedFor = annotatedMax ?? statusReplicas;
  if (!sizedFor) return 0;
  // Go rounds halves away from zero; Math.round rounds -0.5 up, so do it by hand.
  const exact = (rsReplicas(rs) * deploymentReplicas) / sizedFor;
  const rounded = Math.sign(exact) * Math.round(Math.abs(exact));
  return rounded - rsReplicas(rs);
}
