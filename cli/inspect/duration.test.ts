import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { humanDuration, rfc1123z, since } from './duration.js';

describe('humanDuration', () => {
  const s = 1000;
  const cases: [number, string][] = [
    [-5 * s, '<invalid>'],
    [-500, '0s'],
    [0, '0s'],
    [119 * s, '119s'],
    [120 * s, '2m'],
    [182 * s, '3m2s'],
    [47 * 60 * s, '47m'],
    [245 * 60 * s, '4h5m'],
    [30 * 3600 * s, '30h'],
    [51 * 3600 * s, '2d3h'],
    [40 * 86400 * s, '40d'],
    [(2 * 365 + 40) * 86400 * s, '2y40d'],
    [9 * 365 * 86400 * s, '9y'],
  ];
  it.each(cases)('%d ms → %s', (ms, want) => expect(humanDuration(ms)).toBe(want));

  it('since: unknown without a timestamp', () => {
    expect(since(undefined, new Date())).toBe('<unknown>');
    expect(since('2026-11-22T12:00:00Z', new Date('2026-11-22T12:05:00Z'))).toBe('5m');
  });
});

describe('rfc1123z', () => {
  const tz = process.env.TZ;
  beforeAll(() => (process.env.TZ = 'UTC'));
  afterAll(() => (process.env.TZ = tz));
  it('formats as Go does', () => {
    expect(rfc1123z('2026-11-22T09:05:03Z')).toBe('Sun, 22 Nov 2026 09:05:03 +0000');
    expect(rfc1123z(undefined)).toBe('Mon, 01 Jan 0001 00:00:00 +0000');
  });
  it('uses the local zone', () => {
    process.env.TZ = 'Asia/Kolkata';
    expect(rfc1123z('2026-11-22T09:05:03Z')).toBe('Sun, 22 Nov 2026 14:35:03 +0530');
    process.env.TZ = 'UTC';
  });
});
