import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCA, issueClientCert, issueServingCert, type KeyPair } from '../client/pki.js';
import { createLogger } from '../client/log.js';
import type { RequestContext } from './context.js';
import { defaultSeams } from './seams.js';
import { startApiServer, type ApiServer } from './server.js';
import { MemoryStore } from './testing/memory-store.js';
import { testClient } from './testing/https-client.js';

let server: ApiServer;
let ca: KeyPair;
let store: MemoryStore;
let call: ReturnType<typeof testClient>;
const TOKEN = 'test-admin-token';

beforeAll(async () => {
  ca = await createCA('test-ca');
  const serving = await issueServingCert(ca, { commonName: 'apiserver', hosts: ['127.0.0.1'] });
  store = new MemoryStore();
  server = await startApiServer({
    store,
    bindAddress: '127.0.0.1',
    securePort: 0,
    servingCert: serving,
    clientCAPem: ca.certPem,
    tokens: new Map([[TOKEN, { name: 'admin', groups: ['system:masters'] }]]),
    config: { maxRequestBodyBytes: 64 * 1024 },
    log: createLogger('apiserver-test', 'silent'),
  });
  call = testClient({ url: server.url(), ca: ca.certPem, token: TOKEN });
  for (let i = 0; i < 50 && (await call('GET', '/api/v1/namespaces/default')).status !== 200; i++) await new Promise((r) => setTimeout(r, 20));
});
afterAll(async () => {
  await server?.close();
});

const cm = (name: string, data: Record<string, string> = { a: '1' }, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...extra },
  data,
});

describe('authentication', () => {
  it('answers health and version without credentials, and 401 Status for the rest', async () => {
    const anon = testClient({ url: server.url(), ca: ca.certPem });
    expect((await anon('GET', '/healthz')).status).toBe(200);
    expect((await anon('GET', '/readyz')).status).toBe(200);
    const version = await anon('GET', '/version');
    expect(version.json).toMatchObject({ major: '1', minor: '32', gitVersion: 'v1.32.0+skiff-0.1.0' });
    expect(version.json.goVersion).toBe(`node-${process.version}`);
    const denied = await anon('GET', '/api/v1/namespaces');
    expect(denied.status).toBe(401);
    expect(denied.json).toMatchObject({ kind: 'Status', code: 401, reason: 'Unauthorized' });
    const badToken = testClient({ url: server.url(), ca: ca.certPem, token: 'wrong' });
    expect((await badToken('GET', '/api/v1/namespaces')).status).toBe(401);
  });

  it('accepts a client certificate from the client CA, and refuses one from another CA', async () => {
    const good = await issueClientCert(ca, { user: 'alice', groups: ['devs'] });
    const ok = await testClient({ url: server.url(), ca: ca.certPem, cert: good })('GET', '/api/v1/namespaces');
    expect(ok.status).toBe(200);
    const otherCA = await createCA('other');
    const bad = await issueClientCert(otherCA, { user: 'mallory' });
    expect((await testClient({ url: server.url(), ca: ca.certPem, cert: bad })('GET', '/api/v1/namespaces')).status).toBe(401);
  });
});

describe('verbs', () => {
  it('creates, gets, lists, updates and deletes', async () => {
    const created = await call('POST', '/api/v1/namespaces/default/configmaps', cm('one'));
    expect(created.status).toBe(201);
    expect(created.json.metadata).toMatchObject({ name: 'one', namespace: 'default', generation: 1 });
    expect(created.json.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.json.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect((await call('POST', '/api/v1/namespaces/default/configmaps', cm('one'))).json).toMatchObject({ code: 409, reason: 'AlreadyExists' });
    const got = await call('GET', '/api/v1/namespaces/default/configmaps/one');
    expect(got.json.data).toEqual({ a: '1' });
    const list = await call('GET', '/api/v1/namespaces/default/configmaps');
    expect(list.json).toMatchObject({ kind: 'ConfigMapList', apiVersion: 'v1' });
    expect(list.json.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toContain('one');
    const updated = await call('PUT', '/api/v1/namespaces/default/configmaps/one', { ...got.json, data: { a: '2' } });
    expect(updated.status).toBe(200);
    expect(updated.json.data).toEqual({ a: '2' });
    expect(updated.json.metadata.generation).toBe(2);
    const stale = await call('PUT', '/api/v1/namespaces/default/configmaps/one', { ...got.json, data: { a: '3' } });
    expect(stale.json).toMatchObject({ code: 409, reason: 'Conflict' });
    const unconditional = await call('PUT', '/api/v1/namespaces/default/configmaps/one', cm('one', { a: '4' }));
    expect(unconditional.status).toBe(200);
    const del = await call('DELETE', '/api/v1/namespaces/default/configmaps/one');
    expect(del.json).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'one', kind: 'configmaps' } });
    expect((await call('GET', '/api/v1/namespaces/default/configmaps/one')).json).toMatchObject({ code: 404, reason: 'NotFound', message: 'configmaps "one" not found' });
  });

  it('generates names with a 5-character suffix', async () => {
    const res = await call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { generateName: 'gen-' }, data: {} });
    expect(res.status).toBe(201);
    expect(res.json.metadata.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('keeps status on main-resource writes of kinds with a status subresource', async () => {
    const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
    const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template }, status: { replicas: 9 } };
    const created = await call('POST', '/apis/apps/v1/namespaces/default/deployments', dep);
    expect(created.json.status).toBeUndefined();
    const put = await call('PUT', '/apis/apps/v1/namespaces/default/deployments/web', { ...created.json, status: { replicas: 5 } });
    expect(put.json.status).toBeUndefined();
    expect(put.json.metadata.generation).toBe(1);
    const patched = await call('PATCH', '/apis/apps/v1/namespaces/default/deployments/web', { spec: { replicas: 3 } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(patched.json.spec.replicas).toBe(3);
    expect(patched.json.metadata.generation).toBe(2);
  });

  it.each([
    ['namespace mismatch', 'POST', '/api/v1/namespaces/default/configmaps', cm('x', {}, { namespace: 'other' }), 400],
    ['kind mismatch', 'POST', '/api/v1/namespaces/default/configmaps', { ...cm('x'), kind: 'Secret' }, 400],
    ['name mismatch on PUT', 'PUT', '/api/v1/namespaces/default/configmaps/a', cm('b'), 400],
    ['no name', 'POST', '/api/v1/namespaces/default/configmaps', { data: {} }, 422],
    ['unknown kind', 'GET', '/api/v1/namespaces/default/widgets', undefined, 404],
    ['unknown group', 'GET', '/apis/nope.io/v1/things', undefined, 404],
    ['unknown subresource', 'GET', '/api/v1/namespaces/default/configmaps/x/status', undefined, 404],
    ['namespaced object without namespace', 'GET', '/api/v1/configmaps/x', undefined, 404],
  ])('%s → %s', async (_what, method, path, body, code) => {
    const res = await call(method, path, body);
    expect(res.status).toBe(code);
    expect(res.json).toMatchObject({ kind: 'Status', code });
  });

  it('refuses bad bodies with a Status and keeps serving', async () => {
    const bad = await call('POST', '/api/v1/namespaces/default/configmaps', '{"metadata": {"name": "x",', {});
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/not valid JSON/);
    const yaml = await call('POST', '/api/v1/namespaces/default/configmaps', 'metadata:\n  name: y\n data: [', { 'Content-Type': 'application/yaml' });
    expect(yaml.status).toBe(400);
    expect(yaml.json.message).toMatch(/line \d+, column \d+/);
    const good = await call('POST', '/api/v1/namespaces/default/configmaps', 'metadata:\n  name: from-yaml\ndata:\n  k: v\n', { 'Content-Type': 'application/yaml' });
    expect(good.status).toBe(201);
    expect((await call('POST', '/api/v1/namespaces/default/configmaps', 'x', { 'Content-Type': 'text/plain' })).status).toBe(415);
    const huge = await call('POST', '/api/v1/namespaces/default/configmaps', cm('big', { a: 'x'.repeat(100 * 1024) }));
    expect(huge.status).toBe(413);
    const deep = await call('POST', '/api/v1/namespaces/default/configmaps', `{"metadata":{"name":"deep"},"x":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    expect(deep.status).toBe(400);
    // Server-side apply needs a field manager (apiserver/apply), and a patch type must be known.
    const apply = await call('PATCH', '/api/v1/namespaces/default/configmaps/from-yaml', 'data: {}', { 'Content-Type': 'application/apply-patch+yaml' });
    expect(apply.status).toBe(422);
    expect(apply.json.message).toContain('fieldManager: Required value');
    const unknownPatch = await call('PATCH', '/api/v1/namespaces/default/configmaps/from-yaml', '{}', { 'Content-Type': 'application/x-patch' });
    expect(unknownPatch.status).toBe(415);
    expect(unknownPatch.json.message).toContain('application/merge-patch+json');
    const jsonPatch = await call('PATCH', '/api/v1/namespaces/default/configmaps/from-yaml', [{ op: 'replace', path: '/data/k', value: 'w' }], { 'Content-Type': 'application/json-patch+json' });
    expect(jsonPatch.json.data).toEqual({ k: 'w' });
    const failedTest = await call('PATCH', '/api/v1/namespaces/default/configmaps/from-yaml', [{ op: 'test', path: '/data/k', value: 'nope' }], { 'Content-Type': 'application/json-patch+json' });
    expect(failedTest.status).toBe(422);
    expect((await call('GET', '/healthz')).status).toBe(200);
  });

  it('honours dryRun=All', async () => {
    const res = await call('POST', '/api/v1/namespaces/default/configmaps?dryRun=All', cm('dry'));
    expect(res.status).toBe(201);
    expect((await call('GET', '/api/v1/namespaces/default/configmaps/dry')).status).toBe(404);
  });
});

describe('discovery', () => {
  it('serves APIResourceLists with subresources and aggregated discovery when asked', async () => {
    const v1 = await call('GET', '/api/v1');
    const names = v1.json.resources.map((r: { name: string }) => r.name);
    expect(names).toEqual(expect.arrayContaining(['pods', 'pods/status', 'pods/binding', 'namespaces', 'configmaps']));
    expect(v1.json.resources.find((r: { name: string }) => r.name === 'pods')).toMatchObject({ kind: 'Pod', namespaced: true, shortNames: ['po'] });
    const apps = await call('GET', '/apis/apps/v1');
    expect(apps.json.resources.find((r: { name: string }) => r.name === 'deployments/scale')).toMatchObject({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    const groups = await call('GET', '/apis');
    expect(groups.json.groups.map((g: { name: string }) => g.name)).toContain('apps');
    const agg = await call('GET', '/apis', undefined, { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' });
    expect(agg.headers['content-type']).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    expect(agg.json.items.find((i: { metadata: { name: string } }) => i.metadata.name === 'apps').versions[0].resources.map((r: { resource: string }) => r.resource)).toContain('deployments');
  });

  it('tags aggregated discovery with an ETag: 304 while unchanged, a new tag once a kind is added', async () => {
    const accept = { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' };
    const first = await call('GET', '/apis', undefined, accept);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[0-9a-f]+"$/);
    expect((await call('GET', '/apis', undefined, { ...accept, 'If-None-Match': etag })).status).toBe(304);
    const registry = server.parts.registry;
    registry.add({ group: 'example.com', version: 'v1', kind: 'Widget', resource: 'widgets', singular: 'widget', namespaced: true, shortNames: [], subresources: [], categories: [], verbs: ['get'] });
    try {
      const changed = await call('GET', '/apis', undefined, { ...accept, 'If-None-Match': etag });
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).not.toBe(etag);
    } finally {
      registry.remove('example.com', 'v1', 'widgets');
    }
  });
});

describe('watch', () => {
  it('streams events as lines and ends after timeoutSeconds', async () => {
    const before = await call('GET', '/api/v1/namespaces/default/configmaps');
    const rv = before.json.metadata.resourceVersion;
    await call('POST', '/api/v1/namespaces/default/configmaps', cm('watched'));
    const started = Date.now();
    const res = await call('GET', `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${rv}&timeoutSeconds=1`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const events = res.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'watched' } } });
  });
});

describe('warnings', () => {
  it('sends what handlers add to ctx.warnings as Warning: 299 headers', async () => {
    const warnStore = new MemoryStore();
    const seams = defaultSeams();
    const warned = await startApiServer({
      store: warnStore,
      bindAddress: '127.0.0.1',
      securePort: 0,
      servingCert: await issueServingCert(ca, { commonName: 'apiserver', hosts: ['127.0.0.1'] }),
      tokens: new Map([[TOKEN, { name: 'admin', groups: ['system:masters'] }]]),
      log: createLogger('apiserver-test', 'silent'),
      seams: {
        ...seams,
        runAdmission: async (phase, attrs, parts) => {
          await seams.runAdmission(phase, attrs, parts);
          if (phase === 'admit') (parts as RequestContext).warnings.push('field spec.foo is stored but not acted on', 'say "hi"');
        },
      },
    });
    try {
      const warnCall = testClient({ url: warned.url(), ca: ca.certPem, token: TOKEN });
      for (let i = 0; i < 50 && (await warnCall('GET', '/api/v1/namespaces/default')).status !== 200; i++) await new Promise((r) => setTimeout(r, 20));
      const res = await warnCall('POST', '/api/v1/namespaces/default/configmaps', cm('warned'));
      expect(res.status).toBe(201);
      expect(res.headers.warning).toBe('299 - "field spec.foo is stored but not acted on", 299 - "say \\"hi\\""');
    } finally {
      await warned.close();
    }
  });
});
