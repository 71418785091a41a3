import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/types.js';
import { CacheWatcher, ParsedEvent, eventForWatcher, type CacheEvent, type WatcherSpec } from './cache-watcher.js';
import { watchEventLine } from './serialized.js';
import type { RawWatchEvent } from './store.js';

const obj = (app: string | undefined, ns = 'a') => JSON.stringify({ metadata: { name: 'p', namespace: ns, labels: app ? { app } : {} } });
const web: WatcherSpec = { bookmarks: false, filter: { matches: (o: KubeObject) => o.metadata?.labels?.app === 'web' } };

function event(type: CacheEvent['type'], now: string, before?: string, namespace = 'a'): CacheEvent {
  return { type, revision: 7, namespace, raw: now, prevRaw: before };
}

describe('eventForWatcher', () => {
  it.each([
    { name: 'no filter passes everything', spec: { bookmarks: false }, e: event('MODIFIED', obj('db'), obj('db')), want: 'MODIFIED' },
    { name: 'other namespace is dropped', spec: { bookmarks: false, namespace: 'b' }, e: event('ADDED', obj('web')), want: undefined },
    { name: 'same namespace passes', spec: { bookmarks: false, namespace: 'a' }, e: event('ADDED', obj('web')), want: 'ADDED' },
    { name: 'added, matching', spec: web, e: event('ADDED', obj('web')), want: 'ADDED' },
    { name: 'added, not matching', spec: web, e: event('ADDED', obj('db')), want: undefined },
    { name: 'modified, matching before and after', spec: web, e: event('MODIFIED', obj('web'), obj('web')), want: 'MODIFIED' },
    { name: 'modified into the selector', spec: web, e: event('MODIFIED', obj('web'), obj('db')), want: 'ADDED' },
    { name: 'modified out of the selector', spec: web, e: event('MODIFIED', obj('db'), obj('web')), want: 'DELETED' },
    { name: 'modified, never matching', spec: web, e: event('MODIFIED', obj('db'), obj(undefined)), want: undefined },
    { name: 'deleted, was matching', spec: web, e: event('DELETED', obj('web'), obj('web')), want: 'DELETED' },
    { name: 'deleted, was not matching', spec: web, e: event('DELETED', obj('db'), obj('db')), want: undefined },
  ])('$name', ({ spec, e, want }) => {
    const out = eventForWatcher(spec, new ParsedEvent(e));
    expect(out?.type).toBe(want);
    if (out) expect(out.object).toBe(e.raw);
  });

  it('parses an event once however many watchers look at it', () => {
    let calls = 0;
    const counting: WatcherSpec = { bookmarks: false, filter: { matches: () => (calls++, true) } };
    const parsed = new ParsedEvent(event('MODIFIED', obj('web'), obj('web')));
    const first = parsed.object;
    for (let i = 0; i < 5; i++) eventForWatcher(counting, parsed);
    expect(parsed.object).toBe(first);
    expect(calls).toBe(10);
  });

  it('hands every watcher sent the same type the same event, so its line is built once', () => {
    const parsed = new ParsedEvent(event('MODIFIED', obj('web'), obj('db')));
    const plain: WatcherSpec = { bookmarks: false };
    const a = eventForWatcher(plain, parsed);
    expect(eventForWatcher(plain, parsed)).toBe(a);
    // A selector watcher sees the object enter its selection: a different type, a different event.
    const added = eventForWatcher(web, parsed);
    expect(added?.type).toBe('ADDED');
    expect(added).not.toBe(a);
    expect(eventForWatcher(web, parsed)).toBe(added);
    expect(watchEventLine(added as RawWatchEvent)).toBe(`{"type":"ADDED","object":${obj('web')}}\n`);
    expect(watchEventLine(a as RawWatchEvent)).toBe(`{"type":"MODIFIED","object":${obj('web')}}\n`);
  });
});

describe('CacheWatcher', () => {
  const e = (n: number): RawWatchEvent => ({ type: 'ADDED', object: `{"n":${n}}` });

  it('delivers initial then live events in order, and ends after what was queued', async () => {
    const w = new CacheWatcher({ bookmarks: false }, 2, () => undefined);
    w.pushInitial(e(1));
    w.pushInitial(e(2));
    w.pushInitial(e(3));
    expect(w.push(e(4))).toBe(true); // the initial burst does not count against the buffer
    w.end();
    const got: unknown[] = [];
    for await (const ev of w) got.push(ev.object);
    expect(got).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
  });

  it('refuses live events beyond its buffer, and unregisters when closed', async () => {
    let unregistered = 0;
    const w = new CacheWatcher({ bookmarks: false }, 2, () => unregistered++);
    expect([w.push(e(1)), w.push(e(2)), w.push(e(3))]).toEqual([true, true, false]);
    const it = w.rawEvents()[Symbol.asyncIterator]();
    expect((await it.next()).value).toEqual(e(1));
    expect(w.push(e(3))).toBe(true);
    await it.return?.(undefined);
    expect(unregistered).toBe(1);
    expect(w.isEnded).toBe(true);
  });

  it('wakes a waiting reader when an event arrives', async () => {
    const w = new CacheWatcher({ bookmarks: false }, 10, () => undefined);
    const it = w.rawEvents()[Symbol.asyncIterator]();
    const next = it.next();
    setTimeout(() => w.push(e(9)), 5);
    expect((await next).value).toEqual(e(9));
    w.close();
    expect((await it.next()).done).toBe(true);
  });
});
