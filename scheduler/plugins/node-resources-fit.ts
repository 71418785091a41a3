// NodeResourcesFit: the pod's effective requests must fit in the node's allocatable minus what
// the pods already counted on it request; one more pod must fit under the pods limit.
// Scoring follows the configured strategy: LeastAllocated (default, prefers emptier nodes, so
// load spreads) or MostAllocated (packs nodes). Scores use non-zero requests so pods without
// requests still count.

import type { Pod } from '../../api/types.js';
import { MAX_NODE_SCORE, SUCCESS, StateKey, unschedulable, type CycleState, type FilterPlugin, type PreFilterPlugin, type ScorePlugin, type Status } from '../framework.js';
import type { NodeInfo } from '../node-info.js';
import { podNonZeroRequests, podRequests, podScalarRequests, type Resources, type ScalarResources } from '../resources.js';

export const NODE_RESOURCES_FIT = 'NodeResourcesFit';

export type ScoringStrategy = 'LeastAllocated' | 'MostAllocated';

export interface ResourceWeights {
  cpu: number;
  memory: number;
}

interface PodResources {
  requests: Resources;
  nonZero: Resources;
  scalar: ScalarResources;
}

// Computed once per pod in PreFilter: quantities are parsed once, not once per node.
const stateKey = new StateKey<PodResources>('NodeResourcesFit');

function resourcesOf(state: CycleState, pod: Pod): PodResources {
  let r = state.read(stateKey);
  if (!r) {
    r = { requests: podRequests(pod), nonZero: podNonZeroRequests(pod), scalar: podScalarRequests(pod) };
    state.write(stateKey, r);
  }
  return r;
}

/**
 * The reasons a pod with effective requests `req` (and `scalar` for other resources) does not
 * fit, in Kubernetes' words; empty when it fits. A resource the node does not list has none.
 */
export function insufficientResources(req: Resources, nodeInfo: NodeInfo, scalar: ScalarResources = new Map()): string[] {
  const reasons: string[] = [];
  const alloc = nodeInfo.allocatable;
  if (nodeInfo.pods.size + 1 > alloc.pods) reasons.push('Too many pods');
  if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - nodeInfo.requested.milliCPU) reasons.push('Insufficient cpu');
  if (req.memory > 0 && req.memory > alloc.memory - nodeInfo.requested.memory) reasons.push('Insufficient memory');
  for (const [name, amount] of scalar) {
    if (amount > (alloc.scalar.get(name) ?? 0) - (nodeInfo.requestedScalar.get(name) ?? 0)) reasons.push(`Insufficient ${name}`);
  }
  return reasons;
}

function fraction(requested: number, capacity: number, strategy: ScoringStrategy): number {
  if (capacity <= 0 || requested > capacity) return 0;
  const free = strategy === 'LeastAllocated' ? capacity - requested : requested;
  return Math.floor((free * MAX_NODE_SCORE) / capacity);
}

/** The weighted per-resource score of adding a pod with non-zero requests `add` to the node under `strategy`. */
export function allocationScore(add: Resources, nodeInfo: NodeInfo, strategy: ScoringStrategy, weights: ResourceWeights): number {
  const cpu = fraction(nodeInfo.nonZeroRequested.milliCPU + add.milliCPU, nodeInfo.allocatable.milliCPU, strategy);
  const mem = fraction(nodeInfo.nonZeroRequested.memory + add.memory, nodeInfo.allocatable.memory, strategy);
  const total = weights.cpu + weights.memory;
  return total === 0 ? 0 : Math.floor((cpu * weights.cpu + mem * weights.memory) / total);
}

export function nodeResourcesFit(strategy: ScoringStrategy = 'LeastAllocated', weights: ResourceWeights = { cpu: 1, memory: 1 }): PreFilterPlugin & FilterPlugin & ScorePlugin {
  return {
    name: NODE_RESOURCES_FIT,
    preFilter(state, pod): Status {
      resourcesOf(state, pod);
      return SUCCESS;
    },
    filter(state, pod, nodeInfo): Status {
      const r = resourcesOf(state, pod);
      const reasons = insufficientResources(r.requests, nodeInfo, r.scalar);
      return reasons.length ? unschedulable(...reasons) : SUCCESS;
    },
    score(state, pod, nodeInfo) {
      return allocationScore(resourcesOf(state, pod).nonZero, nodeInfo, strategy, weights);
    },
  };
}
