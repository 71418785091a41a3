import { describe, expect, it } from 'vitest';
import type { Event } from '../api/types.js';
import { FakeApiClient } from '../client/fake.js';
import { createLogger } from '../client/log.js';
import { ApiEventRecorder } from './events.js';
import { makePod } from './testing.js';

describe('ApiEventRecorder', () => {
  it('writes an Event and counts repeats on it', async () => {
    const client = new FakeApiClient();
    const rec = new ApiEventRecorder(client, 'default-scheduler', createLogger('t', 'silent'));
    const pod = makePod('web');
    rec.event(pod, 'Warning', 'FailedScheduling', '0/1 nodes are available');
    await rec.flush();
    rec.event(pod, 'Warning', 'FailedScheduling', '0/1 nodes are available');
    rec.event(pod, 'Normal', 'Scheduled', 'Successfully assigned default/web to n1');
    await rec.flush();
    const items = (await client.for<Event>('events').list('default')).items;
    expect(items).toHaveLength(2);
    const failed = items.find((e) => e.reason === 'FailedScheduling')!;
    expect(failed).toMatchObject({ type: 'Warning', count: 2, involvedObject: { kind: 'Pod', name: 'web', namespace: 'default', uid: 'uid-web' }, source: { component: 'default-scheduler' } });
  });

  it('drops events beyond the backlog instead of blocking', async () => {
    const client = new FakeApiClient();
    const rec = new ApiEventRecorder(client, 'x', createLogger('t', 'silent'), { maxBacklog: 2, concurrency: 1 });
    for (let i = 0; i < 10; i++) rec.event(makePod(`p${i}`), 'Normal', 'Scheduled', 'ok');
    await rec.flush();
    expect((await client.for<Event>('events').list('default')).items.length).toBe(3);
  });
});
