import { describe, expect, it } from 'vitest';
import type { Lease } from '../api/types.js';
import { FakeApiClient } from '../client/fake.js';
import { createLogger } from '../client/log.js';
import { LeaderElector } from './leader-election.js';

function elector(client: FakeApiClient, identity: string, clock: { t: number }) {
  return new LeaderElector({
    client, namespace: 'kube-system', name: 'kube-scheduler', identity,
    leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000,
    callbacks: { onStartedLeading: () => {}, onStoppedLeading: () => {} },
    logger: createLogger('le-test', 'silent'),
    now: () => clock.t,
  });
}

const holder = async (client: FakeApiClient) => (await client.for<Lease>('leases').get('kube-system', 'kube-scheduler')).spec;

describe('LeaderElector.tryAcquireOrRenew', () => {
  it('one round at a time: first takes, second waits until the lease expires unobserved-renewed', async () => {
    const client = new FakeApiClient();
    const clock = { t: 1_000_000 };
    const a = elector(client, 'a', clock);
    const b = elector(client, 'b', clock);
    expect(await a.tryAcquireOrRenew()).toBe(true);
    expect(await b.tryAcquireOrRenew()).toBe(false);
    clock.t += 5_000;
    expect(await a.tryAcquireOrRenew()).toBe(true);
    clock.t += 14_000;
    // b saw a new renewTime 14 s ago? No: b last looked before a's renewal, so it observes it now.
    expect(await b.tryAcquireOrRenew()).toBe(false);
    clock.t += 14_999;
    expect(await b.tryAcquireOrRenew()).toBe(false);
    clock.t += 1;
    expect(await b.tryAcquireOrRenew()).toBe(true);
    expect(await holder(client)).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1, leaseDurationSeconds: 15 });
    expect(await a.tryAcquireOrRenew()).toBe(false);
  });

  it('leads, and hands over on shutdown by releasing the lease', async () => {
    const client = new FakeApiClient();
    const started: string[] = [];
    const mk = (identity: string) =>
      new LeaderElector({
        client, namespace: 'kube-system', name: 'kube-scheduler', identity,
        leaseDurationMs: 3000, renewDeadlineMs: 200, retryPeriodMs: 50,
        callbacks: { onStartedLeading: () => void started.push(identity), onStoppedLeading: () => {} },
        logger: createLogger('le-test', 'silent'),
      });
    const ca = new AbortController();
    const cb = new AbortController();
    const runA = mk('a').run(ca.signal);
    await new Promise((r) => setTimeout(r, 100));
    const runB = mk('b').run(cb.signal);
    await new Promise((r) => setTimeout(r, 200));
    expect(started).toEqual(['a']);
    ca.abort();
    await runA;
    await new Promise((r) => setTimeout(r, 200));
    expect(started).toEqual(['a', 'b']);
    cb.abort();
    await runB;
  });
});
