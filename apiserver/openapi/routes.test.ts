import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourceRegistry } from '../../api/resources.js';
import { builtinSchemaCatalog } from '../../api/schema/catalog.js';
import { ApiError } from '../errors.js';
import { OpenAPIDocuments } from './documents.js';
import { openAPIEndpoints } from './routes.js';

let server: Server;
let base: string;
const docs = new OpenAPIDocuments(new ResourceRegistry(), builtinSchemaCatalog());

beforeAll(async () => {
  const app = express();
  openAPIEndpoints(app, () => docs);
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    res.status(err instanceof ApiError ? err.code : 500).json({ reason: err instanceof ApiError ? err.reason : String(err) });
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers, redirect: 'manual' });

describe('OpenAPI routes', () => {
  it('serves a document at its current hash as immutable, with an ETag', async () => {
    const { hash } = docs.groupVersion('apis/apps/v1')!;
    const res = await get(`/openapi/v3/apis/apps/v1?hash=${hash}`, { accept: 'application/json' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, immutable');
    expect(res.headers.get('etag')).toBe(`"${hash}"`);
    expect(((await res.json()) as { openapi: string }).openapi).toBe('3.0.0');
  });

  it.each([
    ['the index', '/openapi/v3'],
    ['an unhashed document', '/openapi/v3/api/v1'],
    ['v2', '/openapi/v2'],
  ])('revalidates %s every time', async (_name, path) => {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache, private');
    const again = await get(path, { 'if-none-match': res.headers.get('etag')! });
    expect(again.status).toBe(304);
  });

  it('redirects a stale hash to the current one', async () => {
    const res = await get('/openapi/v3/apis/apps/v1?hash=0123');
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe(`/openapi/v3/apis/apps/v1?hash=${docs.groupVersion('apis/apps/v1')!.hash}`);
  });

  it.each([
    // client-go's v2 request: it parses nothing but protobuf there.
    ['application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 200, 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf'],
    ['application/com.github.proto-openapi.spec.v2@v1.0+protobuf, application/json', 200, 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf'],
    ['application/json, */*', 200, 'application/json'],
    ['', 200, 'application/json'],
    ['application/yaml', 406, null],
  ])('/openapi/v2 with Accept %j → %d %s', async (accept, code, type) => {
    const res = await get('/openapi/v2', accept === '' ? {} : { accept });
    expect(res.status).toBe(code);
    if (type !== null) expect(res.headers.get('content-type')).toBe(type);
  });

  it('404s an unserved group-version', async () => {
    expect((await get('/openapi/v3/apis/example.com/v1')).status).toBe(404);
  });
});
