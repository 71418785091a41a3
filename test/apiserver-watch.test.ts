// Watch semantics through HTTP on a real etcd: bookmarks, initial events, single-object and
// legacy /watch/ paths, selectors, and 410 Expired after compaction followed by a relist.

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClient } from '../apiserver/testing/https-client.js';
import { startTestApiServer, type TestApiServer } from './harness/apiserver.js';

let api: TestApiServer;
let call: ReturnType<typeof testClient>;

interface Event {
  type: string;
  object: { kind?: string; code?: number; reason?: string; metadata: { name?: string; resourceVersion?: string; annotations?: Record<string, string> } };
}

beforeAll(async () => {
  api = await startTestApiServer();
  call = testClient({ url: api.url, ca: readFileSync(api.caFile, 'utf8'), token: api.token });
  expect((await call('POST', '/api/v1/namespaces', { metadata: { name: 'w' } })).status).toBe(201);
});
afterAll(async () => {
  await api?.stop();
});

function events(text: string): Event[] {
  return text.trim() === '' ? [] : text.trim().split('\n').map((l) => JSON.parse(l) as Event);
}

const CM = '/api/v1/namespaces/w/configmaps';

describe('watch', () => {
  it('sends BOOKMARK events on a quiet watch when asked', async () => {
    const rv = (await call('GET', CM)).json.metadata.resourceVersion;
    const res = await call('GET', `${CM}?watch=1&allowWatchBookmarks=true&resourceVersion=${rv}&timeoutSeconds=2`);
    const bookmarks = events(res.text).filter((e) => e.type === 'BOOKMARK');
    expect(bookmarks.length).toBeGreaterThan(0);
    expect(Number(bookmarks[0].object.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(rv));
    expect(bookmarks[0].object.kind).toBe('ConfigMap');
  });

  it('sends the current state then an initial-events-end bookmark with sendInitialEvents', async () => {
    await call('POST', CM, { metadata: { name: 'init-a' } });
    await call('POST', CM, { metadata: { name: 'init-b' } });
    const res = await call('GET', `${CM}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=2`);
    const evs = events(res.text);
    const added = evs.filter((e) => e.type === 'ADDED').map((e) => e.object.metadata.name);
    expect(added).toEqual(expect.arrayContaining(['init-a', 'init-b']));
    const end = evs.find((e) => e.type === 'BOOKMARK' && e.object.metadata.annotations?.['k8s.io/initial-events-end'] === 'true');
    expect(end).toBeDefined();
    expect(evs.indexOf(end!)).toBeGreaterThan(evs.findIndex((e) => e.object.metadata.name === 'init-b'));
    const bad = await call('GET', `${CM}?watch=1&sendInitialEvents=true`);
    expect(bad.status).toBe(400);
  });

  it('watches one object by path, through the legacy /watch/ prefix, and with a label selector', async () => {
    const rv = (await call('GET', CM)).json.metadata.resourceVersion;
    await call('POST', CM, { metadata: { name: 'one', labels: { pick: 'yes' } } });
    await call('POST', CM, { metadata: { name: 'two' } });
    const [byName, legacy, selected] = await Promise.all([
      call('GET', `${CM}/one?watch=true&resourceVersion=${rv}&timeoutSeconds=1`),
      call('GET', `/api/v1/watch/namespaces/w/configmaps?resourceVersion=${rv}&timeoutSeconds=1`),
      call('GET', `${CM}?watch=1&labelSelector=pick%3Dyes&resourceVersion=${rv}&timeoutSeconds=1`),
    ]);
    expect(events(byName.text).map((e) => e.object.metadata.name)).toEqual(['one']);
    expect(events(legacy.text).map((e) => e.object.metadata.name)).toEqual(['one', 'two']);
    expect(events(selected.text).map((e) => e.object.metadata.name)).toEqual(['one']);
  });

  it('answers 410 Expired for a compacted resourceVersion; a relist and a watch from its rv work', async () => {
    // Leases are not used elsewhere in this file, so no watch cache holds their history yet.
    const LEASES = '/apis/coordination.k8s.io/v1/namespaces/w/leases';
    const first = await call('POST', LEASES, { metadata: { name: 'old' }, spec: { holderIdentity: 'a' } });
    const oldRv = first.json.metadata.resourceVersion;
    for (let i = 0; i < 3; i++) await call('PATCH', `${LEASES}/old`, { spec: { holderIdentity: `h${i}` } }, { 'Content-Type': 'application/merge-patch+json' });
    const current = (await call('GET', `${LEASES}/old`)).json.metadata.resourceVersion;
    await promisify(execFile)('etcdctl', [`--endpoints=${api.etcd.endpoint}`, 'compact', current], { env: { ...process.env, ETCDCTL_API: '3' } });

    const expired = await call('GET', `${LEASES}?watch=1&resourceVersion=${oldRv}&timeoutSeconds=2`);
    const gone = expired.status === 410 ? expired.json : events(expired.text).find((e) => e.type === 'ERROR')?.object;
    expect(gone).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });

    const relist = await call('GET', LEASES);
    expect(relist.status).toBe(200);
    const rv = relist.json.metadata.resourceVersion;
    await call('POST', LEASES, { metadata: { name: 'new' }, spec: {} });
    const resumed = events((await call('GET', `${LEASES}?watch=1&resourceVersion=${rv}&timeoutSeconds=1`)).text);
    expect(resumed.map((e) => [e.type, e.object.metadata.name])).toEqual([['ADDED', 'new']]);
  });
});
