import { describe, expect, it } from 'vitest';
import { healthReport, type HealthEndpoint } from './health.js';

const readyz = (etcd: boolean): HealthEndpoint => ({
  path: '/readyz',
  failureCode: 503,
  checks: [
    { name: 'ping', ok: () => true },
    { name: 'etcd', ok: () => etcd },
  ],
});

describe('healthReport', () => {
  it.each([
    ['all pass, terse', readyz(true), false, undefined, 200, 'ok'],
    ['all pass, verbose', readyz(true), true, undefined, 200, '[+]ping ok\n[+]etcd ok\nreadyz check passed\n'],
    ['etcd down, terse', readyz(false), false, undefined, 503, '[+]ping ok\n[-]etcd failed: reason withheld\nreadyz check failed\n'],
    ['one check', readyz(false), false, 'ping', 200, 'ok'],
    ['one failing check', readyz(false), false, 'etcd', 503, '[-]etcd failed: reason withheld\nreadyz check failed\n'],
  ])('%s', (_name, endpoint, verbose, only, code, text) => {
    expect(healthReport(endpoint, verbose, only)).toEqual({ code, text });
  });

  it('has no report for an unknown check', () => {
    expect(healthReport(readyz(true), false, 'nope')).toBeUndefined();
  });
});
