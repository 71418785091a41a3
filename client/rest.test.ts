// The REST client against a scripted HTTP server on loopback: what goes on the wire (paths,
// queries, content types) and what the client does with each kind of answer.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigMap, WatchEvent } from '../api/types.js';
import { isConflict, isGone, isNotFound, isTooManyRequests } from './errors.js';
import { createLogger } from './log.js';
import { RestClient, retryAfterMs } from './rest.js';

interface Seen {
  method: string;
  url: string;
  contentType?: string;
  auth?: string;
  body: string;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

let server: http.Server;
let url: string;
let seen: Seen[] = [];
let handlers: Handler[] = [];

const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
const status = (code: number, reason: string, message: string) => ({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      seen.push({ method: req.method!, url: req.url!, contentType: req.headers['content-type'], auth: req.headers.authorization, body });
      const h = handlers.shift();
      if (h) h(req, res, body);
      else json(res, 200, { kind: 'ConfigMap', metadata: { name: 'ok' } });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

const clients: RestClient[] = [];
afterEach(() => {
  seen = [];
  handlers = [];
  for (const c of clients.splice(0)) c.close();
});

function client(opts: ConstructorParameters<typeof RestClient>[1] = {}, server_ = url): RestClient {
  const c = new RestClient({ server: server_, insecureSkipTLSVerify: false, namespace: 'default', token: 't0k' }, { backoffMs: 1, maxBackoffMs: 5, logger: createLogger('test', 'silent'), ...opts });
  clients.push(c);
  return c;
}

describe('RestClient', () => {
  it('builds paths and queries from the resource table and sends the token', async () => {
    const c = client();
    const cms = c.for<ConfigMap>('cm');
    await cms.get('ns1', 'a');
    await cms.list(undefined, { labelSelector: 'app=web', limit: 500 });
    await c.for('deployments').create('ns1', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } }, { dryRun: true, fieldManager: 'me' });
    await c.for('nodes').updateStatus({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', namespace: 'ignored' } });
    await cms.delete('ns1', 'a', { propagationPolicy: 'Foreground' });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /api/v1/namespaces/ns1/configmaps/a',
      'GET /api/v1/configmaps?labelSelector=app%3Dweb&limit=500',
      'POST /apis/apps/v1/namespaces/ns1/deployments?dryRun=All&fieldManager=me',
      'PUT /api/v1/nodes/n1/status',
      'DELETE /api/v1/namespaces/ns1/configmaps/a',
    ]);
    expect(seen[0].auth).toBe('Bearer t0k');
    expect(JSON.parse(seen[4].body)).toEqual({ apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Foreground' });
  });

  it.each([
    ['merge', 'application/merge-patch+json', ''],
    ['json', 'application/json-patch+json', ''],
    ['strategic', 'application/strategic-merge-patch+json', ''],
    ['apply', 'application/apply-patch+yaml', '?fieldManager=ctl&force=true'],
  ] as const)('sends a %s patch as %s', async (type, contentType, query) => {
    await client().for('configmaps').patch('ns', 'a', type, { data: { k: 'v' } }, { fieldManager: 'ctl', force: true });
    expect(seen[0]).toMatchObject({ method: 'PATCH', contentType });
    expect(seen[0].url).toBe(`/api/v1/namespaces/ns/configmaps/a${query || '?fieldManager=ctl'}`);
    expect(JSON.parse(seen[0].body)).toEqual({ data: { k: 'v' } });
  });

  it('posts bindings and evictions', async () => {
    const c = client();
    await c.bindPod('ns', 'p', 'node-1', 'uid-1');
    await c.evictPod('ns', 'p', { gracePeriodSeconds: 0 });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['POST /api/v1/namespaces/ns/pods/p/binding', 'POST /api/v1/namespaces/ns/pods/p/eviction']);
    expect(JSON.parse(seen[0].body)).toEqual({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p', namespace: 'ns', uid: 'uid-1' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' } });
    expect(JSON.parse(seen[1].body)).toMatchObject({ apiVersion: 'policy/v1', kind: 'Eviction', deleteOptions: { gracePeriodSeconds: 0 } });
  });

  it('turns Status answers into typed errors', async () => {
    const cms = client().for('configmaps');
    handlers.push((_q, res) => json(res, 404, status(404, 'NotFound', 'configmaps "a" not found')));
    await expect(cms.get('ns', 'a')).rejects.toSatisfy((e) => isNotFound(e) && (e as Error).message === 'configmaps "a" not found');
    handlers.push((_q, res) => json(res, 409, status(409, 'Conflict', 'the object has been modified')));
    await expect(cms.update({ metadata: { name: 'a', namespace: 'ns' } })).rejects.toSatisfy(isConflict);
    handlers.push((_q, res) => json(res, 410, status(410, 'Expired', 'too old')));
    await expect(cms.list('ns', { continue: 'x' })).rejects.toSatisfy(isGone);
  });

  it('retries 429 for writes too, honouring Retry-After', async () => {
    handlers.push((_q, res) => json(res, 429, status(429, 'TooManyRequests', 'slow down'), { 'Retry-After': '1' }));
    const start = Date.now();
    await client().for('configmaps').create('ns', { metadata: { name: 'a' } });
    expect(Date.now() - start).toBeGreaterThanOrEqual(950);
    expect(seen.map((s) => s.method)).toEqual(['POST', 'POST']);
  });

  it('gives up after maxRetries with the last error', async () => {
    for (let i = 0; i < 3; i++) handlers.push((_q, res) => json(res, 429, status(429, 'TooManyRequests', 'no'), { 'Retry-After': '0' }));
    await expect(client({ maxRetries: 2 }).for('configmaps').get('ns', 'a')).rejects.toSatisfy(isTooManyRequests);
    expect(seen).toHaveLength(3);
  });

  it('retries 5xx for reads but not for writes', async () => {
    handlers.push((_q, res) => json(res, 500, status(500, 'InternalError', 'boom')));
    await client().for('configmaps').get('ns', 'a');
    expect(seen).toHaveLength(2);
    seen = [];
    handlers.push((_q, res) => json(res, 500, status(500, 'InternalError', 'boom')));
    await expect(client().for('configmaps').create('ns', { metadata: { name: 'a' } })).rejects.toMatchObject({ code: 500 });
    expect(seen).toHaveLength(1);
  });

  it('retries a write whose connection was refused (it never reached the server)', async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const c = client({ maxRetries: 3, backoffMs: 50, maxBackoffMs: 1000 }, `http://127.0.0.1:${port}`);
    const start = Date.now();
    await expect(c.for('configmaps').create('ns', { metadata: { name: 'a' } })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    // Three retries wait at least 25 + 50 + 100 ms (backoff with jitter in [d/2, d]).
    expect(Date.now() - start).toBeGreaterThanOrEqual(170);
    await expect(c.for('configmaps').get('ns', 'a')).rejects.toThrow(/GET \/api\/v1\/namespaces\/ns\/configmaps\/a: connect ECONNREFUSED/);
  });

  it('applies an optional client-side qps limit', async () => {
    const c = client({ qps: 20, burst: 1 });
    const start = Date.now();
    for (let i = 0; i < 5; i++) await c.for('configmaps').get('ns', 'a');
    expect(Date.now() - start).toBeGreaterThanOrEqual(190);
  });

  it('streams watch events split across writes, then ends when the server ends the stream', async () => {
    handlers.push((_q, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const body = [
        JSON.stringify({ type: 'ADDED', object: { kind: 'ConfigMap', metadata: { name: 'a', resourceVersion: '5' } } }),
        JSON.stringify({ type: 'BOOKMARK', object: { kind: 'ConfigMap', metadata: { resourceVersion: '6' } } }),
      ].join('\n') + '\n';
      res.write(body.slice(0, 17));
      setTimeout(() => {
        res.write(body.slice(17, 60));
        res.end(body.slice(60));
      }, 10);
    });
    const events: WatchEvent<ConfigMap>[] = [];
    await client().for<ConfigMap>('configmaps').watch('ns', { resourceVersion: '4', allowWatchBookmarks: true, timeoutSeconds: 30 }, (ev) => events.push(ev));
    expect(seen[0].url).toBe('/api/v1/namespaces/ns/configmaps?resourceVersion=4&allowWatchBookmarks=true&timeoutSeconds=30&watch=1');
    expect(events.map((e) => `${e.type} ${e.object.metadata?.resourceVersion}`)).toEqual(['ADDED 5', 'BOOKMARK 6']);
  });

  it('rejects a watch with GoneError on 410 (answer or ERROR event) and resolves on abort', async () => {
    const cms = client().for('configmaps');
    handlers.push((_q, res) => json(res, 410, status(410, 'Expired', 'too old resource version')));
    await expect(cms.watch('ns', { resourceVersion: '1' }, () => {})).rejects.toSatisfy(isGone);
    handlers.push((_q, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(JSON.stringify({ type: 'ERROR', object: status(410, 'Expired', 'too old resource version: 1 (9)') }) + '\n');
    });
    await expect(cms.watch('ns', { resourceVersion: '1' }, () => {})).rejects.toSatisfy(isGone);
    handlers.push((_q, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'x' } } }) + '\n');
    });
    const ac = new AbortController();
    const got: string[] = [];
    await cms.watch('ns', {}, (ev) => {
      got.push(ev.object.metadata!.name!);
      ac.abort();
    }, ac.signal);
    expect(got).toEqual(['x']);
  });
});

describe('RestClient watch on a dead connection', () => {
  it('gives up on a watch that stays silent well past its timeoutSeconds', async () => {
    handlers.push((_q, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.flushHeaders();
      // ... and then nothing, as from a peer that vanished.
    });
    const start = Date.now();
    await expect(client({ watchIdleGraceMs: 100 }).for('configmaps').watch('ns', { timeoutSeconds: 1 }, () => {})).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    expect(Date.now() - start).toBeGreaterThanOrEqual(1000);
  });
});

describe('server warnings', () => {
  it('hands each Warning header message to onWarning', async () => {
    const warnings: string[] = [];
    handlers.push((_q, res) => {
      res.setHeader('Warning', ['299 - "spec.containers[0].securityContext.seLinuxOptions: stored, not acted on"', '299 - "a \\"quoted\\" one"']);
      json(res, 200, { kind: 'Pod', metadata: { name: 'p' } });
    });
    await client({ onWarning: (w) => warnings.push(w) }).for('pods').get('ns', 'p');
    expect(warnings).toEqual(['spec.containers[0].securityContext.seLinuxOptions: stored, not acted on', 'a "quoted" one']);
  });
});

describe('retryAfterMs', () => {
  it.each([
    ['3', 3000],
    [' 0 ', 0],
    [undefined, undefined],
    ['soon', undefined],
  ])('%j → %j', (header, ms) => {
    expect(retryAfterMs(header)).toBe(ms);
  });
});
