import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import https from 'node:https';
import { startHealthServer, type HealthServer } from './health-server.js';
import { createCA, issueServingCert } from './pki.js';
import { createLogger } from './log.js';

const servers: HealthServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function start(opts: Parameters<typeof startHealthServer>[0]): Promise<HealthServer> {
  const s = await startHealthServer({ logger: createLogger('test', 'silent'), ...opts });
  servers.push(s);
  return s;
}

async function get(url: string): Promise<{ status: number; body: string; type: string | null }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type') };
}

describe('health server', () => {
  it('answers ok when every check passes, and lists them with ?verbose', async () => {
    const s = await start({ address: '127.0.0.1', port: 0, checks: { informers: () => true, leader: async () => true } });
    expect(await get(`${s.url}/healthz`)).toMatchObject({ status: 200, body: 'ok' });
    expect((await get(`${s.url}/healthz?verbose`)).body).toBe('[+]informers ok\n[+]leader ok\nhealthz check passed\n');
    expect((await get(`${s.url}/livez`)).status).toBe(200);
  });

  it.each([
    ['returns false', () => false],
    ['throws', () => {
      throw new Error('x');
    }],
    ['hangs', () => new Promise<boolean>(() => {})],
  ])('fails /healthz with 500 when a check %s', async (_what, check) => {
    const s = await start({ address: '127.0.0.1', port: 0, checkTimeoutMs: 50, checks: { good: () => true, bad: check } });
    const res = await get(`${s.url}/healthz`);
    expect(res.status).toBe(500);
    expect(res.body).toBe('[-]bad failed: reason withheld\n[+]good ok\nhealthz check failed\n');
    expect((await get(`${s.url}/healthz/good`)).status).toBe(200);
    expect((await get(`${s.url}/healthz/bad`)).status).toBe(500);
    expect((await get(`${s.url}/healthz/nope`)).status).toBe(404);
  });

  it('serves the registry at /metrics', async () => {
    const registry = new Registry();
    new Counter({ name: 'skiff_test_total', help: 'a test counter', registers: [registry] }).inc(3);
    const s = await start({ address: '127.0.0.1', port: 0, registry });
    const res = await get(`${s.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.type).toContain('text/plain');
    expect(res.body).toContain('skiff_test_total 3');
    expect((await get(`${s.url}/other`)).status).toBe(404);
  });

  it('serves HTTPS with the given certificate', async () => {
    const ca = await createCA('test-ca');
    const serving = await issueServingCert(ca, { commonName: 'scheduler', hosts: ['127.0.0.1'] });
    const s = await start({ address: '127.0.0.1', port: 0, tls: { cert: serving.certPem, key: serving.keyPem } });
    expect(s.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const body = await new Promise<string>((resolve, reject) => {
      https.get(`${s.url}/healthz`, { ca: ca.certPem }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(text));
      }).on('error', reject);
    });
    expect(body).toBe('ok');
  });
});
