import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Lease } from '../api/types.js';
import { FakeApiClient } from './fake.js';
import { LeaderElector, leaderElectionTimings, microTime } from './leaderelection.js';
import { createLogger } from './log.js';

const silent = createLogger('test', 'silent');
const TIMINGS = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

interface Candidate {
  elector: LeaderElector;
  abort: AbortController;
  done: Promise<void>;
  events: string[];
}

function candidate(fake: FakeApiClient, identity: string, opts: Partial<typeof TIMINGS> = {}): Candidate {
  const events: string[] = [];
  const elector = new LeaderElector({
    client: fake,
    namespace: 'kube-system',
    name: 'skiff-scheduler',
    identity,
    ...TIMINGS,
    ...opts,
    logger: silent,
    callbacks: {
      onStartedLeading: (signal) => {
        events.push('started');
        signal.addEventListener('abort', () => events.push('signal aborted'));
      },
      onStoppedLeading: () => events.push('stopped'),
      onNewLeader: (id) => events.push(`leader ${id}`),
    },
  });
  const abort = new AbortController();
  return { elector, abort, done: elector.run(abort.signal), events };
}

const lease = (fake: FakeApiClient) => fake.for<Lease>('leases').get('kube-system', 'skiff-scheduler');

/** Advances fake time in small steps, failing if two candidates ever lead at once. */
async function advance(ms: number, candidates: Candidate[]): Promise<void> {
  for (let t = 0; t < ms; t += 100) {
    await vi.advanceTimersByTimeAsync(100);
    expect(candidates.filter((c) => c.elector.isLeader()).length).toBeLessThanOrEqual(1);
  }
}

describe('LeaderElector', () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }));
  afterEach(() => vi.useRealTimers());

  it('creates the lease when absent, leads, and renews every retry period', async () => {
    const fake = new FakeApiClient();
    const a = candidate(fake, 'a');
    await advance(100, [a]);
    expect(a.elector.isLeader()).toBe(true);
    expect(a.events).toEqual(['leader a', 'started']);
    const first = await lease(fake);
    expect(first.spec).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0, acquireTime: '2026-01-01T00:00:00.000000Z' });
    await advance(4_100, [a]);
    const renewed = await lease(fake);
    expect(renewed.spec?.renewTime).toBe('2026-01-01T00:00:04.000000Z');
    expect(renewed.spec?.acquireTime).toBe(first.spec?.acquireTime);
    a.abort.abort();
    await a.done;
  });

  it('keeps one leader between two candidates and fails over once the holder stops renewing', async () => {
    const fake = new FakeApiClient();
    const a = candidate(fake, 'a');
    await advance(100, [a]);
    const b = candidate(fake, 'b');
    await advance(20_000, [a, b]);
    expect(a.elector.isLeader()).toBe(true);
    expect(b.elector.isLeader()).toBe(false);
    expect(b.events).toEqual(['leader a']);

    // a's renewals now fail (say, its network is cut).
    const failAt = Date.now();
    fake.prependReactor('update', 'leases', (action) => ((action.object as Lease).spec?.holderIdentity === 'a' ? new Error('connection reset') : undefined));
    await advance(30_000, [a, b]);
    expect(a.events).toEqual(['leader a', 'started', 'signal aborted', 'stopped']);
    expect(b.elector.isLeader()).toBe(true);
    const l = await lease(fake);
    expect(l.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    // b waited out the lease from its own last observation of a renewal.
    const takeover = Date.parse(l.spec!.acquireTime!);
    expect(takeover - failAt).toBeGreaterThanOrEqual(15_000 - 2_000);
    expect(takeover - failAt).toBeLessThanOrEqual(15_000 + 2 * 2_400);
    await a.done;
    b.abort.abort();
    await b.done;
  });

  it('releases the lease on shutdown so the standby takes over at once', async () => {
    const fake = new FakeApiClient();
    const a = candidate(fake, 'a');
    await advance(100, [a]);
    const b = candidate(fake, 'b');
    await advance(5_000, [a, b]);
    a.abort.abort();
    await advance(100, [a, b]);
    await a.done;
    expect(a.events.slice(-1)).toEqual(['stopped']);
    expect((await lease(fake)).spec?.holderIdentity).toBeUndefined();
    await advance(2_500, [a, b]);
    expect(b.elector.isLeader()).toBe(true);
    b.abort.abort();
    await b.done;
  });

  it('judges expiry by its own observation time, not the holder\'s renewTime', async () => {
    const fake = new FakeApiClient();
    // A lease last renewed a day ago by a holder whose clock may be wrong.
    await fake.for<Lease>('leases').create('kube-system', {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'skiff-scheduler' },
      spec: { holderIdentity: 'ghost', leaseDurationSeconds: 15, renewTime: microTime(Date.now() - 86_400_000), leaseTransitions: 3 },
    });
    const a = candidate(fake, 'a');
    await advance(14_000, [a]);
    expect(a.elector.isLeader()).toBe(false);
    await advance(3_500, [a]);
    expect(a.elector.isLeader()).toBe(true);
    expect((await lease(fake)).spec).toMatchObject({ holderIdentity: 'a', leaseTransitions: 4 });
    a.abort.abort();
    await a.done;
  });

  it('lets only one of three simultaneous candidates win a free lease', async () => {
    const fake = new FakeApiClient();
    const cs = ['a', 'b', 'c'].map((id) => candidate(fake, id));
    await advance(10_000, cs);
    expect(cs.filter((c) => c.elector.isLeader())).toHaveLength(1);
    for (const c of cs) c.abort.abort();
    await vi.advanceTimersByTimeAsync(100);
    await Promise.all(cs.map((c) => c.done));
  });

  it('checks its timings and maps the kube-style flags', () => {
    expect(leaderElectionTimings({ leaseDuration: '4s', renewDeadline: '3s', retryPeriod: '500ms' })).toEqual({ leaseDurationMs: 4000, renewDeadlineMs: 3000, retryPeriodMs: 500 });
    expect(leaderElectionTimings({})).toEqual(TIMINGS);
    expect(() => candidate(new FakeApiClient(), 'x', { leaseDurationMs: 5_000, renewDeadlineMs: 5_000 })).toThrow(/lease duration must be greater/);
    expect(() => candidate(new FakeApiClient(), 'x', { renewDeadlineMs: 2_000 })).toThrow(/renew deadline must be greater/);
  });
});
