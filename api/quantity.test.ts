import { describe, expect, it } from 'vitest';
import {
  QuantityError, compareQuantities, cpuToMillis, formatBinaryQuantity, formatBytes, formatCpuMillis, formatCpuQuantity, isValidQuantity,
  parseQuantity, quantityToBytes,
} from './quantity.js';

describe('parseQuantity', () => {
  it.each<[string | number, number]>([
    ['100m', 0.1],
    ['0.5', 0.5],
    ['.5', 0.5],
    ['5.', 5],
    ['64Mi', 64 * 1024 * 1024],
    ['2Ki', 2048],
    ['1G', 1e9],
    ['1e3', 1000],
    ['1E3', 1000],
    ['1.5e-3', 0.0015],
    ['1E', 1e18],
    ['+2', 2],
    ['-2', -2],
    ['1k', 1000],
    ['3n', 3e-9],
    ['7u', 7e-6],
    ['0', 0],
    [2, 2],
    [0.25, 0.25],
    [1e21, 1e21],
  ])('%s → %s', (input, expected) => {
    expect(parseQuantity(input)).toBeCloseTo(expected, 12);
  });

  it.each(['', 'abc', '1.2.3', '1Kb', '1 Mi', 'Mi', '1ki', '--1', '1e', '1e1000', 'e3', '.', '1Mi5'])('rejects %j naming the text', (input) => {
    expect(() => parseQuantity(input)).toThrow(QuantityError);
    expect(() => parseQuantity(input)).toThrow(`"${input}"`);
    expect(isValidQuantity(input)).toBe(false);
  });

  it('rejects non-finite numbers and non-quantities', () => {
    expect(() => parseQuantity(Number.NaN)).toThrow(QuantityError);
    expect(isValidQuantity(Infinity)).toBe(false);
    expect(isValidQuantity({})).toBe(false);
    expect(isValidQuantity('250m')).toBe(true);
  });
});

describe('conversions round up exactly', () => {
  it.each<[string | number, number]>([
    ['100m', 100],
    ['0.1', 100],
    ['0.3', 300],
    ['2', 2000],
    [1.5, 1500],
    ['1u', 1],
    ['1n', 1],
    ['1001u', 2],
    ['0', 0],
    ['-100m', -100],
  ])('cpuToMillis(%s) = %s', (input, millis) => {
    expect(cpuToMillis(input)).toBe(millis);
  });

  it.each<[string | number, number]>([
    ['64Mi', 67108864],
    ['1Gi', 1073741824],
    ['1G', 1e9],
    ['1.5k', 1500],
    ['100m', 1],
    ['1e3', 1000],
    [512, 512],
    ['0.5Ki', 512],
  ])('quantityToBytes(%s) = %s', (input, bytes) => {
    expect(quantityToBytes(input)).toBe(bytes);
  });

  it.each<[string | number, string | number, number]>([
    ['1', '1000m', 0],
    ['1Gi', '1G', 1],
    ['500m', '0.6', -1],
    [1, '1', 0],
    ['1Ki', '1024', 0],
  ])('compareQuantities(%s, %s) = %s', (a, b, sign) => {
    expect(compareQuantities(a, b)).toBe(sign);
  });
});

describe('formatting', () => {
  it.each<[number, string]>([
    [250, '250m'],
    [0, '0m'],
    [1000, '1000m'],
  ])('formatCpuMillis(%s) = %s', (m, text) => expect(formatCpuMillis(m)).toBe(text));

  it.each<[number, string]>([
    [128 * 1024 * 1024, '128Mi'],
    [128 * 1024 * 1024 + 1000, '128Mi'],
    [500 * 1024, '0Mi'],
    [2 * 1024 * 1024 * 1024, '2048Mi'],
  ])('formatBytes(%s) = %s', (b, text) => expect(formatBytes(b)).toBe(text));

  it.each<[number, string]>([
    [64 * 1024 * 1024, '64Mi'],
    [1536 * 1024, '1536Ki'],
    [1000, '1000'],
    [0, '0'],
    [1024 ** 3, '1Gi'],
  ])('formatBinaryQuantity(%s) = %s', (b, text) => expect(formatBinaryQuantity(b)).toBe(text));

  it.each<[number, string]>([
    [2000, '2'],
    [250, '250m'],
    [0, '0'],
  ])('formatCpuQuantity(%s) = %s', (m, text) => expect(formatCpuQuantity(m)).toBe(text));

  it('round-trips formatted quantities', () => {
    for (const b of [1, 1024, 3 * 1024 * 1024, 5 * 1024 ** 3, 12345]) expect(quantityToBytes(formatBinaryQuantity(b))).toBe(b);
    for (const m of [1, 250, 1000, 3500]) expect(cpuToMillis(formatCpuQuantity(m))).toBe(m);
  });
});
