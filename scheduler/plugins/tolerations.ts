// Toleration matching (core/v1 Toleration.ToleratesTaint): an empty key with Exists tolerates
// every taint; an empty effect matches every effect; Equal compares values, Exists ignores them.

import type { Taint, Toleration } from '../../api/types.js';

export function tolerates(t: Toleration, taint: Pick<Taint, 'key' | 'effect'> & { value?: string }): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  const op = t.operator ?? 'Equal';
  if (op === 'Exists') return true;
  if (op !== 'Equal') return false;
  // An empty key is only valid with Exists.
  if (!t.key) return false;
  return (t.value ?? '') === (taint.value ?? '');
}

/** The first taint with one of `effects` that no toleration tolerates. */
export function firstUntolerated(taints: readonly Taint[], tolerations: readonly Toleration[], effects: readonly string[]): Taint | undefined {
  return taints.find((taint) => effects.includes(taint.effect) && !tolerations.some((t) => tolerates(t, taint)));
}
