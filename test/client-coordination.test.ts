// Leader election and event recording against the real API server: two electors on one
// Lease with one active and failover once the holder stops renewing; repeated events
// aggregated into one Event whose count goes up.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event, Lease, Pod } from '../api/types.js';
import { createEventRecorder } from '../client/events.js';
import { LeaderElector } from '../client/leaderelection.js';
import { createLogger } from '../client/log.js';
import { RestClient, restClientFromKubeconfig } from '../client/rest.js';
import { startTestApiServer, type TestApiServer } from './harness/apiserver.js';
import { waitFor } from './harness/ports.js';

const silent = createLogger('test', 'silent');
let api: TestApiServer;
const clients: RestClient[] = [];

function newClient(): RestClient {
  const c = restClientFromKubeconfig({ kubeconfig: api.kubeconfigPath }, { logger: silent, backoffMs: 50, maxRetries: 1, timeoutMs: 2000 });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  api = await startTestApiServer();
});

afterAll(async () => {
  for (const c of clients) c.close();
  await api?.stop();
});

// Short timers, as the --leader-elect-* flags would set them in a test.
const TIMINGS = { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 500 };

describe('leader election on the API server', () => {
  it('keeps one leader of two, and the standby takes over once the holder stops renewing', async () => {
    const leading = new Set<string>();
    let overlap = false;
    const start = (identity: string) => {
      const abort = new AbortController();
      const elector = new LeaderElector({
        client: newClient(),
        namespace: 'kube-system',
        name: 'client-test',
        identity,
        ...TIMINGS,
        // A crashed holder does not release: the standby must wait the lease out.
        releaseOnCancel: false,
        logger: silent,
        callbacks: {
          onStartedLeading: () => {
            leading.add(identity);
            if (leading.size > 1) overlap = true;
          },
          onStoppedLeading: () => leading.delete(identity),
        },
      });
      return { elector, abort, done: elector.run(abort.signal) };
    };
    const a = start('a');
    await waitFor('a to lead', async () => a.elector.isLeader());
    const b = start('b');
    try {
      // Several lease durations with both running: a keeps renewing, b stays standby.
      await new Promise((r) => setTimeout(r, 2 * TIMINGS.leaseDurationMs));
      expect([a.elector.isLeader(), b.elector.isLeader()]).toEqual([true, false]);
      expect(b.elector.leader()).toBe('a');

      const stoppedAt = Date.now();
      a.abort.abort();
      await a.done;
      await waitFor('b to take over', async () => b.elector.isLeader(), 15_000, 50);
      const took = Date.now() - stoppedAt;
      // Not before the lease (as b last saw it renewed) ran out, and not long after.
      expect(took).toBeGreaterThanOrEqual(TIMINGS.leaseDurationMs - TIMINGS.retryPeriodMs - 200);
      expect(took).toBeLessThan(TIMINGS.leaseDurationMs + 3 * TIMINGS.retryPeriodMs + 1000);
      const lease = await newClient().for<Lease>('leases').get('kube-system', 'client-test');
      expect(lease.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1, leaseDurationSeconds: 3 });
      expect(overlap).toBe(false);
    } finally {
      a.abort.abort();
      b.abort.abort();
      await Promise.all([a.done, b.done]);
    }
  });
});

describe('event recorder on the API server', () => {
  it('aggregates repeats into one Event whose count goes up', async () => {
    const client = newClient();
    const pod = await client.for<Pod>('pods').create('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'evented' },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    });
    const recorder = createEventRecorder({ client, component: 'client-test', host: 'node-x', logger: silent });
    recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await recorder.flush();
    recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await recorder.flush();
    recorder.event(pod, 'Normal', 'Pulled', 'Container image "busybox" already present on machine');
    await recorder.flush();

    const events = (await client.for<Event>('events').list('default', { fieldSelector: 'involvedObject.name=evented' })).items;
    const backoff = events.filter((e) => e.reason === 'BackOff');
    expect(backoff).toHaveLength(1);
    expect(backoff[0]).toMatchObject({
      count: 3,
      type: 'Warning',
      involvedObject: { kind: 'Pod', name: 'evented', namespace: 'default', uid: pod.metadata?.uid },
      source: { component: 'client-test', host: 'node-x' },
      reportingComponent: 'client-test',
    });
    expect(events.filter((e) => e.reason === 'Pulled').map((e) => e.count)).toEqual([1]);
  });
});
