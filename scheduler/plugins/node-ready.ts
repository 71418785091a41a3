// NodeReady: a node whose Ready condition is not True, or whose network is unavailable, takes
// no new pods. Kubernetes expresses the same through the not-ready/unreachable taints the node
// controller adds (TaintToleration handles those); this plugin also covers clusters and
// windows of time where the taint is not there yet.

import type { Node } from '../../api/types.js';
import { SUCCESS, unresolvable, type FilterPlugin, type Status } from '../framework.js';

export const NODE_READY = 'NodeReady';
export const ERR_NOT_READY = 'node(s) were not ready';
export const ERR_NETWORK_UNAVAILABLE = 'node(s) had network unavailable';

export function nodeReadiness(node: Node): string | undefined {
  const conditions = node.status?.conditions ?? [];
  const ready = conditions.find((c) => c.type === 'Ready');
  if (ready?.status !== 'True') return ERR_NOT_READY;
  if (conditions.some((c) => c.type === 'NetworkUnavailable' && c.status === 'True')) return ERR_NETWORK_UNAVAILABLE;
  return undefined;
}

export const nodeReady: FilterPlugin = {
  name: NODE_READY,
  filter(_state, _pod, nodeInfo): Status {
    const why = nodeReadiness(nodeInfo.node);
    return why ? unresolvable(why) : SUCCESS;
  },
};
