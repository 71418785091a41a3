import { describe, expect, it } from 'vitest';
import { cpuMillis, quantityUnits, quantityValue } from './quantity.js';

describe('quantity', () => {
  it.each([
    ['100m', 100],
    ['1', 1000],
    ['1.5', 1500],
    ['0.1', 100],
    ['2e3', 2_000_000],
    ['1k', 1_000_000],
    [2, 2000],
    [undefined, 0],
  ])('cpuMillis(%s) = %d', (q, want) => {
    expect(cpuMillis(q)).toBe(want);
  });

  it.each([
    ['64Mi', 64 * 1024 * 1024],
    ['1Gi', 1024 ** 3],
    ['1G', 1e9],
    ['128974848', 128974848],
    ['129e6', 129e6],
    ['123Ki', 123 * 1024],
    ['1500m', 2],
    [undefined, 0],
  ])('quantityUnits(%s) = %d', (q, want) => {
    expect(quantityUnits(q)).toBe(want);
  });

  it.each(['', 'abc', '1Zi', '10 Mi', '--1'])('rejects %j', (q) => {
    expect(() => quantityValue(q)).toThrow(/quantities must match/);
  });
});
