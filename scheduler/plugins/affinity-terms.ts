// Pod affinity terms made ready to match: which namespaces a term covers (its `namespaces`,
// plus those its `namespaceSelector` selects; neither set means the pod's own namespace) and
// its label selector.

import { labelSelectorToSelector, nothing, type Selector } from '../../api/labels.js';
import type { LabelSelector, Pod, PodAffinityTerm } from '../../api/types.js';
import type { Snapshot } from '../framework.js';

export interface AffinityTerm {
  readonly topologyKey: string;
  readonly weight: number;
  matches(pod: Pod): boolean;
}

/** Compiles a selector once per cycle; a malformed one (the API should have refused it) selects nothing. */
export function compileSelector(ls: LabelSelector | undefined | null): Selector {
  try {
    return labelSelectorToSelector(ls);
  } catch {
    return nothing();
  }
}

export function compileTerm(owner: Pod, term: PodAffinityTerm, snapshot: Snapshot, weight = 1): AffinityTerm {
  const names = new Set(term.namespaces ?? []);
  const nsSelector = term.namespaceSelector ? compileSelector(term.namespaceSelector) : undefined;
  const selector = compileSelector(term.labelSelector);
  if (names.size === 0 && !nsSelector) names.add(owner.metadata?.namespace ?? 'default');
  // matchLabelKeys / mismatchLabelKeys add owner-label requirements to the selector.
  const ownerLabels = owner.metadata?.labels ?? {};
  const mustEqual = (term.matchLabelKeys ?? []).filter((k) => k in ownerLabels);
  const mustDiffer = (term.mismatchLabelKeys ?? []).filter((k) => k in ownerLabels);
  return {
    topologyKey: term.topologyKey,
    weight,
    matches(pod: Pod): boolean {
      const ns = pod.metadata?.namespace ?? 'default';
      if (!names.has(ns) && !(nsSelector && nsSelector.matches(snapshot.namespaceLabels(ns) ?? {}))) return false;
      const labels = pod.metadata?.labels ?? {};
      if (!selector.matches(labels)) return false;
      return mustEqual.every((k) => labels[k] === ownerLabels[k]) && mustDiffer.every((k) => labels[k] !== ownerLabels[k]);
    },
  };
}

export function requiredAffinityTerms(pod: Pod, snapshot: Snapshot): AffinityTerm[] {
  return (pod.spec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => compileTerm(pod, t, snapshot));
}

export function requiredAntiAffinityTerms(pod: Pod, snapshot: Snapshot): AffinityTerm[] {
  return (pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => compileTerm(pod, t, snapshot));
}

export function preferredAffinityTerms(pod: Pod, snapshot: Snapshot): AffinityTerm[] {
  return (pod.spec?.affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => compileTerm(pod, w.podAffinityTerm, snapshot, w.weight));
}

export function preferredAntiAffinityTerms(pod: Pod, snapshot: Snapshot): AffinityTerm[] {
  return (pod.spec?.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => compileTerm(pod, w.podAffinityTerm, snapshot, w.weight));
}

/** `key=value` of a node's topology domain for `key`, or undefined when the node lacks the label. */
export function topologyPair(labels: Readonly<Record<string, string>> | undefined, key: string): string | undefined {
  const value = labels?.[key];
  return value === undefined ? undefined : `${key}=${value}`;
}
