// Matching labels and fields against the selector shapes pods carry: metav1.LabelSelector
// (pod affinity, topology spread) and core NodeSelectorTerm (node affinity). A private
// stand-in for api/labels.ts that the scheduler can call millions of times without parsing.

import type { LabelSelector, Node, NodeSelectorRequirement, NodeSelectorTerm } from '../api/types.js';

export type Labels = Readonly<Record<string, string>>;

/**
 * metav1.LabelSelector semantics: an empty selector matches everything, a missing one
 * (undefined) nothing; all of matchLabels and matchExpressions must hold.
 */
export function labelSelectorMatches(selector: LabelSelector | undefined | null, labels: Labels | undefined): boolean {
  if (!selector) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(l[e.key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(l[e.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

function requirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      // Gt/Lt compare integers; a non-integer on either side never matches.
      if (value === undefined || values.length !== 1 || !/^-?\d+$/.test(value) || !/^-?\d+$/.test(values[0])) return false;
      const have = Number(value);
      const want = Number(values[0]);
      return r.operator === 'Gt' ? have > want : have < want;
    }
    default:
      return false;
  }
}

/** A NodeSelectorTerm: every matchExpression against labels and every matchField (only `metadata.name`) must hold. An empty term matches nothing. */
export function nodeSelectorTermMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  for (const r of exprs) if (!requirementMatches(r, Object.prototype.hasOwnProperty.call(labels, r.key) ? labels[r.key] : undefined)) return false;
  for (const r of fields) {
    const value = r.key === 'metadata.name' ? node.metadata?.name : undefined;
    if (r.key !== 'metadata.name' || !requirementMatches(r, value)) return false;
  }
  return true;
}

/** Terms are ORed. */
export function nodeSelectorMatches(terms: readonly NodeSelectorTerm[], node: Node): boolean {
  return terms.some((t) => nodeSelectorTermMatches(t, node));
}
