// InterPodAffinity. Filter: the incoming pod's required affinity terms must each find a
// matching pod in the node's topology domain (the first pod of a group, matching its own
// terms, may go anywhere); its required anti-affinity terms must find none; and no existing
// pod's required anti-affinity may match the incoming pod in that domain. Score: preferred
// terms of both sides add or subtract their weights per topology domain, then min-max scale.
// PreFilter/PreScore count matches per topology domain once, so Filter/Score are lookups.

import type { Pod } from '../../api/types.js';
import {
  MAX_NODE_SCORE, SKIP, SUCCESS, StateKey, unresolvable, unschedulable,
  type FilterPlugin, type NodeScore, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin, type Snapshot, type Status,
} from '../framework.js';
import type { NodeInfo } from '../node-info.js';
import {
  preferredAffinityTerms, preferredAntiAffinityTerms, requiredAffinityTerms, requiredAntiAffinityTerms, topologyPair, type AffinityTerm,
} from './affinity-terms.js';

export const INTER_POD_AFFINITY = 'InterPodAffinity';
export const ERR_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const ERR_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";

/** Weight an existing pod's *required* affinity term gives the incoming pod when scoring. */
export const HARD_POD_AFFINITY_WEIGHT = 1;

interface FilterState {
  affinity: AffinityTerm[];
  antiAffinity: AffinityTerm[];
  /** Domains holding a pod that matches all of the incoming pod's affinity terms. */
  affinityDomains: Set<string>;
  /** Domains holding a pod the incoming pod's anti-affinity terms match. */
  antiAffinityDomains: Set<string>;
  /** Domains where an existing pod's required anti-affinity matches the incoming pod. */
  existingAntiAffinityDomains: Set<string>;
  /** No pod anywhere matches the affinity terms, but the pod matches them itself. */
  firstOfGroup: boolean;
}

const filterKey = new StateKey<FilterState>('InterPodAffinity/filter');
const scoreKey = new StateKey<Map<string, number>>('InterPodAffinity/score');

function nodeLabels(ni: NodeInfo): Readonly<Record<string, string>> | undefined {
  return ni.node.metadata?.labels;
}

export function computeFilterState(pod: Pod, snapshot: Snapshot): FilterState {
  const affinity = requiredAffinityTerms(pod, snapshot);
  const antiAffinity = requiredAntiAffinityTerms(pod, snapshot);
  const s: FilterState = {
    affinity, antiAffinity,
    affinityDomains: new Set(), antiAffinityDomains: new Set(), existingAntiAffinityDomains: new Set(),
    firstOfGroup: false,
  };
  // Existing pods' anti-affinity against the incoming pod: only nodes with such pods matter.
  for (const ni of snapshot.nodesWithAffinityPods) {
    if (ni.podsWithRequiredAntiAffinity === 0) continue;
    for (const info of ni.pods.values()) {
      if (!info.hasRequiredAntiAffinity) continue;
      for (const term of requiredAntiAffinityTerms(info.pod, snapshot)) {
        const pair = topologyPair(nodeLabels(ni), term.topologyKey);
        if (pair && term.matches(pod)) s.existingAntiAffinityDomains.add(pair);
      }
    }
  }
  if (affinity.length === 0 && antiAffinity.length === 0) return s;
  let anyAffinityMatch = false;
  for (const ni of snapshot.nodes) {
    const labels = nodeLabels(ni);
    for (const info of ni.pods.values()) {
      if (affinity.length > 0 && affinity.every((t) => t.matches(info.pod))) {
        anyAffinityMatch = true;
        for (const t of affinity) {
          const pair = topologyPair(labels, t.topologyKey);
          if (pair) s.affinityDomains.add(pair);
        }
      }
      for (const t of antiAffinity) {
        const pair = topologyPair(labels, t.topologyKey);
        if (pair && t.matches(info.pod)) s.antiAffinityDomains.add(pair);
      }
    }
  }
  s.firstOfGroup = affinity.length > 0 && !anyAffinityMatch && affinity.every((t) => t.matches(pod));
  return s;
}

export function filterNode(s: FilterState, ni: NodeInfo): Status {
  const labels = nodeLabels(ni);
  // kube-scheduler's order: own affinity, own anti-affinity, then existing pods' anti-affinity.
  for (const t of s.affinity) {
    const pair = topologyPair(labels, t.topologyKey);
    // A node without the topology label can never satisfy the term.
    if (!pair) return unresolvable(ERR_AFFINITY);
    if (!s.firstOfGroup && !s.affinityDomains.has(pair)) return unschedulable(ERR_AFFINITY);
  }
  for (const t of s.antiAffinity) {
    const pair = topologyPair(labels, t.topologyKey);
    if (pair && s.antiAffinityDomains.has(pair)) return unschedulable(ERR_ANTI_AFFINITY);
  }
  if (s.existingAntiAffinityDomains.size > 0) {
    for (const pair of s.existingAntiAffinityDomains) {
      const key = pair.slice(0, pair.indexOf('='));
      if (topologyPair(labels, key) === pair) return unschedulable(ERR_EXISTING_ANTI_AFFINITY);
    }
  }
  return SUCCESS;
}

/** Sum of preferred-term weights per topology domain, from both the incoming and the existing pods' terms. */
export function computeScoreState(pod: Pod, snapshot: Snapshot): Map<string, number> {
  const domains = new Map<string, number>();
  const bump = (labels: Readonly<Record<string, string>> | undefined, t: AffinityTerm, weight: number) => {
    const pair = topologyPair(labels, t.topologyKey);
    if (pair) domains.set(pair, (domains.get(pair) ?? 0) + weight);
  };
  const prefer = preferredAffinityTerms(pod, snapshot);
  const avoid = preferredAntiAffinityTerms(pod, snapshot);
  const incomingHasTerms = prefer.length + avoid.length > 0;
  const nodes = incomingHasTerms ? snapshot.nodes : snapshot.nodesWithAffinityPods;
  for (const ni of nodes) {
    const labels = nodeLabels(ni);
    for (const info of ni.pods.values()) {
      const existing = info.pod;
      for (const t of prefer) if (t.matches(existing)) bump(labels, t, t.weight);
      for (const t of avoid) if (t.matches(existing)) bump(labels, t, -t.weight);
      if (!info.hasAffinity) continue;
      for (const t of preferredAffinityTerms(existing, snapshot)) if (t.matches(pod)) bump(labels, t, t.weight);
      for (const t of preferredAntiAffinityTerms(existing, snapshot)) if (t.matches(pod)) bump(labels, t, -t.weight);
      for (const t of requiredAffinityTerms(existing, snapshot)) if (t.matches(pod)) bump(labels, t, HARD_POD_AFFINITY_WEIGHT);
    }
  }
  return domains;
}

export const interPodAffinity: PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin = {
  name: INTER_POD_AFFINITY,
  preFilter(state, pod, snapshot) {
    const s = computeFilterState(pod, snapshot);
    if (s.affinity.length === 0 && s.antiAffinity.length === 0 && s.existingAntiAffinityDomains.size === 0) return SKIP;
    state.write(filterKey, s);
    return SUCCESS;
  },
  filter(state, _pod, ni) {
    const s = state.read(filterKey);
    return s ? filterNode(s, ni) : SUCCESS;
  },
  preScore(state, pod, _nodes, snapshot) {
    const aff = pod.spec?.affinity;
    const incoming = (aff?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ?? 0) + (aff?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ?? 0);
    if (incoming === 0 && snapshot.nodesWithAffinityPods.length === 0) return SKIP;
    const domains = computeScoreState(pod, snapshot);
    if (domains.size === 0) return SKIP;
    state.write(scoreKey, domains);
    return SUCCESS;
  },
  score(state, _pod, ni) {
    const domains = state.read(scoreKey);
    if (!domains) return 0;
    const labels = nodeLabels(ni) ?? {};
    let sum = 0;
    for (const [pair, weight] of domains) {
      const eq = pair.indexOf('=');
      if (labels[pair.slice(0, eq)] === pair.slice(eq + 1)) sum += weight;
    }
    return sum;
  },
  normalize(_state, _pod, scores: NodeScore[]) {
    let min = Infinity;
    let max = -Infinity;
    for (const s of scores) {
      min = Math.min(min, s.score);
      max = Math.max(max, s.score);
    }
    const span = max - min;
    for (const s of scores) s.score = span === 0 ? 0 : Math.floor((MAX_NODE_SCORE * (s.score - min)) / span);
  },
};
