import { describe, expect, it } from 'vitest';
import type { ConfigMap, KubeObject, WatchEvent } from '../api/types.js';
import { isGone } from './errors.js';
import { FakeApiClient } from './fake.js';
import { createLogger } from './log.js';
import { WatchLineDecoder, Watcher, errorFromWatchEvent } from './watch.js';

const cm = (name: string, data: Record<string, string> = {}): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data });

async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('WatchLineDecoder', () => {
  const events = [
    { type: 'ADDED', object: { kind: 'ConfigMap', metadata: { name: 'a', resourceVersion: '1' } } },
    { type: 'MODIFIED', object: { kind: 'ConfigMap', metadata: { name: 'ü-ñ', resourceVersion: '2' }, data: { big: 'x'.repeat(200_000) } } },
    { type: 'BOOKMARK', object: { kind: 'ConfigMap', metadata: { resourceVersion: '3' } } },
  ];
  const body = Buffer.from(events.map((e) => JSON.stringify(e)).join('\n') + '\n');

  it.each([1, 2, 3, 7, 64, 4096, body.length])('reassembles events from chunks of %i bytes', (size) => {
    const d = new WatchLineDecoder();
    const out: WatchEvent[] = [];
    for (let i = 0; i < body.length; i += size) out.push(...d.push(body.subarray(i, i + size)));
    out.push(...d.end());
    expect(out).toEqual(events);
  });

  it('takes a last line without a newline at the end, skips blank lines, and refuses a cut-off object', () => {
    const d = new WatchLineDecoder();
    expect(d.push('\n\n{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n\n{"type":"DELETED",')).toHaveLength(1);
    expect(() => d.end()).toThrow(/malformed event/);
    const d2 = new WatchLineDecoder();
    d2.push('{"type":"DELETED","object":{}}');
    expect(d2.end()).toEqual([{ type: 'DELETED', object: {} }]);
  });

  it('rejects a corrupt stream', () => {
    expect(() => new WatchLineDecoder().push('not json\n')).toThrow(/malformed event/);
    expect(() => new WatchLineDecoder().push('{"kind":"Status"}\n')).toThrow(/not a watch event/);
  });

  it('turns an ERROR event with a 410 Status into a GoneError', () => {
    const status = { kind: 'Status', apiVersion: 'v1', code: 410, reason: 'Expired', message: 'too old resource version: 5 (10)' };
    const err = errorFromWatchEvent({ type: 'ERROR', object: status as KubeObject });
    expect(isGone(err)).toBe(true);
  });
});

describe('Watcher', () => {
  it('resumes from the last resourceVersion when the server ends the stream, losing and repeating nothing', async () => {
    const fake = new FakeApiClient();
    const cms = fake.for<ConfigMap>('configmaps');
    const seen: string[] = [];
    const ac = new AbortController();
    const w = new Watcher(cms, {
      resourceVersion: fake.resourceVersion(),
      onEvent: (ev) => seen.push(`${ev.type} ${ev.object.metadata?.name}`),
      relist: () => Promise.reject(new Error('no relist expected')),
      backoffMs: 1,
    });
    const running = w.run(ac.signal);
    await cms.create('default', cm('a'));
    await until(() => seen.length === 1);
    fake.closeWatches();
    // Written while no watch is open: the next watch replays it from history.
    await cms.create('default', cm('b'));
    await cms.delete('default', 'a');
    await until(() => seen.length === 3);
    fake.closeWatches();
    fake.closeWatches();
    await cms.create('default', cm('c'));
    await until(() => seen.length === 4);
    expect(seen).toEqual(['ADDED a', 'ADDED b', 'DELETED a', 'ADDED c']);
    expect(w.resourceVersion()).toBe(fake.resourceVersion());
    ac.abort();
    await running;
    expect(fake.openWatches()).toBe(0);
  });

  it('moves its resume point on bookmarks without delivering them', async () => {
    const fake = new FakeApiClient();
    const cms = fake.for<ConfigMap>('configmaps');
    await fake.for('secrets').create('default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } });
    const seen: WatchEvent<ConfigMap>[] = [];
    const ac = new AbortController();
    const w = new Watcher(cms, { resourceVersion: '0', onEvent: (ev) => seen.push(ev), relist: async () => '0', backoffMs: 1 });
    const running = w.run(ac.signal);
    await until(() => fake.openWatches() === 1);
    fake.bookmark();
    await until(() => w.resourceVersion() === '1');
    expect(seen).toEqual([]);
    ac.abort();
    await running;
  });

  it('calls relist on 410 Gone and continues from the list resourceVersion', async () => {
    const fake = new FakeApiClient();
    const cms = fake.for<ConfigMap>('configmaps');
    const seen: string[] = [];
    let relists = 0;
    // Something else in the store, so the resume point is a real resourceVersion, not '0'.
    await fake.for('secrets').create('default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } });
    const ac = new AbortController();
    const w = new Watcher(cms, {
      resourceVersion: fake.resourceVersion(),
      onEvent: (ev) => seen.push(`${ev.type} ${ev.object.metadata?.name}`),
      relist: async () => {
        relists++;
        const list = await cms.list(undefined);
        seen.push(`LIST ${list.items.map((i) => i.metadata?.name).join(',')}`);
        return list.metadata.resourceVersion!;
      },
      backoffMs: 1,
    });
    const running = w.run(ac.signal);
    await until(() => fake.openWatches() === 1);
    fake.closeWatches();
    await cms.create('default', cm('a'));
    await cms.create('default', cm('b'));
    fake.compact();
    await until(() => relists === 1 && fake.openWatches() === 1);
    await cms.create('default', cm('c'));
    await until(() => seen.length === 2);
    expect(seen).toEqual(['LIST a,b', 'ADDED c']);
    ac.abort();
    await running;
  });

  it('sees an event again after its handler threw, instead of skipping it', async () => {
    const fake = new FakeApiClient();
    const cms = fake.for<ConfigMap>('configmaps');
    const seen: string[] = [];
    let failOnce = true;
    // A real resume point (not '0', which replays the current state whatever happened).
    await fake.for('secrets').create('default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } });
    const ac = new AbortController();
    const running = new Watcher(cms, {
      resourceVersion: fake.resourceVersion(),
      onEvent: (ev) => {
        seen.push(ev.object.metadata!.name!);
        if (failOnce) {
          failOnce = false;
          throw new Error('handler failed');
        }
      },
      relist: () => Promise.reject(new Error('no relist expected')),
      backoffMs: 1,
      logger: createLogger('test', 'silent'),
    }).run(ac.signal);
    await cms.create('default', cm('a'));
    await until(() => seen.length === 2);
    expect(seen).toEqual(['a', 'a']);
    ac.abort();
    await running;
  });

  it('backs off and retries when a watch request fails', async () => {
    const fake = new FakeApiClient();
    const cms = fake.for<ConfigMap>('configmaps');
    fake.failNext('watch', 'configmaps', new Error('connect ECONNREFUSED'), 3);
    const seen: string[] = [];
    const ac = new AbortController();
    const running = new Watcher(cms, { resourceVersion: '0', onEvent: (ev) => seen.push(ev.object.metadata!.name!), relist: async () => '0', backoffMs: 1, maxBackoffMs: 5 }).run(ac.signal);
    await until(() => fake.openWatches() === 1);
    await cms.create('default', cm('a'));
    await until(() => seen.length === 1);
    ac.abort();
    await running;
  });
});
