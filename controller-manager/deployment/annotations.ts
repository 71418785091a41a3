// The annotations a Deployment leaves on its ReplicaSets: which revision each template is
// (`kubectl rollout history` reads them; `rollout undo` picks an RS by them), the revisions an
// RS has been before, and the sizes it was scaled for (proportional scaling reads those).

import type { Deployment, ReplicaSet } from '../types.js';
import { maxSurge, replicasOf } from './rollout-math.js';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const POD_TEMPLATE_HASH = 'pod-template-hash';

/** Deployment annotations that are not copied to its ReplicaSets. */
const NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  'deprecated.deployment.rollback.to',
]);

export function revisionOf(obj: { metadata?: { annotations?: Record<string, string> } }): number {
  const v = Number(obj.metadata?.annotations?.[REVISION] ?? '0');
  return Number.isInteger(v) && v > 0 ? v : 0;
}

export function maxRevision(rss: ReplicaSet[]): number {
  return rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

function intAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const raw = rs.metadata?.annotations?.[key];
  const v = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(v) ? v : undefined;
}

export const maxReplicasAnnotation = (rs: ReplicaSet): number | undefined => intAnnotation(rs, MAX_REPLICAS);
export const desiredReplicasAnnotation = (rs: ReplicaSet): number | undefined => intAnnotation(rs, DESIRED_REPLICAS);

/** Sets desired-replicas and max-replicas; returns whether anything changed. */
export function setReplicasAnnotations(rs: ReplicaSet, d: Deployment): boolean {
  const desired = String(replicasOf(d));
  const max = String(replicasOf(d) + maxSurge(d));
  const a = rs.metadata!.annotations ?? {};
  if (a[DESIRED_REPLICAS] === desired && a[MAX_REPLICAS] === max) return false;
  rs.metadata!.annotations = { ...a, [DESIRED_REPLICAS]: desired, [MAX_REPLICAS]: max };
  return true;
}

export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, d: Deployment): boolean {
  return desiredReplicasAnnotation(rs) !== replicasOf(d) || maxReplicasAnnotation(rs) !== replicasOf(d) + maxSurge(d);
}

/**
 * Brings the new ReplicaSet's annotations up to date: the deployment's own annotations, the
 * new revision (remembering the one it replaces in revision-history), and for a ReplicaSet
 * being created the sizes it is made for. Mutates `rs`; returns whether anything changed.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, exists: boolean): boolean {
  const meta = rs.metadata!;
  const before = JSON.stringify(meta.annotations ?? {});
  const a: Record<string, string> = { ...(meta.annotations ?? {}) };
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) if (!NOT_COPIED.has(k)) a[k] = v;
  const oldRevision = a[REVISION];
  if (Number(oldRevision ?? '0') < newRevision) {
    a[REVISION] = String(newRevision);
    if (oldRevision) a[REVISION_HISTORY] = a[REVISION_HISTORY] ? `${a[REVISION_HISTORY]},${oldRevision}` : oldRevision;
  }
  meta.annotations = a;
  if (!exists) setReplicasAnnotations(rs, d);
  return JSON.stringify(meta.annotations) !== before;
}
