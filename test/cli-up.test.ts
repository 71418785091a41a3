// The README's first command, end to end: `skiff up` on a clean data dir brings up the whole
// cluster from the built package (etcd, API server, registry, scheduler, controller-manager,
// a node with containerd and kubelet), kubectl runs a workload on it, a second `up` is
// harmless, `status` reports health, state survives down/up, and `down --purge` leaves no
// process, namespace, bridge, route, mount or cgroup behind. Uses the cluster's default
// ports and lab network, as a user would.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './harness/ports.js';

const root = join(import.meta.dirname, '..');
const dataDir = mkdtempSync(join(tmpdir(), 'skiff-up-'));
const cacheDir = mkdtempSync(join(tmpdir(), 'skiff-kubectl-cache-'));

function skiff(...args: string[]): { code: number; out: string } {
  const r = spawnSync(process.execPath, [join(root, 'dist/cli/main.js'), ...args], { encoding: 'utf8', cwd: root, timeout: 280_000 });
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

describe('skiff up / status / down', { timeout: 300_000 }, () => {
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

  it('brings up the whole cluster and writes a kubeconfig kubectl can use', () => {
    const r = skiff('up', '--data-dir', dataDir);
    expect(r.code, r.out).toBe(0);
    for (const step of ['etcd', 'API server', 'scheduler', 'controller-manager', 'node node-0: containerd', 'node node-0: kubelet']) {
      expect(r.out).toMatch(new RegExp(`ok\\s+${step} — started`));
    }
    expect(r.out).toMatch(/ok\s+node node-0 Ready/);
    expect(r.out).toContain(`export KUBECONFIG=${dataDir}/kubeconfig`);
    pids = recordedPids();
    expect(pids).toHaveLength(7);
    expect(kubectl('get', 'namespaces', '-o', 'name').split('\n').sort()).toEqual(
      expect.arrayContaining(['namespace/default', 'namespace/kube-node-lease', 'namespace/kube-public', 'namespace/kube-system']),
    );
  });

  it('runs a Deployment whose pods serve, pulled from the cluster registry', async () => {
    kubectlApply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'httpd', image: 'busybox', command: ['sh', '-c', 'echo I am $(hostname) > /tmp/index.html; exec httpd -f -p 8080 -h /tmp'] }] },
        },
      },
    });
    await waitFor('2 available replicas', () => kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.status.availableReplicas}') === '2', 120_000, 1000);
    const pods = kubectl('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.podIP}{"\\n"}{end}').trim().split('\n').map((l) => l.split(' '));
    expect(pods).toHaveLength(2);
    // From one pod to the other, by pod IP, through the node's bridge.
    const [from, to] = pods;
    expect(kubectl('exec', from[0], '--', 'wget', '-qO-', `http://${to[1]}:8080/`).trim()).toBe(`I am ${to[0]}`);
  }, 200_000);

  it('is harmless on a running cluster', () => {
    const r = skiff('up', '--data-dir', dataDir);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/etcd — already running/);
    expect(r.out).toMatch(/API server — already running/);
    expect(recordedPids()).toEqual(pids);
  });

  it('reports each component healthy with its version, and the nodes', () => {
    const r = skiff('status', '--data-dir', dataDir);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/apiserver\s+running \(pid \d+\)\s+healthy\s+v1\.32\.0\+skiff/);
    expect(r.out).toMatch(/etcd\s+running \(pid \d+\)\s+healthy\s+3\.4/);
    for (const c of ['scheduler', 'controller-manager', 'registry', 'kubelet-node-0']) expect(r.out).toMatch(new RegExp(`${c}\\s+running \\(pid \\d+\\)\\s+healthy`));
    expect(r.out).toMatch(/node-0\s+Ready\s+10\.200\.0\.10/);
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

  it('down stops every process and removes the network, mounts and cgroups it made', () => {
    const r = skiff('down', '--data-dir', dataDir, '--purge');
    expect(r.code, r.out).toBe(0);
    expect(pids.filter(alive)).toEqual([]);
    const shims = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes('containerd-shim') && l.includes(dataDir));
    expect(shims).toEqual([]);
    expect(readFileSync('/proc/mounts', 'utf8')).not.toContain(dataDir);
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain('skiff-node-0');
    expect(spawnSync('ip', ['link', 'show', 'skiff0']).status).not.toBe(0);
    expect(execFileSync('ip', ['route'], { encoding: 'utf8' })).not.toMatch(/unreachable 10\.(244|96)\./);
    expect(existsSync('/sys/fs/cgroup/memory/skiff/node-0') || existsSync('/sys/fs/cgroup/skiff/node-0')).toBe(false);
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
