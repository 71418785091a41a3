// Taints and tolerations as the node lifecycle and DaemonSet controllers read them.

import type { Taint, Toleration } from './types.js';

/** Upstream's ToleratesTaint: the effect must match (empty matches all), then the key and value. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (!t.key) return t.operator === 'Exists';
  if (t.key !== taint.key) return false;
  const op = t.operator ?? 'Equal';
  if (op === 'Exists') return true;
  return op === 'Equal' && (t.value ?? '') === (taint.value ?? '');
}

export function toleratesAll(tolerations: Toleration[] | undefined, taints: Taint[], effects: string[]): boolean {
  return taints.filter((t) => effects.includes(t.effect)).every((taint) => (tolerations ?? []).some((t) => tolerates(t, taint)));
}

/**
 * When a pod must leave a node with these NoExecute taints (ms since the epoch): now if some
 * taint is not tolerated, never (undefined) if every toleration is unbounded, otherwise the
 * earliest taint time plus the smallest tolerationSeconds.
 */
export function evictionTime(tolerations: Toleration[] | undefined, taints: Taint[], now: number): number | undefined {
  let at: number | undefined;
  for (const taint of taints.filter((t) => t.effect === 'NoExecute')) {
    const matching = (tolerations ?? []).filter((t) => tolerates(t, taint));
    if (matching.length === 0) return now;
    const seconds = matching.map((t) => t.tolerationSeconds).filter((s): s is number => s !== undefined && s !== null);
    if (seconds.length === 0) continue;
    const added = taint.timeAdded ? Date.parse(taint.timeAdded) : now;
    const deadline = (Number.isNaN(added) ? now : added) + Math.max(0, Math.min(...seconds)) * 1000;
    at = at === undefined ? deadline : Math.min(at, deadline);
  }
  return at;
}
