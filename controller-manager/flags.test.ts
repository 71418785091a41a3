import { describe, expect, it } from 'vitest';
import { parseFlags } from './flags.js';
import { enabledControllers } from './manager.js';

describe('parseFlags', () => {
  it('has kube-controller-manager defaults', () => {
    const f = parseFlags([]);
    expect(f.leaderElect).toBe(true);
    expect(f.securePort).toBe(10257);
    expect(f.manager).toMatchObject({ clusterCidr: '10.244.0.0/16', nodeCidrMaskSize: 24, nodeMonitorGracePeriodMs: 40_000, nodeMonitorPeriodMs: 5_000, controllers: ['*'] });
    expect(f.manager.concurrency).toMatchObject({ replicaset: 5, deployment: 5, garbagecollector: 20 });
  });

  it('takes durations, booleans and counts under upstream names', () => {
    const f = parseFlags([
      '--kubeconfig', '/k', '--leader-elect=false', '--node-monitor-grace-period', '4s', '--node-monitor-period=500ms',
      '--concurrent-replicaset-syncs', '2', '--concurrent-gc-syncs=3', '--controllers', '*,-nodeipam', '--leader-elect-lease-duration', '3s', '--v', '4',
    ]);
    expect(f).toMatchObject({ kubeconfig: '/k', leaderElect: false, leaseDurationMs: 3000, logLevel: 'trace' });
    expect(f.manager).toMatchObject({ nodeMonitorGracePeriodMs: 4000, nodeMonitorPeriodMs: 500, controllers: ['*', '-nodeipam'] });
    expect(f.manager.concurrency).toMatchObject({ replicaset: 2, garbagecollector: 3 });
  });

  it.each([['--controllers', 'replicaset,bogus'], ['--node-monitor-period', '5'], ['--leader-elect', 'maybe']])('rejects %s %s', (...argv) => {
    expect(() => parseFlags(argv)).toThrow();
  });
});

describe('enabledControllers', () => {
  it.each([
    { spec: ['*'], has: ['replicaset', 'deployment', 'garbagecollector', 'nodeipam'], hasNot: [] },
    { spec: ['*', '-garbagecollector'], has: ['replicaset'], hasNot: ['garbagecollector'] },
    { spec: ['replicaset'], has: ['replicaset'], hasNot: ['deployment'] },
  ])('$spec', ({ spec, has, hasNot }) => {
    const on = enabledControllers(spec);
    for (const n of has) expect(on).toContain(n);
    for (const n of hasNot) expect(on).not.toContain(n);
  });
});
