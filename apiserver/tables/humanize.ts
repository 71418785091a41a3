// The small formatting rules every printer shares: ages in kubectl's human form, label maps and
// label selectors as `k=v,k2=v2`, and the `<none>` / `<unknown>` placeholders kubectl prints.

import type { LabelSelector } from '../../api/types.js';

/**
 * A duration as kubectl prints ages: exact seconds below 2 minutes, then ever coarser units
 * (`3m2s`, `47m`, `4h5m`, `30h`, `2d3h`, `40d`, `2y40d`, `9y`). A clock up to one second ahead
 * still reads as `0s`; anything further in the future is `<invalid>`.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

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
