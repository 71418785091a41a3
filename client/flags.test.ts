import { describe, expect, it } from 'vitest';
import { formatDuration, parseBool, parseDuration } from './flags.js';

describe('parseDuration', () => {
  it.each([
    ['0', 0],
    ['40s', 40_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['1.5s', 1500],
    ['2h45m30.5s', 9_930_500],
    ['100us', 0.1],
    ['-3s', -3000],
    ['.5h', 1_800_000],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBeCloseTo(ms, 6);
  });

  it.each(['', '5', '10x', 's', '1h 30m', '1.2.3s', '--1s'])('rejects %j', (text) => {
    expect(() => parseDuration(text)).toThrow(/invalid duration/);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [250, '250ms'],
    [40_000, '40s'],
    [5_400_000, '1h30m0s'],
    [61_500, '1m1.5s'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });
});

describe('parseBool', () => {
  it.each([
    ['true', true], ['TRUE', true], ['1', true], ['t', true], ['yes', true],
    ['false', false], ['False', false], ['0', false], ['f', false], ['no', false],
  ])('%s → %s', (text, value) => {
    expect(parseBool(text)).toBe(value);
  });

  it('rejects anything else', () => {
    expect(() => parseBool('maybe')).toThrow(/invalid boolean "maybe"/);
  });
});
