import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import { lastActivity, sweepInterval } from './event-ttl.js';

describe('lastActivity', () => {
  it.each([
    { name: 'creation only', ev: { metadata: { creationTimestamp: '2026-01-01T00:00:00Z' } }, want: '2026-01-01T00:00:00Z' },
    { name: 'lastTimestamp later', ev: { metadata: { creationTimestamp: '2026-01-01T00:00:00Z' }, lastTimestamp: '2026-01-01T00:05:00Z' }, want: '2026-01-01T00:05:00Z' },
    { name: 'series newest', ev: { metadata: {}, eventTime: '2026-01-01T00:00:00.000000Z', series: { lastObservedTime: '2026-01-01T01:00:00.000000Z' } }, want: '2026-01-01T01:00:00Z' },
    { name: 'garbage ignored', ev: { metadata: { creationTimestamp: '2026-01-01T00:00:00Z' }, lastTimestamp: 'nope' }, want: '2026-01-01T00:00:00Z' },
  ])('$name', ({ ev, want }) => {
    expect(lastActivity(ev as KubeObject)).toBe(Date.parse(want));
  });
  it('is 0 without any time', () => expect(lastActivity({ metadata: {} })).toBe(0));
});

describe('sweepInterval', () => {
  it.each([
    [3600, 60_000],
    [60, 30_000],
    [2, 1000],
    [0.1, 500],
  ])('ttl %ss → every %i ms', (ttl, want) => expect(sweepInterval(ttl)).toBe(want));
});
