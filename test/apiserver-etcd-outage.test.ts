// etcd stopped and started again under load: requests fail fast with 503 (never hang, never
// half-write), /readyz reports it, open watches end (cleanly or with an ERROR event), and
// everything works again once etcd is back, including a watch resumed from the last rv seen.

import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClient } from '../apiserver/testing/https-client.js';
import { startTestApiServer, type TestApiServer } from './harness/apiserver.js';
import { waitFor } from './harness/ports.js';

let api: TestApiServer;
let ca: string;
let call: ReturnType<typeof testClient>;

beforeAll(async () => {
  api = await startTestApiServer();
  ca = readFileSync(api.caFile, 'utf8');
  call = testClient({ url: api.url, ca, token: api.token });
});
afterAll(async () => {
  await api?.stop();
});

const CM = '/api/v1/namespaces/default/configmaps';

/** An open watch whose lines are collected as they arrive; `ended` settles when the server ends it. */
function openWatch(path: string): { lines: string[]; ended: Promise<void> } {
  const lines: string[] = [];
  const ended = new Promise<void>((resolve, reject) => {
    const req = request(new URL(path, api.url), { ca, headers: { Authorization: `Bearer ${api.token}` } }, (res) => {
      let buf = '';
      res.on('data', (d: Buffer) => {
        buf += d.toString();
        const parts = buf.split('\n');
        buf = parts.pop()!;
        lines.push(...parts.filter((l) => l !== ''));
      });
      res.on('end', () => resolve());
      res.on('error', () => resolve());
    });
    req.on('error', reject);
    req.end();
  });
  return { lines, ended };
}

describe('etcd outage', () => {
  it('answers 503 while etcd is away and recovers when it returns', async () => {
    const rv0 = (await call('GET', CM)).json.metadata.resourceVersion;
    const watch = openWatch(`${CM}?watch=1&resourceVersion=${rv0}`);
    // Each attempt writes a new name: a write cut off by the outage may or may not have
    // landed (etcd can commit and lose the answer), so it is never retried under its name.
    const acknowledged: string[] = [];
    let attempts = 0;
    let writing = true;
    let lastFailure = '';
    const codes: number[] = [];
    const writer = (async () => {
      while (writing) {
        const name = `load-${attempts++}`;
        // A transport error is recorded as -1 and fails the code check below with the rest.
        const res = await call('POST', CM, { metadata: { name } }).catch((err: Error) => ({ status: -1, text: err.message }));
        codes.push(res.status);
        if (res.status === 201) acknowledged.push(name);
        else {
          lastFailure = `${res.status} ${res.text}`;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    })();
    const written = () => acknowledged.length;
    await waitFor('some writes before the outage', () => written() >= 5);

    await api.etcd.stop();
    try {
      await waitFor('the server to notice etcd is gone', async () => (await call('GET', '/readyz')).status === 503, 20_000);
      expect((await call('GET', '/livez')).status).toBe(200);
      expect((await call('GET', '/healthz')).status).toBe(500);
      expect((await call('GET', '/readyz?verbose')).text).toContain('[-]etcd failed');
      const started = Date.now();
      const down = await call('POST', CM, { metadata: { name: 'during-outage' } });
      expect(down.status).toBe(503);
      expect(down.json).toMatchObject({ kind: 'Status', code: 503, reason: 'ServiceUnavailable' });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect((await call('GET', `${CM}/load-0`)).status).toBeGreaterThanOrEqual(500);
      // The watch ends: cleanly or after an ERROR event, never silently stuck.
      await watch.ended;
      const last = watch.lines.at(-1);
      if (last && JSON.parse(last).type === 'ERROR') expect(JSON.parse(last).object.kind).toBe('Status');
    } finally {
      await api.etcd.start();
    }

    await waitFor('the server to be ready again', async () => (await call('GET', '/readyz')).status === 200, 30_000);
    const before = written();
    await waitFor('writes to succeed again', () => written() > before + 3, 30_000).catch((err: Error) => {
      throw new Error(`${err.message}; last failed write: ${lastFailure}`);
    });
    writing = false;
    await writer;
    expect(codes.every((c) => c === 201 || c === 503 || c === 504)).toBe(true);
    expect((await call('GET', `${CM}/during-outage`)).status).toBe(404);

    // Every write that answered 201 is there.
    const names = new Set((await call('GET', CM)).json.items.map((i: { metadata: { name: string } }) => i.metadata.name));
    for (const name of acknowledged) expect(names.has(name)).toBe(true);

    // A client resumes its watch from the last rv it saw and misses nothing written after it.
    type Ev = { type: string; object: { metadata: { name: string; resourceVersion: string } } };
    const seen = watch.lines.map((l) => JSON.parse(l) as Ev).filter((e) => e.type !== 'ERROR');
    const resumeFrom = seen.at(-1)?.object.metadata.resourceVersion ?? rv0;
    const resumed = await call('GET', `${CM}?watch=1&resourceVersion=${resumeFrom}&timeoutSeconds=1`);
    const added = resumed.text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Ev);
    expect(added.every((e) => e.type === 'ADDED')).toBe(true);
    const delivered = new Set([...seen, ...added].map((e) => e.object.metadata.name));
    for (const name of acknowledged) expect(delivered.has(name)).toBe(true);
  });
});
