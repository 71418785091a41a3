// DefaultTolerationSeconds: every pod tolerates the node not-ready and unreachable NoExecute
// taints for a bounded time (the --default-not-ready-toleration-seconds and
// --default-unreachable-toleration-seconds flags), so the taint manager evicts pods from a lost
// node after that time rather than at once. A pod that already tolerates a taint keeps its own.

import type { Pod, Toleration } from '../../api/types.js';
import type { AdmissionAttributes, AdmissionPlugin, ServerParts } from '../context.js';
import { isMainResource } from './forbidden.js';

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';

/** True when some toleration covers the NoExecute taint `key` (an empty key or effect matches all). */
function tolerates(tolerations: Toleration[], key: string): boolean {
  return tolerations.some((t) => (!t.key || t.key === key) && (!t.effect || t.effect === 'NoExecute'));
}

function admit(attrs: AdmissionAttributes, parts: ServerParts): void {
  if (!isMainResource(attrs, '', 'pods') || (attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE') || !attrs.obj) return;
  const pod = attrs.obj as Pod;
  if (!pod.spec) return;
  const tolerations = [...(pod.spec.tolerations ?? [])];
  const added: Toleration[] = [];
  if (!tolerates(tolerations, TAINT_NOT_READY)) {
    added.push({ key: TAINT_NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: parts.config.defaultNotReadyTolerationSeconds });
  }
  if (!tolerates(tolerations, TAINT_UNREACHABLE)) {
    added.push({ key: TAINT_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: parts.config.defaultUnreachableTolerationSeconds });
  }
  if (added.length > 0) pod.spec.tolerations = [...tolerations, ...added];
}

export const defaultTolerationSeconds: AdmissionPlugin = { name: 'DefaultTolerationSeconds', admit };
