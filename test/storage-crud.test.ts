// The store's verbs against a real etcd: transactions, preconditions, conflicts, lists.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_RESOURCES, type ResourceType } from '../api/resources.js';
import { fieldsOf, type ConfigMap, type KubeObject, type Pod } from '../api/types.js';
import { ApiError } from '../apiserver/errors.js';
import { EtcdStore } from '../apiserver/storage/etcd-store.js';
import { guaranteedUpdate } from '../apiserver/storage/guaranteed-update.js';
import type { ObjectFilter } from '../apiserver/storage/store.js';
import { startEtcd, type TestEtcd } from './harness/etcd.js';

const pods = BUILTIN_RESOURCES.find((t) => t.resource === 'pods') as ResourceType;
const configmaps = BUILTIN_RESOURCES.find((t) => t.resource === 'configmaps') as ResourceType;
const nodes = BUILTIN_RESOURCES.find((t) => t.resource === 'nodes') as ResourceType;

function pod(name: string, namespace = 'default', labels: Record<string, string> = {}): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels, uid: `uid-${name}` }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
}

function labelIs(key: string, value: string): ObjectFilter {
  return { matches: (o) => o.metadata?.labels?.[key] === value };
}

async function apiError(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ApiError');
}

describe('etcd store: verbs', () => {
  let etcd: TestEtcd;
  let store: EtcdStore;

  beforeAll(async () => {
    etcd = await startEtcd();
    store = new EtcdStore({ endpoints: [etcd.endpoint], compactionIntervalMs: 0, watchCache: { freshnessTimeoutMs: 500 } });
  });
  afterAll(async () => {
    try {
      await store?.close();
    } finally {
      await etcd?.destroy();
    }
  });

  it('round-trips create/get/update/delete with resourceVersion = mod revision, never stored in the value', async () => {
    const created = await store.create(pods, pod('rt'));
    const rv = created.metadata?.resourceVersion as string;
    expect(Number(rv)).toBeGreaterThan(0);
    const raw = await store.conn.client.get('/registry/pods/default/rt').json();
    expect((raw as KubeObject).metadata?.resourceVersion).toBeUndefined();

    const got = await store.get(pods, 'default', 'rt');
    expect(got).toEqual(created);

    const changed = { ...got, metadata: { ...got.metadata, labels: { v: '2' } } };
    const updated = await store.update(pods, changed, { resourceVersion: rv });
    expect(Number(updated.metadata?.resourceVersion)).toBeGreaterThan(Number(rv));
    expect((await store.get(pods, 'default', 'rt')).metadata?.labels).toEqual({ v: '2' });

    const deleted = await store.delete(pods, 'default', 'rt');
    expect(deleted.metadata?.resourceVersion).toBe(updated.metadata?.resourceVersion);
    expect((await apiError(store.get(pods, 'default', 'rt'))).code).toBe(404);
  });

  it('answers AlreadyExists, NotFound and Conflict as Status errors', async () => {
    await store.create(pods, pod('dup'));
    const dup = await apiError(store.create(pods, pod('dup')));
    expect([dup.code, dup.reason, dup.message]).toEqual([409, 'AlreadyExists', 'pods "dup" already exists']);

    const missing = await apiError(store.update(pods, pod('nope'), { resourceVersion: '5' }));
    expect([missing.code, missing.reason]).toEqual([404, 'NotFound']);
    expect((await apiError(store.update(pods, pod('nope')))).code).toBe(404);
    expect((await apiError(store.delete(pods, 'default', 'nope'))).code).toBe(404);

    const uid = await apiError(store.delete(pods, 'default', 'dup', { uid: 'someone-else' }));
    expect([uid.code, uid.reason]).toEqual([409, 'Conflict']);
    expect(uid.message).toContain('Precondition failed: UID in precondition: someone-else');
    const stale = await apiError(store.delete(pods, 'default', 'dup', { resourceVersion: '1' }));
    expect([stale.code, stale.reason]).toEqual([409, 'Conflict']);
    expect((await store.get(pods, 'default', 'dup')).metadata?.name).toBe('dup');
    const current = await store.get(pods, 'default', 'dup');
    const deleted = await store.delete(pods, 'default', 'dup', { uid: 'uid-dup', resourceVersion: current.metadata?.resourceVersion });
    expect(deleted).toEqual(current);
  });

  it('lets exactly one of two writers with the same resourceVersion win', async () => {
    const base = await store.create(pods, pod('race'));
    const rv = base.metadata?.resourceVersion as string;
    const results = await Promise.allSettled(
      ['a', 'b'].map((who) => store.update(pods, { ...base, metadata: { ...base.metadata, labels: { who } } }, { resourceVersion: rv })),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0].reason).toBeInstanceOf(ApiError);
    expect([(lost[0].reason as ApiError).code, (lost[0].reason as ApiError).reason]).toEqual([409, 'Conflict']);
  });

  it('guaranteedUpdate lands every one of 10 concurrent increments', async () => {
    const counter: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'counter', namespace: 'default' }, data: { n: '0' } };
    await store.create(configmaps, counter);
    await Promise.all(
      Array.from({ length: 10 }, () =>
        store.guaranteedUpdate(configmaps, 'default', 'counter', (cm) => {
          const data = fieldsOf(cm).data as Record<string, string>;
          return { ...cm, data: { n: String(Number(data.n) + 1) } } as ConfigMap;
        }),
      ),
    );
    expect(fieldsOf(await store.get(configmaps, 'default', 'counter')).data).toEqual({ n: '10' });
  });

  it('guaranteedUpdate that changes nothing keeps the resourceVersion', async () => {
    const before = await store.create(pods, pod('noop'));
    const after = await store.guaranteedUpdate(pods, 'default', 'noop', (p) => ({ ...p }));
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
    const aborted = await apiError(
      store.guaranteedUpdate(pods, 'default', 'noop', () => {
        throw new ApiError(422, 'Invalid', 'no');
      }),
    );
    expect(aborted.code).toBe(422);
  });

  describe('guaranteedUpdate from a cached copy', () => {
    const counter = (name: string, n: string, labels: Record<string, string> = {}): ConfigMap => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: 'default', labels },
      data: { n },
    });
    const n = (o: KubeObject): string => (fieldsOf(o).data as Record<string, string>).n;
    const increment = (seen: string[]) => (cm: KubeObject) => {
      seen.push(n(cm));
      return { ...cm, data: { n: String(Number(n(cm)) + 1) } } as KubeObject;
    };
    /** The object as the watch cache would hold it at this moment, then moved on in etcd. */
    async function staleCopy(name: string, labels: Record<string, string> = {}): Promise<string> {
      const first = await store.create(configmaps, counter(name, '0', labels));
      await store.update(configmaps, { ...counter(name, '1'), metadata: { ...first.metadata, labels: {} } } as KubeObject);
      return JSON.stringify(first);
    }

    it('a stale copy fails the revision compare and the next attempt starts from etcd', async () => {
      const seen: string[] = [];
      const out = await guaranteedUpdate(store.conn, configmaps, 'default', 'gu-stale', increment(seen), await staleCopy('gu-stale'));
      expect(seen).toEqual(['0', '1']);
      expect(n(out)).toBe('2');
      expect(n(await store.get(configmaps, 'default', 'gu-stale'))).toBe('2');
    });

    it('a mutation that refuses the stale copy runs again on the state read from etcd', async () => {
      const seen: string[] = [];
      const out = await guaranteedUpdate(
        store.conn,
        configmaps,
        'default',
        'gu-refused',
        (cm) => {
          seen.push(n(cm));
          if (n(cm) !== '1') throw new ApiError(409, 'Conflict', 'not the version the client named');
          return { ...cm, data: { n: 'done' } } as KubeObject;
        },
        await staleCopy('gu-refused'),
      );
      expect(seen).toEqual(['0', '1']);
      expect(n(out)).toBe('done');
    });

    it('nothing to change in the stale copy is checked against etcd before it is believed', async () => {
      // The copy still has the label the mutation sets; etcd's state no longer does.
      const stale = await staleCopy('gu-noop', { tier: 'web' });
      const out = await guaranteedUpdate(store.conn, configmaps, 'default', 'gu-noop', (cm) => ({ ...cm, metadata: { ...cm.metadata, labels: { tier: 'web' } } }), stale);
      const stored = await store.get(configmaps, 'default', 'gu-noop');
      expect(stored.metadata?.labels).toEqual({ tier: 'web' });
      expect(out.metadata?.resourceVersion).toBe(stored.metadata?.resourceVersion);
      expect(Number(out.metadata?.resourceVersion)).toBeGreaterThan(Number(JSON.parse(stale).metadata.resourceVersion));
    });

    it('the store starts from its watch cache: one etcd call per update instead of a read and a write', async () => {
      await store.create(configmaps, counter('gu-cached', '0'));
      await store.list(configmaps, { resourceVersion: '0' }); // starts the cache
      const calls = async () =>
        ((await store.metrics.requestDuration.get()).values.find(
          (v) => v.metricName === 'etcd_request_duration_seconds_count' && v.labels.operation === 'guaranteedUpdate' && v.labels.type === 'configmaps',
        )?.value ?? 0);
      for (let i = 1; i <= 3; i++) {
        const written = await store.create(configmaps, counter(`gu-cached-${i}`, '0'));
        // The cache catches up with the create before the update reads it.
        await store.get(configmaps, 'default', `gu-cached-${i}`, { resourceVersion: written.metadata?.resourceVersion });
        const before = await calls();
        const out = await store.guaranteedUpdate(configmaps, 'default', `gu-cached-${i}`, increment([]));
        expect(n(out)).toBe('1');
        expect((await calls()) - before).toBe(1);
      }
    });
  });

  it('lists with namespace and label filters, cluster-scoped kinds too', async () => {
    await store.create(pods, pod('l1', 'team-a', { app: 'web' }));
    await store.create(pods, pod('l2', 'team-a', { app: 'db' }));
    await store.create(pods, pod('l3', 'team-b', { app: 'web' }));
    await store.create(nodes, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });

    const teamA = await store.list(pods, { namespace: 'team-a' });
    expect(teamA.kind).toBe('PodList');
    expect(teamA.items.map((p) => p.metadata?.name)).toEqual(['l1', 'l2']);
    const web = await store.list(pods, { filter: labelIs('app', 'web') });
    expect(web.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`)).toEqual(['team-a/l1', 'team-b/l3']);
    const webFromEtcd = await store.list(pods, { filter: labelIs('app', 'web'), limit: 10 });
    expect(webFromEtcd.items.map((p) => p.metadata?.name)).toEqual(['l1', 'l3']);
    const nodeList = await store.list(nodes, {});
    expect(nodeList.items.map((n) => n.metadata?.name)).toEqual(['n1']);
    expect(nodeList.items[0].metadata?.resourceVersion).toBeDefined();
  });

  it('a consistent list sees a write made just before it; rv=0 is served from the cache', async () => {
    await store.list(configmaps, { resourceVersion: '0' }); // warm the cache
    const cm = await store.create(configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fresh', namespace: 'default' } });
    // A write to another kind moves etcd's revision past anything the configmap watch saw.
    await store.create(pods, pod('elsewhere'));
    const consistent = await store.list(configmaps, {});
    expect(consistent.items.map((i) => i.metadata?.name)).toContain('fresh');
    expect(Number(consistent.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(cm.metadata?.resourceVersion) + 1);
    const anyVersion = await store.list(configmaps, { resourceVersion: '0' });
    expect(Number(anyVersion.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(cm.metadata?.resourceVersion));
    const notOlder = await store.list(configmaps, { resourceVersion: cm.metadata?.resourceVersion, resourceVersionMatch: 'NotOlderThan' });
    expect(notOlder.items.map((i) => i.metadata?.name)).toContain('fresh');
    const cached = await store.get(configmaps, 'default', 'fresh', { resourceVersion: cm.metadata?.resourceVersion });
    expect(cached).toEqual(cm);
    expect((await apiError(store.get(configmaps, 'default', 'absent', { resourceVersion: '0' }))).code).toBe(404);
    const future = await apiError(store.list(configmaps, { resourceVersion: String(Number(consistent.metadata.resourceVersion) + 1000), resourceVersionMatch: 'NotOlderThan' }));
    expect([future.code, future.reason]).toEqual([504, 'Timeout']);
    expect(future.message).toContain('Too large resource version');
  }, 20_000);

  it('paginates with limit/continue at one revision: no duplicates, none missing, while writes happen', async () => {
    const names = Array.from({ length: 55 }, (_, i) => `page-${String(i).padStart(3, '0')}`);
    await Promise.all(names.map((n) => store.create(pods, pod(n, 'paging'))));
    const seen: string[] = [];
    let token: string | undefined;
    let revision: string | undefined;
    let pages = 0;
    do {
      const page = await store.list(pods, { namespace: 'paging', limit: 10, continue: token });
      revision ??= page.metadata.resourceVersion;
      expect(page.metadata.resourceVersion).toBe(revision);
      seen.push(...page.items.map((p) => p.metadata?.name as string));
      token = page.metadata.continue;
      if (token) expect(page.metadata.remainingItemCount).toBe(55 - seen.length);
      // Writes between pages must not show up in (or vanish from) this list.
      await store.create(pods, pod(`late-${pages}`, 'paging'));
      await store.delete(pods, 'paging', names[54 - pages]);
      pages++;
    } while (token);
    expect(pages).toBe(6);
    expect(seen).toEqual(names);

    const exact = await store.list(pods, { namespace: 'paging', resourceVersion: revision, resourceVersionMatch: 'Exact' });
    expect(exact.items.map((p) => p.metadata?.name)).toEqual(names);
    expect((await apiError(store.list(pods, { continue: 'bm90IGpzb24=' }))).code).toBe(400);
  });

  it('answers 410 for a continue token or an Exact list whose revision was compacted', async () => {
    await Promise.all(Array.from({ length: 5 }, (_, i) => store.create(pods, pod(`old-${i}`, 'compact'))));
    const first = await store.list(pods, { namespace: 'compact', limit: 2 });
    const rv = first.metadata.resourceVersion as string;
    await store.create(pods, pod('newer', 'compact'));
    await store.conn.client.put('/unrelated').value('x');
    await store.conn.kv.compact({ revision: String(Number(rv) + 1) });

    const expired = await apiError(store.list(pods, { namespace: 'compact', limit: 2, continue: first.metadata.continue }));
    expect([expired.code, expired.reason]).toEqual([410, 'Expired']);
    expect(expired.message).toContain('The provided continue parameter is too old');
    const exact = await apiError(store.list(pods, { namespace: 'compact', resourceVersion: rv, resourceVersionMatch: 'Exact' }));
    expect(exact.code).toBe(410);
    // Starting over works.
    const again = await store.list(pods, { namespace: 'compact' });
    expect(again.items).toHaveLength(6);
  });
});
