// Hostile and heavy input never crashes the server or half-writes: garbage bodies, huge and
// deeply nested bodies, wrong content types; in-flight limits answer 429 with Retry-After;
// metrics count requests; Events expire after --event-ttl.

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClient } from '../apiserver/testing/https-client.js';
import { startTestApiServer, type TestApiServer } from './harness/apiserver.js';
import { waitFor } from './harness/ports.js';

let api: TestApiServer;
let call: ReturnType<typeof testClient>;

beforeAll(async () => {
  api = await startTestApiServer({ flags: { 'event-ttl': '2s', 'max-mutating-requests-inflight': '2', 'max-request-body-bytes': String(256 * 1024) } });
  call = testClient({ url: api.url, ca: readFileSync(api.caFile, 'utf8'), token: api.token });
});
afterAll(async () => {
  await api?.stop();
});

const CM = '/api/v1/namespaces/default/configmaps';

describe('robustness', () => {
  it.each([
    ['malformed JSON', '{"metadata":{"name":"x"', 'application/json', 400, /not valid JSON/],
    ['malformed YAML', 'metadata:\n  name: x\n   bad: [', 'application/yaml', 400, /line \d+, column \d+/],
    ['JSON array', '[1,2,3]', 'application/json', 400, /must be a JSON object/],
    ['empty body', '', 'application/json', 400, /empty/],
    ['wrong content type', 'name=x', 'application/x-www-form-urlencoded', 415, /unknown format/],
    ['deep nesting', `{"metadata":{"name":"deep"},"data":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}}`, 'application/json', 400, /nests deeper/],
    ['huge body', JSON.stringify({ metadata: { name: 'huge' }, data: { a: 'x'.repeat(512 * 1024) } }), 'application/json', 413, /larger than the limit/],
    ['YAML alias bomb', 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n', 'application/yaml', 400, /YAML/],
  ])('%s → %i Status', async (_what, body, type, code, message) => {
    const res = await call('POST', CM, body, { 'Content-Type': type });
    expect(res.status).toBe(code);
    expect(res.json).toMatchObject({ kind: 'Status', code });
    expect(res.json.message).toMatch(message);
  });

  it('survives random bytes on every verb and writes nothing', async () => {
    const before = (await call('GET', CM)).json.items.length;
    for (let i = 0; i < 30; i++) {
      const body = randomBytes(1 + Math.floor(Math.random() * 2048));
      for (const [method, path] of [['POST', CM], ['PUT', `${CM}/x`], ['PATCH', `${CM}/x`], ['DELETE', `${CM}/x`]] as const) {
        const type = method === 'PATCH' ? 'application/merge-patch+json' : i % 2 ? 'application/yaml' : 'application/json';
        const res = await call(method, path, body, { 'Content-Type': type });
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.json?.kind).toBe('Status');
      }
    }
    expect((await call('GET', '/healthz')).status).toBe(200);
    expect((await call('GET', CM)).json.items.length).toBe(before);
  });

  it('answers 429 with Retry-After over the mutating in-flight limit; reads and watches are not counted against it', async () => {
    const watch = call('GET', `${CM}?watch=1&timeoutSeconds=2`);
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => call('POST', CM, { metadata: { name: `burst-${i}` } })));
    const codes = results.map((r) => r.status);
    expect(codes.filter((c) => c === 429).length).toBeGreaterThan(0);
    expect(codes.every((c) => c === 201 || c === 429)).toBe(true);
    const limited = results.find((r) => r.status === 429)!;
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.json).toMatchObject({ kind: 'Status', reason: 'TooManyRequests' });
    expect((await watch).status).toBe(200);
  });

  it('exports request metrics', async () => {
    await call('GET', `${CM}/does-not-exist`);
    const anon = testClient({ url: api.url, ca: readFileSync(api.caFile, 'utf8') });
    expect((await anon('GET', '/metrics')).status).toBe(401);
    const text = (await call('GET', '/metrics')).text;
    expect(text).toMatch(/apiserver_request_total\{verb="create",resource="configmaps",subresource="",code="201"\} \d+/);
    expect(text).toMatch(/apiserver_request_total\{verb="get",resource="configmaps",subresource="",code="404"\} [1-9]/);
    expect(text).toMatch(/apiserver_request_duration_seconds_bucket\{le="0.005",verb="get",resource="configmaps"/);
    expect(text).toContain('apiserver_current_inflight_requests');
    expect(text).toContain('apiserver_longrunning_requests');
    expect(text).toContain('etcd_request_duration_seconds');
  });

  it('answers refused upgrade requests (exec) with a Status: 401 without credentials, 404 for a missing pod', async () => {
    const upgrade = (token?: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(`${api.url}/api/v1/namespaces/default/pods/missing/exec?command=true&stdout=true`, {
          method: 'POST',
          ca: readFileSync(api.caFile, 'utf8'),
          headers: { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'v4.channel.k8s.io', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        });
        req.on('response', (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('upgrade', () => reject(new Error('unexpected upgrade')));
        req.on('error', reject);
        req.end();
      });
    const anon = await upgrade();
    expect(anon.status).toBe(401);
    expect(JSON.parse(anon.body)).toMatchObject({ kind: 'Status', code: 401 });
    const missing = await upgrade(api.token);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'pods "missing" not found' });
  });

  it('removes Events after --event-ttl', async () => {
    const ev = {
      metadata: { name: 'short-lived' },
      involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' },
      reason: 'Test',
      message: 'expires',
      type: 'Normal',
    };
    expect((await call('POST', '/api/v1/namespaces/default/events', ev)).status).toBe(201);
    expect((await call('GET', '/api/v1/namespaces/default/events/short-lived')).status).toBe(200);
    await waitFor('the event to expire', async () => (await call('GET', '/api/v1/namespaces/default/events/short-lived')).status === 404, 15_000);
  });
});
