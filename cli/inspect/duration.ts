// Times as kubectl prints them: ages in its human form (`47m`, `2d3h`) and timestamps in
// Go's RFC 1123 with a numeric zone (`Sun, 22 Nov 2026 12:00:00 +0000`), in local time.

/**
 * A duration as kubectl prints ages: exact seconds below 2 minutes, then ever coarser units
 * (`3m2s`, `47m`, `4h5m`, `30h`, `2d3h`, `40d`, `2y40d`, `9y`); a clock slightly ahead reads
 * `0s`, anything further in the future `<invalid>`.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) return seconds % 60 ? `${minutes}m${seconds % 60}s` : `${minutes}m`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) return minutes % 60 ? `${hours}h${minutes % 60}m` : `${hours}h`;
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) return hours % 24 ? `${days}d${hours % 24}h` : `${days}d`;
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) return days % 365 ? `${years}y${days % 365}d` : `${years}y`;
  return `${years}y`;
}

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
