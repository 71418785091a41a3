// NodeResourcesBalancedAllocation: prefers nodes where cpu and memory would be used in equal
// proportion after placing the pod, so neither is stranded. score = (1 - std(fractions)) * 100.

import { MAX_NODE_SCORE, StateKey, type ScorePlugin } from '../framework.js';
import type { NodeInfo } from '../node-info.js';
import { podNonZeroRequests, type Resources } from '../resources.js';

export const NODE_RESOURCES_BALANCED_ALLOCATION = 'NodeResourcesBalancedAllocation';

const stateKey = new StateKey<Resources>('NodeResourcesBalancedAllocation');

/** The balance score of adding a pod with non-zero requests `add` to the node. */
export function balanceScore(add: Resources, nodeInfo: NodeInfo): number {
  const alloc = nodeInfo.allocatable;
  const cpu = alloc.milliCPU > 0 ? Math.min(1, (nodeInfo.nonZeroRequested.milliCPU + add.milliCPU) / alloc.milliCPU) : 1;
  const mem = alloc.memory > 0 ? Math.min(1, (nodeInfo.nonZeroRequested.memory + add.memory) / alloc.memory) : 1;
  // With two resources the standard deviation is half their difference.
  const std = Math.abs(cpu - mem) / 2;
  return Math.floor((1 - std) * MAX_NODE_SCORE);
}

export const nodeResourcesBalancedAllocation: ScorePlugin = {
  name: NODE_RESOURCES_BALANCED_ALLOCATION,
  score(state, pod, nodeInfo) {
    let add = state.read(stateKey);
    if (!add) state.write(stateKey, (add = podNonZeroRequests(pod)));
    return balanceScore(add, nodeInfo);
  },
};
