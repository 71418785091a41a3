// A workload's revision history, as `rollout history` and `rollout undo` read it: for a
// Deployment its ReplicaSets (numbered by the `deployment.kubernetes.io/revision`
// annotation), for a DaemonSet its ControllerRevisions. Choosing the revision to go back to
// is pure and kept here.

import type { ControllerRevision, KubeObject, PodTemplateSpec, ReplicaSet } from '../../../api/types.js';
import { deepEqual } from '../../resources/apply-patch.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
const POD_TEMPLATE_HASH = 'pod-template-hash';

export interface Revision {
  revision: number;
  /** The pod template this revision ran (without the controller's hash label). */
  template: PodTemplateSpec;
  changeCause?: string;
  /** The object holding it (a ReplicaSet or ControllerRevision), for annotations. */
  source: KubeObject;
}

/** Owned by the object with this uid as its controller. */
export function controlledBy(obj: KubeObject, uid: string | undefined): boolean {
  return (obj.metadata?.ownerReferences ?? []).some((r) => r.controller && r.uid === uid);
}

/** The pod template without the label the controller adds, so it compares with the workload's. */
export function withoutHashLabel(template: PodTemplateSpec | undefined): PodTemplateSpec {
  const t = structuredClone(template ?? {});
  if (t.metadata?.labels && POD_TEMPLATE_HASH in t.metadata.labels) {
    const { [POD_TEMPLATE_HASH]: _hash, ...rest } = t.metadata.labels;
    t.metadata.labels = rest;
  }
  return t;
}

export function replicaSetRevisions(rss: ReplicaSet[]): Revision[] {
  return rss
    .map((rs) => ({
      revision: Number(rs.metadata?.annotations?.[REVISION_ANNOTATION] ?? 0),
      template: withoutHashLabel(rs.spec?.template),
      changeCause: rs.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION],
      source: rs as KubeObject,
    }))
    .filter((r) => Number.isInteger(r.revision) && r.revision > 0)
    .sort((a, b) => a.revision - b.revision);
}

export function controllerRevisions(revs: ControllerRevision[]): Revision[] {
  return revs
    .map((cr) => {
      const data = (cr.data ?? {}) as { spec?: { template?: PodTemplateSpec & { $patch?: string } } };
      const { $patch: _directive, ...template } = data.spec?.template ?? {};
      return { revision: cr.revision, template: withoutHashLabel(template), changeCause: cr.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION], source: cr as KubeObject };
    })
    .sort((a, b) => a.revision - b.revision);
}

export type UndoChoice = { kind: 'rollback'; to: Revision } | { kind: 'skip'; revision: number };

/**
 * The revision `undo --to-revision N` goes back to (0: the one before the current, i.e. the
 * second highest), or a skip when the workload already runs that template. Throws with
 * kubectl's wording when there is nothing to go back to.
 */
export function chooseUndo(history: Revision[], toRevision: number, current: PodTemplateSpec | undefined, what: string): UndoChoice {
  if (!history.length) throw new Error(`no rollout history found for ${what}`);
  let target: Revision | undefined;
  if (toRevision === 0) {
    if (history.length < 2) throw new Error(`no revision to roll back to for ${what}: it has only revision ${history[0].revision}`);
    target = history[history.length - 2];
  } else {
    target = history.find((r) => r.revision === toRevision);
    if (!target) throw new Error(`unable to find specified revision ${toRevision} in history of ${what}; it has revisions ${history.map((r) => r.revision).join(', ')}`);
  }
  if (deepEqual(target.template, withoutHashLabel(current))) return { kind: 'skip', revision: target.revision };
  return { kind: 'rollback', to: target };
}
