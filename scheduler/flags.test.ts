import { describe, expect, it } from 'vitest';
import { settingsFrom } from './app.js';
import { parseFlags } from './flags.js';

describe('skiff-scheduler flags', () => {
  it('defaults', () => {
    const f = parseFlags([]);
    expect(f).toMatchObject({ bindAddress: '0.0.0.0', securePort: 10259 });
    expect(f.podMaxInUnschedulablePodsDuration).toBeUndefined();
    expect(f.leaderElect).toBeUndefined();
  });

  it.each<[string[], boolean | undefined]>([
    [['--leader-elect'], true],
    [['--leader-elect=true'], true],
    [['--leader-elect=false'], false],
    [[], undefined],
  ])('%j → leaderElect %s', (argv, want) => {
    expect(parseFlags(argv).leaderElect).toBe(want);
  });

  it('durations take Go syntax', () => {
    const f = parseFlags(['--leader-elect-lease-duration=3s', '--leader-elect-renew-deadline=2s', '--leader-elect-retry-period=250ms', '--pod-initial-backoff=100ms', '--pod-max-backoff=1s', '--pod-max-in-unschedulable-pods-duration=1m']);
    expect([f.leaderElectLeaseDuration, f.leaderElectRenewDeadline, f.leaderElectRetryPeriod, f.podInitialBackoff, f.podMaxBackoff, f.podMaxInUnschedulablePodsDuration]).toEqual([3000, 2000, 250, 100, 1000, 60_000]);
  });

  it('bad values are refused', () => {
    expect(() => parseFlags(['--leader-elect-lease-duration=soon'])).toThrow(/invalid duration/);
    expect(() => parseFlags(['--secure-port=-1'])).toThrow(/invalid number/);
  });

  it('explicit flags override the config file; the rest comes from it or the defaults', () => {
    const s = settingsFrom(parseFlags(['--leader-elect', '--leader-elect-lease-duration=4s', '--pod-max-backoff=2s']));
    expect(s.leaderElection).toMatchObject({ leaderElect: true, leaseDurationMs: 4000, renewDeadlineMs: 10_000, resourceName: 'kube-scheduler' });
    expect([s.podInitialBackoffMs, s.podMaxBackoffMs]).toEqual([1000, 2000]);
  });
});
