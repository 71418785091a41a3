// The client machinery against the real API server on a real etcd: typed CRUD through a
// kubeconfig (token, and client certificates in files named relative to it),
// 429 retries, watches that resume across an API server restart, relist after
// compaction (410), and an informer that neither loses nor repeats a delivery through both.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigMap, KubeObject, WatchEvent } from '../api/types.js';
import { isAlreadyExists, isConflict, isNotFound } from '../client/errors.js';
import { createInformer } from '../client/informer.js';
import { createLogger } from '../client/log.js';
import { RestClient, restClientFromKubeconfig } from '../client/rest.js';
import { Watcher } from '../client/watch.js';
import { startTestApiServer, type TestApiServer } from './harness/apiserver.js';
import { waitFor } from './harness/ports.js';

const silent = createLogger('test', process.env.CLIENT_TEST_LOG ?? 'silent');
let api: TestApiServer;
let client: RestClient;
const clients: RestClient[] = [];

function newClient(opts: ConstructorParameters<typeof RestClient>[1] = {}): RestClient {
  const c = restClientFromKubeconfig({ kubeconfig: api.kubeconfigPath }, { logger: silent, backoffMs: 50, ...opts });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  // One mutating request at a time, so concurrent writes meet 429 + Retry-After.
  api = await startTestApiServer({ flags: { 'max-mutating-requests-inflight': '1' } });
  client = newClient();
  for (const ns of ['crud', 'retry', 'watch', 'inf']) await client.for('namespaces').create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await api?.stop();
});

const cm = (name: string, data: Record<string, string> = {}, labels: Record<string, string> = {}): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
  data,
});

async function compactEtcd(): Promise<void> {
  const rv = (await client.for('configmaps').list('default', { limit: 1 })).metadata.resourceVersion!;
  await promisify(execFile)('etcdctl', [`--endpoints=${api.etcd.endpoint}`, 'compact', rv], { env: { ...process.env, ETCDCTL_API: '3' } });
}

describe('RestClient on the API server', () => {
  it('does typed CRUD with the kubeconfig context, and answers 404/409 as typed errors', async () => {
    expect(client.config.namespace).toBe('default');
    const cms = client.for<ConfigMap>('configmaps');
    const created = await cms.create('crud', cm('a', { k: 'v' }, { app: 'web' }));
    expect(created.metadata?.uid).toBeTruthy();
    await cms.create('crud', cm('b', {}, { app: 'db' }));
    await expect(cms.create('crud', cm('a'))).rejects.toSatisfy(isAlreadyExists);
    expect((await cms.get('crud', 'a')).data).toEqual({ k: 'v' });
    expect((await cms.list('crud', { labelSelector: 'app=web' })).items.map((i) => i.metadata?.name)).toEqual(['a']);

    const updated = await cms.update({ ...created, data: { k: 'v2' } });
    await expect(cms.update({ ...created, data: { k: 'stale' } })).rejects.toSatisfy(isConflict);
    const patched = await cms.patch('crud', 'a', 'merge', { data: { extra: '1' } });
    expect(patched.data).toEqual({ k: 'v2', extra: '1' });
    expect(Number(patched.metadata?.resourceVersion)).toBeGreaterThan(Number(updated.metadata?.resourceVersion));

    const page1 = await cms.list('crud', { limit: 1 });
    expect(page1.items).toHaveLength(1);
    const page2 = await cms.list('crud', { limit: 1, continue: page1.metadata.continue });
    expect([...page1.items, ...page2.items].map((i) => i.metadata?.name)).toEqual(['a', 'b']);

    await cms.delete('crud', 'a');
    await expect(cms.get('crud', 'a')).rejects.toSatisfy(isNotFound);
  });

  it('authenticates with a client certificate from files named relative to the kubeconfig', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-client-kubeconfig-'));
    try {
      const pair = await api.clientCert('alice', ['developers']);
      writeFileSync(join(dir, 'alice.crt'), pair.certPem);
      writeFileSync(join(dir, 'alice.key'), pair.keyPem);
      writeFileSync(join(dir, 'ca.crt'), readFileSync(api.caFile));
      writeFileSync(
        join(dir, 'config'),
        stringify({
          apiVersion: 'v1',
          kind: 'Config',
          'current-context': 'alice',
          clusters: [{ name: 'test', cluster: { server: api.url, 'certificate-authority': 'ca.crt' } }],
          users: [{ name: 'alice', user: { 'client-certificate': 'alice.crt', 'client-key': 'alice.key' } }, { name: 'nobody', user: {} }],
          contexts: [{ name: 'alice', context: { cluster: 'test', user: 'alice', namespace: 'crud' } }, { name: 'anon', context: { cluster: 'test', user: 'nobody' } }],
        }),
      );
      const alice = restClientFromKubeconfig({ kubeconfig: join(dir, 'config') }, { logger: silent });
      const anon = restClientFromKubeconfig({ kubeconfig: join(dir, 'config'), context: 'anon' }, { logger: silent });
      clients.push(alice, anon);
      expect(alice.config.namespace).toBe('crud');
      expect((await alice.for('namespaces').list(undefined)).items.length).toBeGreaterThan(0);
      await expect(anon.for('namespaces').list(undefined)).rejects.toMatchObject({ code: 401, reason: 'Unauthorized' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('retries writes refused with 429 and Retry-After until they all succeed', async () => {
    const c = newClient({ maxRetries: 10 });
    const cms = c.for<ConfigMap>('configmaps');
    const start = Date.now();
    await Promise.all(Array.from({ length: 4 }, (_, i) => cms.create('retry', cm(`r${i}`, { payload: 'x'.repeat(50_000) }))));
    // At least one create waited out a Retry-After of one second.
    expect(Date.now() - start).toBeGreaterThanOrEqual(900);
    expect((await cms.list('retry')).items).toHaveLength(4);
  });
});

describe('Watcher on the API server', () => {
  it('resumes from the last resourceVersion each time the server ends the stream, without a relist', async () => {
    const cms = client.for<ConfigMap>('configmaps');
    const seen: string[] = [];
    const ac = new AbortController();
    const w = new Watcher(cms, {
      namespace: 'watch',
      resourceVersion: (await cms.list('watch')).metadata.resourceVersion!,
      onEvent: (ev: WatchEvent<ConfigMap>) => seen.push(`${ev.type} ${ev.object.metadata?.name}`),
      relist: () => Promise.reject(new Error('unexpected relist')),
      // Streams of one second: the server ends each one and the watcher resumes.
      timeoutSeconds: () => 1,
      backoffMs: 100,
      logger: silent,
    });
    const running = w.run(ac.signal);
    try {
      for (let i = 0; i < 4; i++) {
        await cms.create('watch', cm(`s${i}`));
        await new Promise((r) => setTimeout(r, 700));
      }
      await waitFor('four events', async () => seen.length === 4);
      await new Promise((r) => setTimeout(r, 300));
      expect(seen).toEqual(['ADDED s0', 'ADDED s1', 'ADDED s2', 'ADDED s3']);
    } finally {
      ac.abort();
      await running;
    }
  });

  it('carries on across an API server restart, relisting when the new server no longer has its resourceVersion', async () => {
    const cms = client.for<ConfigMap>('configmaps');
    const seen: string[] = [];
    // What a caller knows: names → resourceVersion, from events and from relists.
    const known = new Map<string, string>();
    let relists = 0;
    const ac = new AbortController();
    const w = new Watcher(cms, {
      namespace: 'watch',
      labelSelector: 'restart=yes',
      resourceVersion: (await cms.list('watch')).metadata.resourceVersion!,
      onEvent: (ev: WatchEvent<ConfigMap>) => {
        seen.push(`${ev.type} ${ev.object.metadata?.name}`);
        if (ev.type === 'DELETED') known.delete(ev.object.metadata!.name!);
        else known.set(ev.object.metadata!.name!, ev.object.metadata!.resourceVersion!);
      },
      relist: async () => {
        relists++;
        const list = await cms.list('watch', { labelSelector: 'restart=yes' });
        known.clear();
        for (const i of list.items) known.set(i.metadata!.name!, i.metadata!.resourceVersion!);
        return list.metadata.resourceVersion!;
      },
      backoffMs: 100,
      logger: silent,
    });
    const running = w.run(ac.signal);
    const labelled = (name: string) => cm(name, {}, { restart: 'yes' });
    try {
      await cms.create('watch', labelled('before'));
      await waitFor('the first event', async () => seen.length === 1);
      await api.restart();
      const after = await cms.create('watch', labelled('after'));
      const updated = await cms.update({ ...after, data: { x: '1' } });
      await waitFor('the watcher to catch up', async () => known.get('after') === updated.metadata?.resourceVersion);
      // Once it has caught up, new changes arrive as events again.
      const later = await cms.create('watch', labelled('later'));
      await waitFor('the event after the restart', async () => known.get('later') === later.metadata?.resourceVersion);
      await new Promise((r) => setTimeout(r, 200));
      expect([...known.keys()].sort()).toEqual(['after', 'before', 'later']);
      expect(seen.filter((s) => s === 'ADDED before')).toHaveLength(1);
      expect(seen.filter((s) => s === 'ADDED later')).toHaveLength(1);
      expect(relists).toBeLessThanOrEqual(1);
    } finally {
      ac.abort();
      await running;
    }
  });

  it('relists when its resourceVersion has been compacted (410) and carries on from the list', async () => {
    // Secrets are listed and watched nowhere else in this file, so no watch cache holds their
    // history: the server reads it from etcd, where compaction removes it.
    const secrets = client.for('secrets');
    const secret = (name: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name } });
    const oldRv = (await secrets.create('watch', secret('compacted'))).metadata!.resourceVersion!;
    // Later revisions, then compaction: what followed oldRv is gone.
    for (let i = 0; i < 2; i++) await secrets.patch('watch', 'compacted', 'merge', { metadata: { labels: { round: String(i) } } });
    await compactEtcd();
    const seen: string[] = [];
    let relisted: string[] = [];
    const ac = new AbortController();
    const running = new Watcher(secrets, {
      namespace: 'watch',
      resourceVersion: oldRv,
      onEvent: (ev) => seen.push(`${ev.type} ${ev.object.metadata?.name}`),
      relist: async () => {
        const list = await secrets.list('watch');
        relisted = list.items.map((i) => i.metadata!.name!).sort();
        return list.metadata.resourceVersion!;
      },
      backoffMs: 50,
      logger: silent,
    }).run(ac.signal);
    try {
      await waitFor('the relist', async () => relisted.length > 0);
      expect(relisted).toContain('compacted');
      await secrets.create('watch', secret('later'));
      await waitFor('the event after the relist', async () => seen.length === 1);
      expect(seen).toEqual(['ADDED later']);
    } finally {
      ac.abort();
      await running;
    }
  });
});

describe('informer on the API server', () => {
  it('delivers every change exactly once through an API server restart and a relist after 410', async () => {
    // The informer gets its own client, so its connections can be cut without touching the writer's.
    const infClient = newClient();
    const relistLogs: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => relistLogs.push(line) });
    const informer = createInformer<ConfigMap>(infClient, infClient.for('configmaps').type, { namespace: 'inf', backoffMs: 3000, logger });
    const log: string[] = [];
    const name = (o: KubeObject) => o.metadata!.name!;
    informer.addEventHandler({
      onAdd: (o) => log.push(`add ${name(o)}`),
      onUpdate: (a, b) => log.push(`update ${name(b)} ${a.metadata?.resourceVersion === b.metadata?.resourceVersion ? 'same' : 'new'}`),
      onDelete: (o) => log.push(`delete ${name(o)}`),
    });
    const cms = client.for<ConfigMap>('configmaps');
    await cms.create('inf', cm('pre'));
    informer.start();
    try {
      await informer.waitForSync();
      expect(log).toEqual(['add pre']);

      // Writes before, through and after a restart: each is delivered once.
      const created: string[] = [];
      const writer = (async () => {
        for (let i = 0; i < 30; i++) {
          const n = `w${i}`;
          for (;;) {
            try {
              await cms.create('inf', cm(n));
              break;
            } catch (err) {
              if (isAlreadyExists(err)) break; // the create landed before the connection broke
              await new Promise((r) => setTimeout(r, 50));
            }
          }
          created.push(n);
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      await waitFor('some writes', async () => created.length >= 10);
      await api.restart();
      await writer;
      await waitFor('all adds', async () => log.length === 31, 30_000);
      expect(log.slice(1).sort()).toEqual(created.map((n) => `add ${n}`).sort());

      // Cut the informer's watch; while it waits to reconnect, change things and restart the
      // API server, whose new watch window starts after the informer's resourceVersion: the
      // informer gets 410, relists, and works out what changed.
      infClient.close();
      const pre = await cms.get('inf', 'pre');
      await cms.update({ ...pre, data: { changed: 'yes' } });
      await cms.delete('inf', 'w0');
      await cms.create('inf', cm('new'));
      await api.restart();
      await waitFor('the relist diff', async () => log.length === 34, 30_000);
      expect(relistLogs.some((m) => m.includes('relisting'))).toBe(true);
      expect(log.slice(31).sort()).toEqual(['add new', 'delete w0', 'update pre new']);
      expect(informer.lister.get('inf/pre')?.data).toEqual({ changed: 'yes' });
      expect(informer.lister.list()).toHaveLength(31);
    } finally {
      informer.stop();
    }
  });
});
