// The README's first command, end to end: `skiff up` on a clean data dir brings up etcd and
// the API server from the built package, kubectl works with the kubeconfig it writes, a
// second `up` is harmless, `status` reports health, and `down` leaves no process, bridge or
// route behind. Uses the cluster's default ports (2379, 6443) and bridge, as a user would.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const dataDir = mkdtempSync(join(tmpdir(), 'skiff-up-'));
const cacheDir = mkdtempSync(join(tmpdir(), 'skiff-kubectl-cache-'));

function skiff(...args: string[]): { code: number; out: string } {
  const r = spawnSync(process.execPath, [join(root, 'dist/cli/main.js'), ...args], { encoding: 'utf8', cwd: root, timeout: 180_000 });
  return { code: r.status ?? 1, out: `${r.stdout}${r.stderr}` };
}

function kubectl(...args: string[]): string {
  return execFileSync('kubectl', ['--kubeconfig', join(dataDir, 'kubeconfig'), '--cache-dir', cacheDir, ...args], { encoding: 'utf8' });
}

function kubectlApply(manifest: object): string {
  return execFileSync('kubectl', ['--kubeconfig', join(dataDir, 'kubeconfig'), '--cache-dir', cacheDir, 'apply', '-f', '-'], {
    encoding: 'utf8',
    input: JSON.stringify(manifest),
  });
}

function recordedPids(): number[] {
  const run = join(dataDir, 'run');
  if (!existsSync(run)) return [];
  return execFileSync('ls', [run], { encoding: 'utf8' })
    .split('\n')
    .filter((f) => f.endsWith('.pid'))
    .map((f) => (JSON.parse(readFileSync(join(run, f), 'utf8')) as { pid: number }).pid);
}

const alive = (pid: number) => existsSync(`/proc/${pid}`);

describe('skiff up / status / down', () => {
  let pids: number[] = [];

  beforeAll(() => {
    // up starts the compiled services: make sure dist/ matches the sources.
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
  }, 300_000);

  afterAll(() => {
    skiff('down', '--data-dir', dataDir, '--purge');
    for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('brings up etcd and the API server and writes a kubeconfig kubectl can use', () => {
    const r = skiff('up', '--data-dir', dataDir);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/ok\s+etcd — started/);
    expect(r.out).toMatch(/ok\s+API server — started/);
    expect(r.out).toContain(`export KUBECONFIG=${dataDir}/kubeconfig`);
    pids = recordedPids();
    expect(pids).toHaveLength(2);
    expect(kubectl('get', 'namespaces', '-o', 'name').split('\n').sort()).toEqual(
      expect.arrayContaining(['namespace/default', 'namespace/kube-node-lease', 'namespace/kube-public', 'namespace/kube-system']),
    );
  });

  it('is harmless on a running cluster', () => {
    const r = skiff('up', '--data-dir', dataDir);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/etcd — already running/);
    expect(r.out).toMatch(/API server — already running/);
    expect(recordedPids()).toEqual(pids);
  });

  it('reports each component healthy with its version', () => {
    const r = skiff('status', '--data-dir', dataDir);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/apiserver\s+running \(pid \d+\)\s+healthy\s+v1\.32\.0\+skiff/);
    expect(r.out).toMatch(/etcd\s+running \(pid \d+\)\s+healthy\s+3\.4/);
  });

  it('keeps its state across down and up', () => {
    kubectlApply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kept' } });
    expect(skiff('down', '--data-dir', dataDir).code).toBe(0);
    expect(pids.filter(alive)).toEqual([]);
    const r = skiff('up', '--data-dir', dataDir);
    expect(r.code, r.out).toBe(0);
    pids = recordedPids();
    expect(kubectl('get', 'namespace', 'kept', '-o', 'name').trim()).toBe('namespace/kept');
  });

  it('down stops every process and removes the network it made', () => {
    const r = skiff('down', '--data-dir', dataDir, '--purge');
    expect(r.code, r.out).toBe(0);
    expect(pids.filter(alive)).toEqual([]);
    expect(spawnSync('ip', ['link', 'show', 'skiff0']).status).not.toBe(0);
    expect(execFileSync('ip', ['route'], { encoding: 'utf8' })).not.toMatch(/unreachable 10\.(244|96)\./);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('says which step failed, why, and where its log is', () => {
    // Port 2379 taken by something that is not ours: etcd cannot start.
    const net = execFileSync(process.execPath, ['-e', `
      const s = require('node:net').createServer().listen(2379, '127.0.0.1', () => {
        const { spawnSync } = require('node:child_process');
        const r = spawnSync(process.execPath, [${JSON.stringify(join(root, 'dist/cli/main.js'))}, 'up', '--data-dir', ${JSON.stringify(dataDir)}], { encoding: 'utf8' });
        process.stdout.write(JSON.stringify({ code: r.status, out: r.stdout + r.stderr }));
        s.close();
      });`], { encoding: 'utf8', timeout: 180_000 });
    const r = JSON.parse(net) as { code: number; out: string };
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/step "etcd" failed: etcd exited during start-up/);
    expect(r.out).toContain(join(dataDir, 'logs', 'etcd.log'));
  }, 200_000);
});
