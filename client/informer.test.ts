import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigMap, Pod } from '../api/types.js';
import { FakeApiClient } from './fake.js';
import type { Informer } from './interfaces.js';
import { createInformer, SharedInformerFactory } from './informer.js';
import { createLogger } from './log.js';

const cm = (name: string, namespace = 'default', data: Record<string, string> = {}): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data });
const pod = (name: string, nodeName?: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [], ...(nodeName ? { nodeName } : {}) } });

async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Records handler calls as `add a`, `update a 3→5`, `delete a`. */
function recorder<T extends ConfigMap | Pod>(informer: Informer<T>): string[] {
  const log: string[] = [];
  const key = (o: T) => `${o.metadata?.namespace}/${o.metadata?.name}`;
  informer.addEventHandler({
    onAdd: (o) => log.push(`add ${key(o)}`),
    onUpdate: (a, b) => log.push(`update ${key(b)} ${a.metadata?.resourceVersion}→${b.metadata?.resourceVersion}`),
    onDelete: (o) => log.push(`delete ${key(o)}`),
  });
  return log;
}

const stops: (() => void)[] = [];
afterEach(() => {
  for (const s of stops.splice(0)) s();
});

function started<T extends ConfigMap | Pod>(i: Informer<T>): Informer<T> {
  i.start();
  stops.push(() => i.stop());
  return i;
}

describe('informer', () => {
  it('lists in pages, syncs, then follows the watch in order', async () => {
    const fake = new FakeApiClient({ objects: ['a', 'b', 'c', 'd', 'e'].map((n) => cm(n)) });
    const informer = createInformer<ConfigMap>(fake, fake.for('configmaps').type, { pageSize: 2 });
    const log = recorder(informer);
    started(informer);
    await informer.waitForSync();
    expect(informer.hasSynced()).toBe(true);
    expect(log).toEqual(['add default/a', 'add default/b', 'add default/c', 'add default/d', 'add default/e']);
    const cms = fake.for<ConfigMap>('configmaps');
    const a = await cms.get('default', 'a');
    await cms.update({ ...a, data: { x: '1' } });
    await cms.delete('default', 'b');
    await cms.create('other', cm('f', 'other'));
    await until(() => log.length === 8);
    expect(log.slice(5)).toEqual(['update default/a 1→6', 'delete default/b', 'add other/f']);
    expect(informer.lister.get('default/a')?.data).toEqual({ x: '1' });
    expect(informer.lister.get('default/b')).toBeUndefined();
    expect(informer.lister.byIndex('namespace', 'other').map((o) => o.metadata?.name)).toEqual(['f']);
  });

  it('turns a relist after 410 into deletes for vanished objects and updates for changed ones', async () => {
    const fake = new FakeApiClient({ objects: [cm('keep'), cm('change'), cm('vanish')] });
    const cms = fake.for<ConfigMap>('configmaps');
    const informer = started(createInformer<ConfigMap>(fake, cms.type, { backoffMs: 1 }));
    const log = recorder(informer);
    await informer.waitForSync();
    await until(() => fake.openWatches() === 1);
    fake.closeWatches();
    // While the informer is not watching: changes, then history is compacted away.
    const change = await cms.get('default', 'change');
    await cms.update({ ...change, data: { v: '2' } });
    await cms.delete('default', 'vanish');
    await cms.create('default', cm('new'));
    fake.compact();
    await until(() => log.length === 6);
    expect(log.slice(3).sort()).toEqual(['add default/new', 'delete default/vanish', 'update default/change 2→4']);
    expect(informer.lister.list().map((o) => o.metadata?.name).sort()).toEqual(['change', 'keep', 'new']);
  });

  it('delivers nothing twice when a watch is replayed after a reconnect', async () => {
    const fake = new FakeApiClient({ objects: [cm('a')] });
    const cms = fake.for<ConfigMap>('configmaps');
    const informer = started(createInformer<ConfigMap>(fake, cms.type, { backoffMs: 1 }));
    const log = recorder(informer);
    await informer.waitForSync();
    for (let i = 0; i < 5; i++) {
      await cms.create('default', cm(`n${i}`));
      fake.closeWatches();
    }
    await until(() => log.length === 6);
    await new Promise((r) => setTimeout(r, 30));
    expect(log).toEqual(['add default/a', 'add default/n0', 'add default/n1', 'add default/n2', 'add default/n3', 'add default/n4']);
  });

  it('resyncs every object as an update with the same object', async () => {
    const fake = new FakeApiClient({ objects: [cm('a'), cm('b')] });
    const informer = started(createInformer<ConfigMap>(fake, fake.for('configmaps').type, { resyncPeriodMs: 20 }));
    const log = recorder(informer);
    await informer.waitForSync();
    await until(() => log.length >= 4);
    expect(log.slice(2, 4).sort()).toEqual(['update default/a 1→1', 'update default/b 2→2']);
  });

  it('files objects under custom indexes and tells late handlers about the cache', async () => {
    const fake = new FakeApiClient({ objects: [pod('p1', 'n1'), pod('p2', 'n2'), pod('p3', 'n1'), pod('p4')] });
    const informer = createInformer<Pod>(fake, fake.for('pods').type);
    informer.addIndex('nodeName', (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []));
    started(informer);
    await informer.waitForSync();
    expect(informer.lister.byIndex('nodeName', 'n1').map((p) => p.metadata?.name).sort()).toEqual(['p1', 'p3']);
    await fake.bindPod('default', 'p4', 'n1');
    await until(() => informer.lister.byIndex('nodeName', 'n1').length === 3);
    expect(informer.lister.byIndex('nodeName', 'n2')).toHaveLength(1);
    const late = recorder(informer);
    expect(late).toHaveLength(4);
  });

  it('keeps delivering after a handler throws', async () => {
    const fake = new FakeApiClient({ objects: [cm('a'), cm('b')] });
    const informer = createInformer<ConfigMap>(fake, fake.for('configmaps').type, { logger: createLogger('test', 'silent') });
    informer.addEventHandler({ onAdd: (o) => { if (o.metadata?.name === 'a') throw new Error('boom'); } });
    const log = recorder(informer);
    started(informer);
    await informer.waitForSync();
    expect(log).toEqual(['add default/a', 'add default/b']);
  });

  it('shares one informer per kind, namespace and selectors', async () => {
    const fake = new FakeApiClient({ objects: [cm('a')] });
    const factory = new SharedInformerFactory(fake);
    const i1 = factory.informerFor<ConfigMap>('configmaps');
    const i2 = factory.informerFor<ConfigMap>('cm');
    const i3 = factory.informerFor<ConfigMap>('configmaps', { namespace: 'x' });
    expect(i1).toBe(i2);
    expect(i3).not.toBe(i1);
    factory.start();
    stops.push(() => factory.stop());
    await factory.waitForSync();
    expect(i1.lister.list()).toHaveLength(1);
    expect(i3.lister.list()).toHaveLength(0);
    await until(() => fake.openWatches() === 2);
    factory.stop();
    await until(() => fake.openWatches() === 0);
  });
});
