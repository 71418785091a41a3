// A DaemonSet's ControllerRevisions: one per template it has run, named `<ds>-<hash>`, holding
// the template as a patch (`{spec: {template: ..., $patch: replace}}`, what `kubectl rollout
// undo daemonset` applies back), numbered so the current one has the highest revision.

import type { ControllerRevision, DaemonSet } from '../types.js';
import { computeTemplateHash, semanticJson } from '../deployment/hash.js';
import { newControllerRef } from '../ownership.js';
import { REVISION_HASH_LABEL } from './placement.js';

export function templatePatch(ds: DaemonSet): Record<string, unknown> {
  return { spec: { template: { ...structuredClone(ds.spec!.template), $patch: 'replace' } } };
}

export function templateHash(ds: DaemonSet): string {
  return computeTemplateHash(ds.spec?.template, ds.status?.collisionCount);
}

export function sameTemplate(rev: ControllerRevision, ds: DaemonSet): boolean {
  return semanticJson(rev.data ?? null) === semanticJson(templatePatch(ds));
}

export function newRevision(ds: DaemonSet, revision: number): ControllerRevision {
  const hash = templateHash(ds);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: `${ds.metadata?.name}-${hash}`,
      namespace: ds.metadata?.namespace,
      labels: { ...(ds.spec?.template.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash },
      ownerReferences: [newControllerRef(ds, 'apps/v1', 'DaemonSet')],
    },
    data: templatePatch(ds),
    revision,
  };
}
