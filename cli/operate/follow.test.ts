import { describe, expect, it } from 'vitest';
import type { ConfigMap, KubeObject } from '../../api/types.js';
import { FakeApiClient } from '../../client/fake.js';
import { follow, ObjectDeleted } from './follow.js';

type Settings = ConfigMap & KubeObject;
const settings = (mode: string, name = 'settings'): Settings => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { mode } });
const tick = () => new Promise((r) => setTimeout(r, 20));

describe('follow', () => {
  it('returns at once when the condition already holds', async () => {
    const fake = new FakeApiClient();
    const cms = fake.for<Settings>('configmaps');
    await cms.create('default', settings('ready'));
    await follow(cms, 'default', 'settings', (o) => o.data?.mode === 'ready', new AbortController().signal);
  });

  it('waits for the change that makes it hold, ignoring other objects', async () => {
    const fake = new FakeApiClient();
    const cms = fake.for<Settings>('configmaps');
    await cms.create('default', settings('starting'));
    await cms.create('default', settings('starting', 'other'));
    const seen: string[] = [];
    const done = follow(cms, 'default', 'settings', (o) => (seen.push(`${o.metadata?.name}:${o.data?.mode}`), o.data?.mode === 'ready'), new AbortController().signal);
    await tick();
    await cms.patch('default', 'other', 'merge', { data: { mode: 'ready' } });
    await cms.patch('default', 'settings', 'merge', { data: { mode: 'warming' } });
    await cms.patch('default', 'settings', 'merge', { data: { mode: 'ready' } });
    await done;
    expect(seen).toEqual(['settings:starting', 'settings:warming', 'settings:ready']);
  });

  it('fails when the object is deleted, or with what the check throws, or when aborted', async () => {
    const fake = new FakeApiClient();
    const cms = fake.for<Settings>('configmaps');
    await cms.create('default', settings('starting'));
    const deleted = follow(cms, 'default', 'settings', () => false, new AbortController().signal);
    await tick();
    await cms.delete('default', 'settings');
    await expect(deleted).rejects.toBeInstanceOf(ObjectDeleted);

    await cms.create('default', settings('starting'));
    const failing = follow(cms, 'default', 'settings', (o) => {
      if (o.data?.mode === 'broken') throw new Error('it broke');
      return false;
    }, new AbortController().signal);
    await tick();
    await cms.patch('default', 'settings', 'merge', { data: { mode: 'broken' } });
    await expect(failing).rejects.toThrow('it broke');

    const stop = new AbortController();
    const waiting = follow(cms, 'default', 'settings', () => false, stop.signal);
    await tick();
    stop.abort(new Error('timed out'));
    await expect(waiting).rejects.toThrow('timed out');
  });
});
