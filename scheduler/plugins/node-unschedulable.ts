// NodeUnschedulable: a cordoned node (`spec.unschedulable`) takes no new pods, unless the pod
// tolerates the `node.kubernetes.io/unschedulable:NoSchedule` taint (DaemonSet pods do).

import type { Node, Pod } from '../../api/types.js';
import { SUCCESS, unresolvable, type FilterPlugin, type Status } from '../framework.js';
import { tolerates } from './tolerations.js';

export const NODE_UNSCHEDULABLE = 'NodeUnschedulable';
export const ERR_NODE_UNSCHEDULABLE = 'node(s) were unschedulable';

const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

export function cordonBlocks(pod: Pod, node: Node): boolean {
  if (!node.spec?.unschedulable) return false;
  return !(pod.spec?.tolerations ?? []).some((t) => tolerates(t, UNSCHEDULABLE_TAINT));
}

export const nodeUnschedulable: FilterPlugin = {
  name: NODE_UNSCHEDULABLE,
  filter(_state, pod, nodeInfo): Status {
    return cordonBlocks(pod, nodeInfo.node) ? unresolvable(ERR_NODE_UNSCHEDULABLE) : SUCCESS;
  },
};
