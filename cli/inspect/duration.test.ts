import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rfc1123z, since } from './duration.js';

describe('since', () => {
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
