import { describe, expect, it } from 'vitest';
import { maxScaledDown, maxUnavailable, newRsReplicas, resolveFenceposts, scaledValue } from './rollout-math.js';
import { deployment, replicaSet } from '../fixtures.js';
import type { ReplicaSet } from '../types.js';

describe('scaledValue and fenceposts', () => {
  it.each([
    { value: 3, total: 10, up: true, want: 3 },
    { value: '25%', total: 10, up: true, want: 3 },
    { value: '25%', total: 10, up: false, want: 2 },
    { value: '50%', total: 3, up: true, want: 2 },
    { value: '50%', total: 3, up: false, want: 1 },
    { value: '0%', total: 7, up: true, want: 0 },
    { value: '100%', total: 7, up: false, want: 7 },
    { value: '5', total: 7, up: false, want: 5 },
  ])('$value of $total (round up: $up) = $want', ({ value, total, up, want }) => {
    expect(scaledValue(value, total, up)).toBe(want);
  });

  it('rejects nonsense', () => {
    expect(() => scaledValue('abc', 10, true)).toThrow(/IntOrString/);
  });

  it.each([
    { surge: undefined, unavailable: undefined, desired: 4, want: { surge: 1, unavailable: 1 } },
    { surge: 0, unavailable: 0, desired: 4, want: { surge: 0, unavailable: 1 } },
    { surge: '25%', unavailable: '25%', desired: 1, want: { surge: 1, unavailable: 0 } },
    { surge: 2, unavailable: '10%', desired: 5, want: { surge: 2, unavailable: 0 } },
  ])('fenceposts $surge/$unavailable of $desired', ({ surge, unavailable, desired, want }) => {
    expect(resolveFenceposts(surge, unavailable, desired)).toEqual(want);
  });

  it('maxUnavailable never exceeds replicas, and is zero for Recreate', () => {
    expect(maxUnavailable(deployment('d', 2, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 5 } } }))).toBe(2);
    expect(maxUnavailable(deployment('d', 2, { strategy: { type: 'Recreate' } }))).toBe(0);
  });
});

function rs(name: string, replicas: number, available = replicas): ReplicaSet {
  return { ...replicaSet(name, replicas), status: { replicas, availableReplicas: available } };
}

describe('rolling update steps', () => {
  const d = deployment('web', 10, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } });
  it.each([
    { name: 'fresh rollout surges to 13', old: 10, cur: 0, want: 3 },
    { name: 'at the surge limit nothing more', old: 10, cur: 3, want: 3 },
    { name: 'room after old scaled down', old: 5, cur: 3, want: 8 },
    { name: 'never above replicas', old: 0, cur: 9, want: 10 },
  ])('new RS: $name', ({ old, cur, want }) => {
    const oldRs = rs('old', old);
    const newRs = rs('new', cur, 0);
    expect(newRsReplicas(d, [oldRs, newRs], newRs)).toBe(want);
  });

  it.each([
    // 13 pods, min available 8, new RS's 3 pods unavailable → 13 - 8 - 3 = 2
    { old: 10, cur: 3, curAvailable: 0, want: 2 },
    { old: 10, cur: 3, curAvailable: 3, want: 5 },
    { old: 8, cur: 3, curAvailable: 0, want: 0 },
  ])('old RS may lose $want with $cur new ($curAvailable available)', ({ old, cur, curAvailable, want }) => {
    const newRs = rs('new', cur, curAvailable);
    expect(maxScaledDown(d, [rs('old', old), newRs], newRs)).toBe(want);
  });
});
