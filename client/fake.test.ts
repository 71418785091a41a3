import { describe, expect, it } from 'vitest';
import type * as api from '../api/types.js';
import type { KubeObject, WatchEvent } from '../api/types.js';
import { isAlreadyExists, isConflict, isGone, isNotFound, statusErrors } from './errors.js';
import { FakeApiClient } from './fake.js';

type Pod = api.Pod & KubeObject;
type Deployment = api.Deployment & KubeObject;
type ConfigMap = api.ConfigMap & KubeObject;

const pod = (name: string, labels: Record<string, string> = {}, namespace = 'default'): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels },
  spec: { containers: [{ name: 'c', image: 'busybox' }] },
});

const flush = () => new Promise((r) => setImmediate(r));

describe('FakeApiClient', () => {
  it('sets server-owned metadata on create and answers 404/409', async () => {
    const fake = new FakeApiClient();
    const pods = fake.for<Pod>('pods');
    const created = await pods.create('ns1', pod('a', {}, 'ns1'));
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.resourceVersion).toBe('1');
    expect(created.metadata?.generation).toBe(1);
    expect(created.metadata?.creationTimestamp).toMatch(/Z$/);
    await expect(pods.create('ns1', pod('a', {}, 'ns1'))).rejects.toSatisfy(isAlreadyExists);
    await expect(pods.get('ns1', 'missing')).rejects.toSatisfy(isNotFound);
    await expect(pods.get('other', 'a')).rejects.toSatisfy(isNotFound);
  });

  it('rejects a stale update with Conflict and bumps generation only on spec changes', async () => {
    const fake = new FakeApiClient();
    const deps = fake.for<Deployment>('deployments');
    const d = await deps.create('default', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1, selector: {}, template: {} } });
    const scaled = await deps.update({ ...d, spec: { ...d.spec!, replicas: 3 } });
    expect(scaled.metadata?.generation).toBe(2);
    const relabelled = await deps.update({ ...scaled, metadata: { ...scaled.metadata, labels: { a: 'b' } } });
    expect(relabelled.metadata?.generation).toBe(2);
    await expect(deps.update({ ...d, spec: { ...d.spec!, replicas: 5 } })).rejects.toSatisfy(isConflict);
    // The main resource ignores status; /status changes only status.
    const withStatus = await deps.updateStatus({ ...relabelled, status: { replicas: 3 }, spec: { ...relabelled.spec!, replicas: 9 } });
    expect(withStatus.status?.replicas).toBe(3);
    expect(withStatus.spec?.replicas).toBe(3);
    const ignored = await deps.update({ ...withStatus, status: { replicas: 0 } });
    expect(ignored.status?.replicas).toBe(3);
  });

  it.each([
    ['app=web', ['a', 'b']],
    ['app=web,tier=front', ['a']],
    ['app!=web', ['c']],
    ['tier', ['a', 'c']],
    ['!tier', ['b']],
    ['tier in (front, back)', ['a', 'c']],
    ['tier notin (front)', ['b', 'c']],
  ])('lists with label selector %s', async (selector, names) => {
    const fake = new FakeApiClient({
      objects: [pod('a', { app: 'web', tier: 'front' }), pod('b', { app: 'web' }), pod('c', { app: 'db', tier: 'back' })],
    });
    const list = await fake.for<Pod>('pods').list('default', { labelSelector: selector });
    expect(list.items.map((p) => p.metadata?.name)).toEqual(names);
  });

  it('filters by field selector and pages with limit/continue', async () => {
    const fake = new FakeApiClient({ objects: ['a', 'b', 'c', 'd', 'e'].map((n) => pod(n)) });
    const pods = fake.for<Pod>('pods');
    await fake.bindPod('default', 'b', 'node-1');
    await fake.bindPod('default', 'd', 'node-1');
    expect((await pods.list(undefined, { fieldSelector: 'spec.nodeName=node-1' })).items.map((p) => p.metadata?.name)).toEqual(['b', 'd']);
    expect((await pods.list(undefined, { fieldSelector: 'spec.nodeName=' })).items.map((p) => p.metadata?.name)).toEqual(['a', 'c', 'e']);
    const names: string[] = [];
    let cont: string | undefined;
    let pages = 0;
    do {
      const page = await pods.list('default', { limit: 2, continue: cont });
      names.push(...page.items.map((p) => p.metadata!.name!));
      cont = page.metadata.continue;
      pages++;
    } while (cont);
    expect(names).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(pages).toBe(3);
  });

  it('logs writes as actions, with bind and evict as subresource creates', async () => {
    const fake = new FakeApiClient({ objects: [pod('a')] });
    const cms = fake.for<ConfigMap>('configmaps');
    await cms.create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { k: 'v' } });
    await cms.patch('default', 'cfg', 'merge', { data: { k: null, x: 'y' } });
    await cms.get('default', 'cfg');
    await fake.bindPod('default', 'a', 'n1');
    await fake.evictPod('default', 'a');
    await cms.delete('default', 'cfg');
    expect(fake.actions().map((a) => [a.verb, a.resource, a.subresource ?? '', a.namespace, a.name])).toEqual([
      ['create', 'configmaps', '', 'default', 'cfg'],
      ['patch', 'configmaps', '', 'default', 'cfg'],
      ['create', 'pods', 'binding', 'default', 'a'],
      ['create', 'pods', 'eviction', 'default', 'a'],
      ['delete', 'configmaps', '', 'default', 'cfg'],
    ]);
    expect(fake.actions()[1]).toMatchObject({ patchType: 'merge', object: { data: { k: null, x: 'y' } } });
    await expect(fake.for('pods').get('default', 'a')).rejects.toSatisfy(isNotFound);
  });

  it('refuses to bind a pod twice and applies json patches', async () => {
    const fake = new FakeApiClient({ objects: [pod('a', { x: '1' })] });
    await fake.bindPod('default', 'a', 'n1');
    await expect(fake.bindPod('default', 'a', 'n2')).rejects.toSatisfy(isConflict);
    const patched = await fake.for<Pod>('pods').patch('default', 'a', 'json', [
      { op: 'add', path: '/metadata/labels/y', value: '2' },
      { op: 'remove', path: '/metadata/labels/x' },
    ]);
    expect(patched.metadata?.labels).toEqual({ y: '2' });
  });

  it('fails requests through reactors', async () => {
    const fake = new FakeApiClient({ objects: [pod('a')] });
    fake.failNext('create', 'pods', statusErrors.tooManyRequests('Cannot evict pod as it would violate the pod\'s disruption budget.'));
    await expect(fake.evictPod('default', 'a')).rejects.toMatchObject({ code: 429 });
    await fake.evictPod('default', 'a');
    expect(await fake.for('pods').list('default')).toMatchObject({ items: [] });
  });

  it('holds a delete while finalizers remain and removes the object when the last goes', async () => {
    const fake = new FakeApiClient();
    const cms = fake.for<ConfigMap>('configmaps');
    await cms.create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'f', finalizers: ['example.com/hold'] } });
    await cms.delete('default', 'f');
    const held = await cms.get('default', 'f');
    expect(held.metadata?.deletionTimestamp).toBeDefined();
    await cms.update({ ...held, metadata: { ...held.metadata, finalizers: [] } });
    await expect(cms.get('default', 'f')).rejects.toSatisfy(isNotFound);
  });

  it('delivers watch events in order, replays from a resourceVersion, and answers 410 after compaction', async () => {
    const fake = new FakeApiClient();
    const pods = fake.for<Pod>('pods');
    const seen: string[] = [];
    const ac = new AbortController();
    const done = pods.watch('default', { labelSelector: 'app=web' }, (ev) => seen.push(`${ev.type} ${ev.object.metadata?.name}`), ac.signal);
    const a = await pods.create('default', pod('a', { app: 'web' }));
    await pods.create('default', pod('b', { app: 'db' }));
    await pods.create('other', pod('c', { app: 'web' }, 'other'));
    await pods.update({ ...a, metadata: { ...a.metadata, labels: { app: 'db' } } });
    await flush();
    expect(seen).toEqual(['ADDED a', 'DELETED a']);
    ac.abort();
    await done;
    expect(fake.openWatches()).toBe(0);

    const replay: WatchEvent<Pod>[] = [];
    await new Promise<void>((resolve, reject) => {
      const ac2 = new AbortController();
      pods.watch(undefined, { resourceVersion: a.metadata!.resourceVersion }, (ev) => {
        replay.push(ev);
        if (replay.length === 3) ac2.abort();
      }, ac2.signal).then(resolve, reject);
    });
    expect(replay.map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual(['ADDED b', 'ADDED c', 'MODIFIED a']);

    fake.compact();
    await expect(pods.watch(undefined, { resourceVersion: a.metadata!.resourceVersion }, () => {})).rejects.toSatisfy(isGone);
  });

  it('ends watches when the server closes them and sends bookmarks on request', async () => {
    const fake = new FakeApiClient({ objects: [pod('a')] });
    const seen: string[] = [];
    const done = fake.for<Pod>('pods').watch(undefined, { allowWatchBookmarks: true }, (ev) => seen.push(`${ev.type} ${ev.object.metadata?.resourceVersion}`));
    fake.bookmark();
    fake.closeWatches();
    await done;
    expect(seen).toEqual(['ADDED 1', 'BOOKMARK 1']);
  });
});
