import { describe, expect, it } from 'vitest';
import { compareForDeletion, isPodAvailable, msUntilAvailable, podsToDelete } from './pods.js';
import { pod } from './fixtures.js';

describe('compareForDeletion', () => {
  const cases: { name: string; first: Parameters<typeof pod>[1]; second: Parameters<typeof pod>[1] }[] = [
    { name: 'unassigned before assigned', first: {}, second: { node: 'n1' } },
    { name: 'Pending before Running', first: { node: 'n1', phase: 'Pending' }, second: { node: 'n1', phase: 'Running' } },
    { name: 'Pending before Unknown', first: { node: 'n1', phase: 'Pending' }, second: { node: 'n1', phase: 'Unknown' } },
    { name: 'Unknown before Running', first: { node: 'n1', phase: 'Unknown' }, second: { node: 'n1', phase: 'Running' } },
    { name: 'not ready before ready', first: { node: 'n1', phase: 'Running', ready: false }, second: { node: 'n1', phase: 'Running', ready: true } },
    {
      name: 'ready more recently before ready longer',
      first: { node: 'n1', phase: 'Running', ready: true, readySince: '2025-12-31T10:00:00Z' },
      second: { node: 'n1', phase: 'Running', ready: true, readySince: '2025-12-31T09:00:00Z' },
    },
    { name: 'more restarts first', first: { node: 'n1', phase: 'Running', restarts: 5 }, second: { node: 'n1', phase: 'Running', restarts: 1 } },
    { name: 'newer first', first: { node: 'n1', created: '2025-12-31T10:00:00Z' }, second: { node: 'n1', created: '2025-12-31T09:00:00Z' } },
  ];
  it.each(cases)('$name', ({ first, second }) => {
    expect(compareForDeletion(pod('a', first), pod('b', second))).toBeLessThan(0);
    expect(compareForDeletion(pod('b', second), pod('a', first))).toBeGreaterThan(0);
  });

  it('podsToDelete picks the least useful', () => {
    const pods = [pod('running', { node: 'n', phase: 'Running', ready: true }), pod('pending', {}), pod('assigned', { node: 'n' })];
    expect(podsToDelete(pods, 2).map((p) => p.metadata?.name)).toEqual(['pending', 'assigned']);
  });
});

describe('availability', () => {
  const now = Date.parse('2026-01-01T00:00:10Z');
  const p = pod('p', { ready: true, readySince: '2026-01-01T00:00:05Z' });
  it.each([
    { minReady: 0, available: true, wait: undefined },
    { minReady: 5, available: true, wait: undefined },
    { minReady: 8, available: false, wait: 3000 },
  ])('minReadySeconds $minReady', ({ minReady, available, wait }) => {
    expect(isPodAvailable(p, minReady, now)).toBe(available);
    expect(msUntilAvailable(p, minReady, now)).toBe(wait);
  });
  it('a pod that is not ready is never available', () => {
    expect(isPodAvailable(pod('q', { ready: false }), 0, now)).toBe(false);
  });
});
