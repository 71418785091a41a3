import { describe, expect, it } from 'vitest';
import { EventRing } from './event-ring.js';

const ev = (revision: number) => ({ revision });
const revs = (events: { revision: number }[] | undefined) => events?.map((e) => e.revision);

describe('EventRing', () => {
  it.each([
    { name: 'empty ring, from its start', capacity: 4, start: 10, pushed: [], since: 10, want: [] },
    { name: 'before its start', capacity: 4, start: 10, pushed: [11], since: 9, want: undefined },
    { name: 'all events after N', capacity: 4, start: 10, pushed: [11, 12, 15], since: 11, want: [12, 15] },
    { name: 'between revisions', capacity: 4, start: 10, pushed: [11, 12, 15], since: 13, want: [15] },
    { name: 'at the newest', capacity: 4, start: 10, pushed: [11, 12, 15], since: 15, want: [] },
    { name: 'ahead of the newest', capacity: 4, start: 10, pushed: [11, 12], since: 20, want: [] },
    { name: 'after wrapping', capacity: 3, start: 0, pushed: [1, 2, 3, 4, 5], since: 2, want: [3, 4, 5] },
    { name: 'an evicted revision', capacity: 3, start: 0, pushed: [1, 2, 3, 4, 5], since: 1, want: undefined },
    { name: 'several events at one revision', capacity: 5, start: 0, pushed: [1, 2, 2, 3], since: 1, want: [2, 2, 3] },
  ])('since: $name', ({ capacity, start, pushed, since, want }) => {
    const ring = new EventRing(capacity, start);
    for (const r of pushed) ring.push(ev(r));
    expect(revs(ring.since(since))).toEqual(want);
  });

  it('moves its start as it evicts, and restarts after reset', () => {
    const ring = new EventRing(2, 5);
    expect(ring.oldestResumable).toBe(5);
    for (const r of [6, 7, 8]) ring.push(ev(r));
    expect(ring.oldestResumable).toBe(6);
    expect(ring.size).toBe(2);
    ring.reset(100);
    expect([ring.size, ring.oldestResumable]).toEqual([0, 100]);
    expect(ring.since(99)).toBeUndefined();
    expect(ring.since(100)).toEqual([]);
  });
});
