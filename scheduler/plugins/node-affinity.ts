// NodeAffinity: the pod's nodeSelector and its required node affinity must both match the
// node's labels (terms ORed, expressions ANDed, matchFields on metadata.name). Score: the sum
// of the weights of the preferred terms the node matches, scaled so the best node gets 100.

import type { Node, Pod } from '../../api/types.js';
import { SUCCESS, defaultNormalize, unresolvable, type FilterPlugin, type ScorePlugin, type Status } from '../framework.js';
import { nodeSelectorMatches, nodeSelectorTermMatches } from '../../api/node-affinity.js';

export const NODE_AFFINITY = 'NodeAffinity';
export const ERR_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";

export function requiredNodeAffinityMatches(pod: Pod, node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required && !nodeSelectorMatches(required.nodeSelectorTerms, node)) return false;
  return true;
}

export function preferredNodeAffinityScore(pod: Pod, node: Node): number {
  let sum = 0;
  for (const p of pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
    if (p.weight !== 0 && nodeSelectorTermMatches(p.preference, node)) sum += p.weight;
  }
  return sum;
}

export const nodeAffinity: FilterPlugin & ScorePlugin = {
  name: NODE_AFFINITY,
  filter(_state, pod, nodeInfo): Status {
    return requiredNodeAffinityMatches(pod, nodeInfo.node) ? SUCCESS : unresolvable(ERR_NODE_AFFINITY);
  },
  score(_state, pod, nodeInfo) {
    return preferredNodeAffinityScore(pod, nodeInfo.node);
  },
  normalize(_state, _pod, scores) {
    defaultNormalize(scores, false);
  },
};
