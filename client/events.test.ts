import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Event, Node, Pod } from '../api/types.js';
import { createEventRecorder } from './events.js';
import { FakeApiClient } from './fake.js';
import { createLogger } from './log.js';

const silent = createLogger('test', 'silent');
const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'ns', uid: 'u-1', resourceVersion: '7' } };

async function eventsIn(fake: FakeApiClient, ns?: string): Promise<Event[]> {
  return (await fake.for<Event>('events').list(ns)).items;
}

describe('EventRecorder', () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z'), toFake: ['Date'] }));
  afterEach(() => vi.useRealTimers());

  it('writes a core/v1 Event about the object', async () => {
    const fake = new FakeApiClient();
    const rec = createEventRecorder({ client: fake, component: 'default-scheduler', host: 'cp-1', logger: silent });
    rec.event(pod, 'Normal', 'Scheduled', 'Successfully assigned ns/web-1 to node-1');
    await rec.flush();
    const [ev] = await eventsIn(fake, 'ns');
    expect(ev).toMatchObject({
      involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace: 'ns', name: 'web-1', uid: 'u-1', resourceVersion: '7' },
      reason: 'Scheduled',
      message: 'Successfully assigned ns/web-1 to node-1',
      type: 'Normal',
      source: { component: 'default-scheduler', host: 'cp-1' },
      reportingComponent: 'default-scheduler',
      reportingInstance: 'cp-1',
      firstTimestamp: '2026-01-01T00:00:00Z',
      lastTimestamp: '2026-01-01T00:00:00Z',
      count: 1,
    });
    expect(ev.metadata?.name).toMatch(/^web-1\.[0-9a-f]+$/);
  });

  it('aggregates repeats within 10 minutes into one Event by patching count and lastTimestamp', async () => {
    const fake = new FakeApiClient();
    const rec = createEventRecorder({ client: fake, component: 'kubelet', host: 'node-1', logger: silent });
    rec.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    rec.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await rec.flush();
    vi.setSystemTime(new Date('2026-01-01T00:05:00Z'));
    rec.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await rec.flush();
    let events = await eventsIn(fake);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ count: 3, firstTimestamp: '2026-01-01T00:00:00Z', lastTimestamp: '2026-01-01T00:05:00Z' });
    // The two queued together went out as one create; the later one as one patch.
    expect(fake.actions().map((a) => a.verb)).toEqual(['create', 'patch']);

    // A different message is a different Event; past the window a repeat starts a new one.
    rec.event(pod, 'Warning', 'BackOff', 'something else');
    vi.setSystemTime(new Date('2026-01-01T00:16:00Z'));
    rec.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await rec.flush();
    events = await eventsIn(fake);
    expect(events.map((e) => e.count).sort()).toEqual([1, 1, 3]);
  });

  it('creates a new Event when the aggregated one has expired', async () => {
    const fake = new FakeApiClient();
    const rec = createEventRecorder({ client: fake, component: 'c', logger: silent });
    rec.event(pod, 'Normal', 'Pulled', 'pulled');
    await rec.flush();
    const [first] = await eventsIn(fake);
    await fake.for('events').delete('ns', first.metadata!.name!);
    rec.event(pod, 'Normal', 'Pulled', 'pulled');
    await rec.flush();
    expect((await eventsIn(fake)).map((e) => e.count)).toEqual([1]);
  });

  it('drops a flood about one object beyond the burst, not events about others', async () => {
    const fake = new FakeApiClient();
    const rec = createEventRecorder({ client: fake, component: 'c', burst: 5, logger: silent });
    for (let i = 0; i < 20; i++) rec.event(pod, 'Normal', 'Tick', `tick ${i}`);
    const node: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', uid: 'n' } };
    rec.event(node, 'Normal', 'NodeReady', 'ready');
    await rec.flush();
    expect((await eventsIn(fake, 'ns')).length).toBe(5);
    // Cluster-scoped objects' events go to `default`.
    expect((await eventsIn(fake, 'default')).map((e) => e.reason)).toEqual(['NodeReady']);
  });

  it('never throws into the caller', async () => {
    const fake = new FakeApiClient();
    fake.failNext('create', 'events', new Error('server down'), 10);
    const rec = createEventRecorder({ client: fake, component: 'c', logger: silent });
    expect(() => rec.event(pod, 'Normal', 'X', 'y')).not.toThrow();
    expect(() => rec.event({ metadata: {} }, 'Normal', 'X', 'y')).not.toThrow();
    await rec.flush();
    expect(await eventsIn(fake)).toEqual([]);
  });
});
