// skiff-apiserver as a process: flags under kube-apiserver's names, one line when serving, a
// self-signed serving certificate kept in --cert-dir across restarts, SIGTERM ending watches
// cleanly and exiting 0, and a bad flag exiting 2.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClient } from '../apiserver/testing/https-client.js';
import { startEtcd, type TestEtcd } from './harness/etcd.js';
import { freePort, waitFor } from './harness/ports.js';

let etcd: TestEtcd;
let dir: string;
const running = new Set<ChildProcess>();

beforeAll(async () => {
  etcd = await startEtcd();
  dir = mkdtempSync(join(tmpdir(), 'skiff-apiserver-main-'));
  writeFileSync(join(dir, 'tokens.csv'), 'main-token,admin,admin,"system:masters"\n');
});
afterAll(async () => {
  for (const p of running) p.kill('SIGKILL');
  await etcd?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function startMain(args: string[]): { child: ChildProcess; stdout: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apiserver/main.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SKIFF_LOG_LEVEL: 'warn' } });
  running.add(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => {
    running.delete(child);
    resolve(code);
  }));
  return { child, stdout: () => out, exited };
}

describe('skiff-apiserver main', () => {
  it('serves with a self-signed certificate kept across restarts and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const args = [`--etcd-servers=${etcd.endpoint}`, '--bind-address=127.0.0.1', `--secure-port=${port}`, `--cert-dir=${join(dir, 'certs')}`, `--token-auth-file=${join(dir, 'tokens.csv')}`, '--event-ttl=1h30m', '--etcd-compaction-interval=0'];
    const first = startMain(args);
    await waitFor('the serving line', () => first.stdout().includes('serving on'), 30_000);
    expect(first.stdout()).toMatch(new RegExp(`skiff-apiserver serving on https://127\\.0\\.0\\.1:${port}`));
    const ca = readFileSync(join(dir, 'certs', 'apiserver-ca.crt'), 'utf8');
    const call = testClient({ url: `https://127.0.0.1:${port}`, ca, token: 'main-token' });
    await waitFor('the default namespace', async () => (await call('GET', '/api/v1/namespaces/default')).status === 200);
    expect((await call('GET', '/version')).json.gitVersion).toBe('v1.32.0+skiff-0.1.0');

    // An open watch ends as a complete chunked response when the server stops.
    let watchBody = '';
    const watchEnded = new Promise<void>((resolve, reject) => {
      const req = request(`https://127.0.0.1:${port}/api/v1/namespaces?watch=1`, { ca, headers: { Authorization: 'Bearer main-token' } }, (res) => {
        res.on('data', (d: Buffer) => (watchBody += d.toString()));
        res.on('end', () => resolve());
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
    await waitFor('the watch to stream the namespaces', () => watchBody.includes('"ADDED"'));
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    await watchEnded;
    expect(watchBody.endsWith('\n')).toBe(true);

    const second = startMain(args);
    try {
      await waitFor('the serving line after restart', () => second.stdout().includes('serving on'), 30_000);
      expect(readFileSync(join(dir, 'certs', 'apiserver-ca.crt'), 'utf8')).toBe(ca);
      expect((await call('GET', '/api/v1/namespaces/default')).status).toBe(200);
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
  });

  // Flag parsing itself is unit-tested in apiserver/flags.test.ts; here only the exit code.
  it.each([['--secure-port=abc'], ['--no-such-flag']])('exits 2 on %s', async (flag) => {
    const run = startMain([flag]);
    expect(await run.exited).toBe(2);
    expect(run.stdout()).toMatch(/skiff-apiserver: /);
  });
});
