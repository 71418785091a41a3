import type { AddressInfo } from 'node:net';
import { request } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJsonPieces } from './respond.js';

// sendJsonPieces over a real loopback socket: one piece keeps a Content-Length, more stream
// (chunked), and the body arrives whole either way, also when the client reads slowly.
describe('sendJsonPieces', () => {
  let server: ReturnType<ReturnType<typeof express>['listen']>;
  let port = 0;
  const bodies: Record<string, string[]> = {
    one: ['{"items":[]}'],
    many: ['{"items":[', ...Array.from({ length: 200 }, (_, i) => `${i ? ',' : ''}"${'x'.repeat(16 * 1024)}${i}"`), ']}'],
  };

  beforeAll(async () => {
    const app = express();
    app.get('/:name', (req, res) => void sendJsonPieces(res, 200, bodies[req.params.name] ?? []));
    server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function get(name: string): Promise<{ headers: Record<string, unknown>; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: `/${name}` }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  }

  it.each([
    { name: 'one', lengthHeader: true },
    { name: 'many', lengthHeader: false },
  ])('$name piece(s)', async ({ name, lengthHeader }) => {
    const { headers, body } = await get(name);
    expect(headers['content-type']).toMatch(/^application\/json/);
    expect(headers['content-length'] !== undefined).toBe(lengthHeader);
    expect(body).toBe(bodies[name].join(''));
    expect(() => JSON.parse(body) as unknown).not.toThrow();
  });
});
