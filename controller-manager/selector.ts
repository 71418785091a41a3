// Label selectors as the workload controllers use them, through api/labels. A selector is
// compiled once per LabelSelector object (controllers match every pod of a namespace against
// the same one); an invalid selector matches nothing rather than throwing inside a handler.

import { labelSelectorToSelector, nothing, type Selector } from '../api/labels.js';
import type { LabelSelector } from '../api/types.js';

const compiled = new WeakMap<LabelSelector, Selector>();

function compile(ls: LabelSelector): Selector {
  let sel = compiled.get(ls);
  if (!sel) {
    try {
      sel = labelSelectorToSelector(ls);
    } catch {
      sel = nothing();
    }
    compiled.set(ls, sel);
  }
  return sel;
}

/** An absent selector matches nothing; an empty one everything (upstream's LabelSelectorAsSelector). */
export function selectorMatches(selector: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  return selector ? compile(selector).matches(labels) : false;
}

/** True for `{}`: it selects every pod, which workload controllers refuse. */
export function selectorIsEmpty(selector: LabelSelector | undefined): boolean {
  return !!selector && Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}
