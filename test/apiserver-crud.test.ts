// The API server on a real etcd: CRUD and conflicts, generateName, generation, status on the
// main resource, namespace checks, selectors and pagination, watch resume.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClient } from '../apiserver/testing/https-client.js';
import { startTestApiServer, type TestApiServer } from './harness/apiserver.js';

let api: TestApiServer;
let call: ReturnType<typeof testClient>;

beforeAll(async () => {
  api = await startTestApiServer();
  call = testClient({ url: api.url, ca: readFileSync(api.caFile, 'utf8'), token: api.token });
});
afterAll(async () => {
  await api?.stop();
});

const NS = '/api/v1/namespaces';
const cms = (ns: string) => `${NS}/${ns}/configmaps`;

async function ensureNamespace(name: string): Promise<void> {
  const res = await call('POST', NS, { metadata: { name } });
  expect([201, 409]).toContain(res.status);
}

describe('API server on etcd', () => {
  it('creates the system namespaces at start-up', async () => {
    const res = await call('GET', NS);
    const names = res.json.items.map((n: { metadata: { name: string } }) => n.metadata.name);
    expect(names).toEqual(expect.arrayContaining(['default', 'kube-system', 'kube-public', 'kube-node-lease']));
  });

  it('CRUD with resourceVersion = etcd revision and 404/409 as Status', async () => {
    const created = await call('POST', cms('default'), { metadata: { name: 'crud', labels: { app: 'x' } }, data: { k: 'v' } });
    expect(created.status).toBe(201);
    const rv = Number(created.json.metadata.resourceVersion);
    expect(rv).toBeGreaterThan(0);
    const got = await call('GET', `${cms('default')}/crud`);
    expect(got.json.metadata.resourceVersion).toBe(String(rv));
    const dup = await call('POST', cms('default'), { metadata: { name: 'crud' } });
    expect(dup.json).toMatchObject({ kind: 'Status', code: 409, reason: 'AlreadyExists', message: 'configmaps "crud" already exists' });
    const upd = await call('PUT', `${cms('default')}/crud`, { ...got.json, data: { k: 'v2' } });
    expect(Number(upd.json.metadata.resourceVersion)).toBeGreaterThan(rv);
    const patched = await call('PATCH', `${cms('default')}/crud`, { metadata: { labels: { app: null, tier: 'web' } } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(patched.json.metadata.labels).toEqual({ tier: 'web' });
    expect((await call('DELETE', `${cms('default')}/crud`)).status).toBe(200);
    expect((await call('GET', `${cms('default')}/crud`)).status).toBe(404);
    expect((await call('DELETE', `${cms('default')}/crud`)).json).toMatchObject({ code: 404, reason: 'NotFound' });
  });

  it('two writers racing on the same resourceVersion: one wins, one gets 409 Conflict', async () => {
    const base = (await call('POST', cms('default'), { metadata: { name: 'race' }, data: { n: '0' } })).json;
    const [a, b] = await Promise.all([
      call('PUT', `${cms('default')}/race`, { ...base, data: { n: 'a' } }),
      call('PUT', `${cms('default')}/race`, { ...base, data: { n: 'b' } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.json).toMatchObject({ reason: 'Conflict', message: expect.stringContaining('the object has been modified') });
  });

  it('authenticates client certificates from the client CA and refuses anonymous requests', async () => {
    const anon = testClient({ url: api.url, ca: readFileSync(api.caFile, 'utf8') });
    expect((await anon('GET', NS)).json).toMatchObject({ kind: 'Status', code: 401 });
    const cert = await api.clientCert('system:node:n1', ['system:nodes']);
    const asNode = testClient({ url: api.url, ca: readFileSync(api.caFile, 'utf8'), cert });
    expect((await asNode('GET', `${NS}/default`)).status).toBe(200);
  });

  it('generateName, generation on spec changes only, status kept off the main resource, dryRun', async () => {
    const gen = await call('POST', cms('default'), { metadata: { generateName: 'gen-' } });
    expect(gen.json.metadata.name).toMatch(/^gen-[a-z0-9]{5}$/);
    const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
    const template = { metadata: { labels: { app: 'g' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
    const created = await call('POST', DEPLOY, { metadata: { name: 'g' }, spec: { replicas: 1, selector: { matchLabels: { app: 'g' } }, template }, status: { replicas: 7 } });
    expect(created.status).toBe(201);
    expect(created.json.metadata.generation).toBe(1);
    expect(created.json.status?.replicas).toBeUndefined();
    const relabelled = await call('PATCH', `${DEPLOY}/g`, { metadata: { labels: { x: 'y' } }, status: { replicas: 9 } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(relabelled.json.metadata.generation).toBe(1);
    expect(relabelled.json.status?.replicas).toBeUndefined();
    const scaled = await call('PATCH', `${DEPLOY}/g`, { spec: { replicas: 2 } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(scaled.json.metadata.generation).toBe(2);
    const dry = await call('PATCH', `${DEPLOY}/g?dryRun=All`, { spec: { replicas: 5 } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(dry.json.spec.replicas).toBe(5);
    expect((await call('GET', `${DEPLOY}/g`)).json.spec.replicas).toBe(2);
    const invalid = await call('POST', DEPLOY, { metadata: { name: 'bad' }, spec: { selector: { matchLabels: { app: 'x' } }, template } });
    expect(invalid.status).toBe(422);
    expect(invalid.json).toMatchObject({ kind: 'Status', reason: 'Invalid' });
    expect(invalid.json.details.causes.length).toBeGreaterThan(0);
  });

  it('refuses objects in a namespace that does not exist', async () => {
    const res = await call('POST', cms('no-such-ns'), { metadata: { name: 'x' } });
    expect(res.status).toBe(404);
    expect(res.json.message).toContain('no-such-ns');
  });

  it('lists with label and field selectors and paginates with limit/continue', async () => {
    await ensureNamespace('paging');
    for (let i = 0; i < 7; i++) {
      const res = await call('POST', cms('paging'), { metadata: { name: `cm-${i}`, labels: { parity: i % 2 ? 'odd' : 'even' } } });
      expect(res.status).toBe(201);
    }
    const odd = await call('GET', `${cms('paging')}?labelSelector=parity%3Dodd`);
    expect(odd.json.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['cm-1', 'cm-3', 'cm-5']);
    const byName = await call('GET', `${cms('paging')}?fieldSelector=metadata.name%3Dcm-4`);
    expect(byName.json.items).toHaveLength(1);
    const badField = await call('GET', `${cms('paging')}?fieldSelector=spec.nope%3Dx`);
    expect(badField.status).toBe(400);
    expect(badField.json.message).toContain('field label not supported: spec.nope');
    const badLabel = await call('GET', `${cms('paging')}?labelSelector=a%20in%20(`);
    expect(badLabel.status).toBe(400);
    const seen: string[] = [];
    let cont = '';
    let pages = 0;
    do {
      const page = await call('GET', `${cms('paging')}?limit=3${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.json.items.map((i: { metadata: { name: string } }) => i.metadata.name));
      cont = page.json.metadata.continue ?? '';
      pages++;
    } while (cont);
    expect(pages).toBe(3);
    expect(seen).toEqual(['cm-0', 'cm-1', 'cm-2', 'cm-3', 'cm-4', 'cm-5', 'cm-6']);
  });

  it('watch resumes after a resourceVersion and ends after timeoutSeconds', async () => {
    await ensureNamespace('watching');
    const list = await call('GET', cms('watching'));
    const rv = list.json.metadata.resourceVersion;
    await call('POST', cms('watching'), { metadata: { name: 'w1' } });
    await call('PATCH', `${cms('watching')}/w1`, { data: { a: 'b' } }, { 'Content-Type': 'application/merge-patch+json' });
    await call('DELETE', `${cms('watching')}/w1`);
    const res = await call('GET', `${cms('watching')}?watch=true&resourceVersion=${rv}&timeoutSeconds=1`);
    const events = res.text.trim().split('\n').map((l) => JSON.parse(l) as { type: string; object: { metadata: { name: string } } });
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(events.every((e) => e.object.metadata.name === 'w1')).toBe(true);
  });
});
