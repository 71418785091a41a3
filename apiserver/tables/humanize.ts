// The small formatting rules every printer shares: ages in kubectl's human form, label maps and
// label selectors as `k=v,k2=v2`, and the `<none>` / `<unknown>` placeholders kubectl prints.

import type { LabelSelector } from '../../api/types.js';
import { humanDuration } from '../../api/human-duration.js';

export { humanDuration };

/** The age of a timestamp at `now`; `<unknown>` when it is absent or unreadable. */
export function age(timestamp: string | undefined | null, now: Date): string {
  if (!timestamp) return '<unknown>';
  const t = Date.parse(timestamp);
  if (Number.isNaN(t)) return '<unknown>';
  return humanDuration(now.getTime() - t);
}

/** `a=1,b=2` with keys sorted, or `<none>` for an empty map (kubectl's FormatLabels). */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

/**
 * A LabelSelector in selector syntax, requirements sorted by key as the upstream selector
 * prints them: `app=web,tier in (a,b),!legacy`. An absent or empty selector is ''.
 */
export function formatLabelSelector(selector: LabelSelector | undefined | null): string {
  if (!selector) return '';
  const parts: Array<{ key: string; text: string }> = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) parts.push({ key, text: `${key}=${value}` });
  for (const req of selector.matchExpressions ?? []) {
    const values = [...(req.values ?? [])].sort().join(',');
    switch (req.operator) {
      case 'In': parts.push({ key: req.key, text: `${req.key} in (${values})` }); break;
      case 'NotIn': parts.push({ key: req.key, text: `${req.key} notin (${values})` }); break;
      case 'Exists': parts.push({ key: req.key, text: req.key }); break;
      case 'DoesNotExist': parts.push({ key: req.key, text: `!${req.key}` }); break;
      default: parts.push({ key: req.key, text: `${req.key} ${req.operator} (${values})` });
    }
  }
  // Stable sort by key only: equal keys keep their order, as upstream's sort.Stable does.
  return parts.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((p) => p.text).join(',');
}

/** `s` unless empty or absent, then `<none>`. */
export function orNone(s: string | undefined | null): string {
  return s ? s : '<none>';
}
