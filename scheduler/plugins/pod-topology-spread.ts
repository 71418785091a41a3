// PodTopologySpread. Filter: for each DoNotSchedule constraint, placing the pod in the node's
// domain must keep (matching pods in that domain + 1) − (fewest in any domain) ≤ maxSkew; with
// minDomains set and fewer domains than that, the minimum counts as 0. Score: for ScheduleAnyway
// constraints — or, when the pod has no constraints and a controlling owner, the system
// defaults (hostname maxSkew 3, zone maxSkew 5) over pods of the same owner — fewer matching
// pods in the node's domains is better.
// Domains are the values of topologyKey on the nodes the pod could go to (its nodeSelector and
// required node affinity hold, all constraint keys present); counted pods are in the pod's
// namespace and not terminating.

import type { Node, Pod, TopologySpreadConstraint } from '../../api/types.js';
import {
  MAX_NODE_SCORE, SKIP, SUCCESS, StateKey, unresolvable, unschedulable,
  type FilterPlugin, type NodeScore, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin, type Snapshot, type Status,
} from '../framework.js';
import { controllerUidOf, type NodeInfo, type PodInfo } from '../node-info.js';
import { compileSelector } from './affinity-terms.js';
import { requiredNodeAffinityMatches } from './node-affinity.js';

export const POD_TOPOLOGY_SPREAD = 'PodTopologySpread';
export const ERR_CONSTRAINTS = "node(s) didn't match pod topology spread constraints";
export const ERR_MISSING_LABEL = "node(s) didn't match pod topology spread constraints (missing required label)";

export const HOSTNAME_KEY = 'kubernetes.io/hostname';
export const ZONE_KEY = 'topology.kubernetes.io/zone';

/** A constraint ready to count with: which existing pods it counts. */
export interface SpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly minDomains: number;
  /** Counts one node's matching pods (fast path per owner for the system defaults). */
  count(ni: NodeInfo): number;
  /** Whether the incoming pod itself matches (it adds one to its domain). */
  readonly selfMatch: boolean;
}

function fromApi(pod: Pod, c: TopologySpreadConstraint): SpreadConstraint {
  const labels = pod.metadata?.labels ?? {};
  const base = compileSelector(c.labelSelector);
  // matchLabelKeys: the pod's own values for those keys join the selector.
  const extra = (c.matchLabelKeys ?? []).filter((k) => k in labels).map((k) => [k, labels[k]] as const);
  const ns = pod.metadata?.namespace ?? 'default';
  const matches = (l: Readonly<Record<string, string>>) => base.matches(l) && extra.every(([k, v]) => l[k] === v);
  return {
    maxSkew: c.maxSkew,
    topologyKey: c.topologyKey,
    minDomains: c.minDomains ?? 1,
    selfMatch: matches(labels),
    count(ni) {
      let n = 0;
      for (const info of ni.pods.values()) if (counts(info, ns) && matches(info.pod.metadata?.labels ?? {})) n++;
      return n;
    },
  };
}

function counts(info: PodInfo, namespace: string): boolean {
  return (info.pod.metadata?.namespace ?? 'default') === namespace && !info.pod.metadata?.deletionTimestamp;
}

/** The system default constraints over pods of the same controlling owner (ScheduleAnyway). */
export function defaultConstraints(pod: Pod): SpreadConstraint[] {
  const uid = controllerUidOf(pod);
  if (!uid) return [];
  const count = (ni: NodeInfo) => ni.podsByController.get(uid) ?? 0;
  return [
    { maxSkew: 3, topologyKey: HOSTNAME_KEY, minDomains: 1, selfMatch: true, count },
    { maxSkew: 5, topologyKey: ZONE_KEY, minDomains: 1, selfMatch: true, count },
  ];
}

export function hardConstraints(pod: Pod): SpreadConstraint[] {
  return (pod.spec?.topologySpreadConstraints ?? []).filter((c) => c.whenUnsatisfiable === 'DoNotSchedule').map((c) => fromApi(pod, c));
}

export function softConstraints(pod: Pod): SpreadConstraint[] {
  const explicit = pod.spec?.topologySpreadConstraints ?? [];
  if (explicit.length === 0) return defaultConstraints(pod);
  return explicit.filter((c) => c.whenUnsatisfiable === 'ScheduleAnyway').map((c) => fromApi(pod, c));
}

function hasAllKeys(node: Node, constraints: readonly SpreadConstraint[]): boolean {
  const labels = node.metadata?.labels ?? {};
  return constraints.every((c) => c.topologyKey in labels);
}

/** Matching pods per domain value, one map per constraint, over the nodes eligible for `pod`. */
export function countDomains(pod: Pod, constraints: readonly SpreadConstraint[], nodes: readonly NodeInfo[], requireAllKeys: boolean): Map<string, number>[] {
  const perConstraint = constraints.map(() => new Map<string, number>());
  for (const ni of nodes) {
    if (!requiredNodeAffinityMatches(pod, ni.node)) continue;
    if (requireAllKeys && !hasAllKeys(ni.node, constraints)) continue;
    const labels = ni.node.metadata?.labels ?? {};
    constraints.forEach((c, i) => {
      const value = labels[c.topologyKey];
      if (value === undefined) return;
      const m = perConstraint[i];
      m.set(value, (m.get(value) ?? 0) + c.count(ni));
    });
  }
  return perConstraint;
}

interface FilterState {
  constraints: SpreadConstraint[];
  domains: Map<string, number>[];
  /** Per constraint: the fewest matching pods in any domain (0 when below minDomains). */
  minimum: number[];
}

const filterKey = new StateKey<FilterState>('PodTopologySpread/filter');

export function computeFilterState(pod: Pod, nodes: readonly NodeInfo[]): FilterState | undefined {
  const constraints = hardConstraints(pod);
  if (constraints.length === 0) return undefined;
  const domains = countDomains(pod, constraints, nodes, true);
  const minimum = constraints.map((c, i) => {
    const counts = [...domains[i].values()];
    if (counts.length < c.minDomains || counts.length === 0) return 0;
    return Math.min(...counts);
  });
  return { constraints, domains, minimum };
}

export function filterNode(s: FilterState, ni: NodeInfo): Status {
  const labels = ni.node.metadata?.labels ?? {};
  for (let i = 0; i < s.constraints.length; i++) {
    const c = s.constraints[i];
    const value = labels[c.topologyKey];
    if (value === undefined) return unresolvable(ERR_MISSING_LABEL);
    const skew = (s.domains[i].get(value) ?? 0) + (c.selfMatch ? 1 : 0) - s.minimum[i];
    if (skew > c.maxSkew) return unschedulable(ERR_CONSTRAINTS);
  }
  return SUCCESS;
}

interface ScoreState {
  constraints: SpreadConstraint[];
  domains: Map<string, number>[];
  /** log(domains + 2): constraints over more domains weigh more, as upstream. */
  weights: number[];
  /** Explicit constraints ignore nodes missing a key; system defaults do not. */
  explicit: boolean;
}

const scoreKey = new StateKey<ScoreState>('PodTopologySpread/score');
const IGNORED = -1;

export const podTopologySpread: PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin = {
  name: POD_TOPOLOGY_SPREAD,
  preFilter(state, pod, snapshot: Snapshot) {
    const s = computeFilterState(pod, snapshot.nodes);
    if (!s) return SKIP;
    state.write(filterKey, s);
    return SUCCESS;
  },
  filter(state, _pod, ni) {
    const s = state.read(filterKey);
    return s ? filterNode(s, ni) : SUCCESS;
  },
  preScore(state, pod, nodes) {
    const constraints = softConstraints(pod);
    if (constraints.length === 0) return SKIP;
    const explicit = (pod.spec?.topologySpreadConstraints ?? []).length > 0;
    // Count over the feasible nodes, as upstream does for scoring.
    const domains = countDomains(pod, constraints, nodes, explicit);
    const weights = domains.map((d) => Math.log(d.size + 2));
    state.write(scoreKey, { constraints, domains, weights, explicit });
    return SUCCESS;
  },
  score(state, _pod, ni) {
    const s = state.read(scoreKey);
    if (!s) return 0;
    const labels = ni.node.metadata?.labels ?? {};
    if (s.explicit && !hasAllKeys(ni.node, s.constraints)) return IGNORED;
    let raw = 0;
    s.constraints.forEach((c, i) => {
      const value = labels[c.topologyKey];
      if (value === undefined) return;
      raw += s.weights[i] * ((s.domains[i].get(value) ?? 0) + c.maxSkew - 1);
    });
    return Math.round(raw * 1000);
  },
  normalize(_state, _pod, scores: NodeScore[]) {
    let min = Infinity;
    let max = 0;
    for (const s of scores) {
      if (s.score === IGNORED) continue;
      min = Math.min(min, s.score);
      max = Math.max(max, s.score);
    }
    for (const s of scores) {
      if (s.score === IGNORED) s.score = 0;
      else s.score = max === 0 ? MAX_NODE_SCORE : Math.floor((MAX_NODE_SCORE * (max + min - s.score)) / max);
    }
  },
};
