// The `Events:` section at the end of every description: the object's events (found by the
// involvedObject field selector, as kubectl does), oldest first, with ages from `now`.

import type { Event } from '../../../api/types.js';
import { since } from '../duration.js';
import type { DescribeWriter } from './writer.js';

const lastSeen = (e: Event): number => new Date(e.lastTimestamp ?? e.series?.lastObservedTime ?? e.eventTime ?? e.firstTimestamp ?? 0).getTime();

/** `5m (x3 over 10m)` for a repeated event, `10m` for a single one. */
export function eventInterval(e: Event, now: Date): string {
  const first = e.eventTime ? since(e.eventTime, now) : since(e.firstTimestamp, now);
  if (e.series) return `${since(e.series.lastObservedTime, now)} (x${e.series.count} over ${first})`;
  if ((e.count ?? 0) > 1) return `${since(e.lastTimestamp, now)} (x${e.count} over ${first})`;
  return first;
}

export function writeEvents(w: DescribeWriter, events: Event[] | undefined, now: Date): void {
  if (events === undefined) return;
  if (events.length === 0) return w.write(0, 'Events:\t<none>\n');
  w.flush();
  const sorted = [...events].sort((a, b) => lastSeen(a) - lastSeen(b));
  w.write(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    const message = (e.message ?? '').trim();
    const from = e.source?.component || e.reportingComponent || '';
    w.write(1, `${e.type ?? ''}\t${e.reason ?? ''}\t${eventInterval(e, now)}\t${from}\t${message}\n`);
  }
}
