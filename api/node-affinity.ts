// Matching a node against core/v1 NodeSelectorTerms (node affinity): label expressions with
// In, NotIn, Exists, DoesNotExist, Gt, Lt, and matchFields on metadata.name. (Pod label
// selectors are metav1.LabelSelector and go through api/labels.ts.)

import type { Node, NodeSelectorRequirement, NodeSelectorTerm } from './types.js';

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
