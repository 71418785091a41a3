// TaintToleration: NoSchedule and NoExecute taints must be tolerated to land on a node (this
// also keeps pods off nodes the node controller tainted not-ready/unreachable). Score: fewer
// untolerated PreferNoSchedule taints is better.

import type { Pod, Toleration } from '../../api/types.js';
import { SUCCESS, defaultNormalize, unresolvable, type FilterPlugin, type ScorePlugin, type Status } from '../framework.js';
import type { NodeInfo } from '../node-info.js';
import { firstUntolerated, tolerates } from './tolerations.js';

export const TAINT_TOLERATION = 'TaintToleration';

export function untoleratedTaintMessage(key: string, value: string | undefined): string {
  return `node(s) had untolerated taint {${key}: ${value ?? ''}}`;
}

/** How many PreferNoSchedule taints the pod does not tolerate (only its PreferNoSchedule-or-any-effect tolerations count). */
export function intolerablePreferNoSchedule(nodeInfo: NodeInfo, tolerations: readonly Toleration[]): number {
  const relevant = tolerations.filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
  let n = 0;
  for (const taint of nodeInfo.node.spec?.taints ?? []) {
    if (taint.effect === 'PreferNoSchedule' && !relevant.some((t) => tolerates(t, taint))) n++;
  }
  return n;
}

export const taintToleration: FilterPlugin & ScorePlugin = {
  name: TAINT_TOLERATION,
  filter(_state, pod: Pod, nodeInfo): Status {
    const taint = firstUntolerated(nodeInfo.node.spec?.taints ?? [], pod.spec?.tolerations ?? [], ['NoSchedule', 'NoExecute']);
    return taint ? unresolvable(untoleratedTaintMessage(taint.key, taint.value)) : SUCCESS;
  },
  score(_state, pod, nodeInfo) {
    return intolerablePreferNoSchedule(nodeInfo, pod.spec?.tolerations ?? []);
  },
  normalize(_state, _pod, scores) {
    defaultNormalize(scores, true);
  },
};
