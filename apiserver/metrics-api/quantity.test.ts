import { describe, expect, it } from 'vitest';
import { cpuQuantity, memoryQuantity } from './quantity.js';

describe('cpuQuantity', () => {
  it.each([
    [0, '0'],
    [1, '1n'],
    [123456, '123456n'],
    [4119278, '4119278n'],
    [250_000_000, '250m'],
    [1_500_000, '1500u'],
    [2_000_000_000, '2'],
    [2_500_000_000, '2500m'],
    [12_000_000_000_000, '12k'],
    [3.6, '4n'],
  ])('%d nanocores → %s', (n, want) => {
    expect(cpuQuantity(n)).toBe(want);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('refuses %d', (n) => {
    expect(() => cpuQuantity(n)).toThrow(RangeError);
  });
});

describe('memoryQuantity', () => {
  it.each([
    [0, '0'],
    [512, '512'],
    [1023, '1023'],
    [1024, '1Ki'],
    [12345 * 1024, '12345Ki'],
    [12345, '12345'],
    [2 * 1024 ** 3, '2Gi'],
    [1536 * 1024 * 1024, '1536Mi'],
    [1025 * 1024, '1025Ki'],
  ])('%d bytes → %s', (n, want) => {
    expect(memoryQuantity(n)).toBe(want);
  });

  it('refuses a negative figure', () => {
    expect(() => memoryQuantity(-5)).toThrow(RangeError);
  });
});
