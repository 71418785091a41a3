// Times as kubectl prints them: ages in its human form (`47m`, `2d3h`) and timestamps in
// Go's RFC 1123 with a numeric zone (`Sun, 22 Nov 2026 12:00:00 +0000`), in local time.

import { humanDuration } from '../../api/human-duration.js';

export { humanDuration };

/** Time since an RFC 3339 timestamp, `<unknown>` when there is none. */
export function since(timestamp: string | Date | undefined | null, now: Date): string {
  if (!timestamp) return '<unknown>';
  const at = new Date(timestamp).getTime();
  return Number.isNaN(at) ? '<unknown>' : humanDuration(now.getTime() - at);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** Go's time.RFC1123Z in the local zone; Go's zero time for a missing timestamp, as kubectl shows it. */
export function rfc1123z(timestamp: string | Date | undefined | null): string {
  if (!timestamp) return 'Mon, 01 Jan 0001 00:00:00 +0000';
  const d = new Date(timestamp);
  if (Number.isNaN(d.getTime())) return String(timestamp);
  const offset = -d.getTimezoneOffset();
  const zone = `${offset < 0 ? '-' : '+'}${two(Math.trunc(Math.abs(offset) / 60))}${two(Math.abs(offset) % 60)}`;
  return `${DAYS[d.getDay()]}, ${two(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ${zone}`;
}
