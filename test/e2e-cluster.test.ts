// The README's first command, end to end: `skiff up` on a clean data dir brings up the whole
// cluster from the built package (etcd, API server, registry, scheduler, controller-manager,
// a node with containerd and kubelet), kubectl runs a workload on it, a second `up` is
// harmless, `status` reports health, state survives down/up, and `down --purge` leaves no
// process, namespace, bridge, route, mount or cgroup behind. Uses the cluster's default
// ports and lab network, as a user would.

import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { buildOciImage } from '../deploy/images/oci.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './harness/ports.js';

const root = join(import.meta.dirname, '..');
const dataDir = mkdtempSync(join(tmpdir(), 'skiff-up-'));
const cacheDir = mkdtempSync(join(tmpdir(), 'skiff-kubectl-cache-'));

/** The CLI as a user runs it after `export KUBECONFIG=<data-dir>/kubeconfig`, as `up` says. */
function skiff(...args: string[]): { code: number; out: string; stdout: string; stderr: string } {
  return skiffWithInput(undefined, ...args);
}

/** The same, with `input` piped to its stdin. */
function skiffWithInput(input: string | undefined, ...args: string[]): { code: number; out: string; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'dist/cli/main.js'), ...args], {
    encoding: 'utf8',
    cwd: root,
    input,
    timeout: 280_000,
    env: { ...process.env, KUBECONFIG: join(dataDir, 'kubeconfig') },
  });
  return { code: r.status ?? 1, out: `${r.stdout}${r.stderr}`, stdout: r.stdout, stderr: r.stderr };
}

/** stdout of a skiff command that must succeed. */
function skiffOk(...args: string[]): string {
  const r = skiff(...args);
  if (r.code !== 0) throw new Error(`skiff ${args.join(' ')} failed (${r.code}): ${r.out}`);
  return r.stdout;
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

  it('runs a Deployment and a Service applied with skiff apply, its pods pulled from the cluster registry', async () => {
    const manifest = join(cacheDir, 'web.yaml');
    writeFileSync(
      manifest,
      [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'web', namespace: 'default' },
          spec: {
            replicas: 2,
            selector: { matchLabels: { app: 'web' } },
            template: {
              metadata: { labels: { app: 'web' } },
              spec: {
                // httpd as PID 1 ignores SIGTERM: a short grace keeps replaced pods from lingering.
                terminationGracePeriodSeconds: 2,
                containers: [{ name: 'httpd', image: 'busybox', command: ['sh', '-c', 'echo I am $(hostname) > /tmp/index.html; exec httpd -f -p 8080 -h /tmp'] }],
              },
            },
          },
        },
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } },
      ]
        .map((o) => JSON.stringify(o))
        .join('\n---\n'),
    );
    expect(skiffOk('apply', '-f', manifest)).toBe('deployment.apps/web created\nservice/web created\n');
    await waitFor('2 available replicas', () => kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.status.availableReplicas}') === '2', 120_000, 1000);
    const pods = kubectl('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.podIP}{"\\n"}{end}').trim().split('\n').map((l) => l.split(' '));
    expect(pods).toHaveLength(2);
    // From one pod to the other, by pod IP, through the node's bridge.
    const [from, to] = pods;
    expect(kubectl('exec', from[0], '--', 'wget', '-qO-', `http://${to[1]}:8080/`).trim()).toBe(`I am ${to[0]}`);
  }, 200_000);

  it('runs a pod from an image loaded with skiff image load', async () => {
    const work = mkdtempSync(join(tmpdir(), 'skiff-hello-image-'));
    try {
      // A user's own image: a static busybox and a file, as an OCI archive.
      const rootfs = join(work, 'rootfs');
      mkdirSync(join(rootfs, 'bin'), { recursive: true });
      copyFileSync('/usr/bin/busybox', join(rootfs, 'bin', 'busybox'));
      chmodSync(join(rootfs, 'bin', 'busybox'), 0o755);
      writeFileSync(join(rootfs, 'hello.txt'), 'hello from a loaded image\n');
      const image = buildOciImage('docker.io/library/hello:v1', rootfs, { Entrypoint: ['/bin/busybox', 'sh', '-c', 'cat /hello.txt; exec /bin/busybox sleep 3600'] }, join(work, 'out'));
      const loaded = skiff('image', 'load', image.archive, '--data-dir', dataDir);
      expect(loaded.code, loaded.out).toBe(0);
      expect(loaded.out).toMatch(/loaded docker\.io\/library\/hello:v1/);
      expect(skiff('image', 'ls', '--data-dir', dataDir).out).toMatch(/library\/hello\s+v1/);
      kubectlApply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hello', namespace: 'default' }, spec: { containers: [{ name: 'hello', image: 'hello:v1' }] } });
      await waitFor('the hello pod to run', () => kubectl('get', 'pod', 'hello', '-o', 'jsonpath={.status.phase}') === 'Running', 120_000, 1000);
      await waitFor('its output', () => kubectl('logs', 'hello').includes('hello from a loaded image'), 30_000, 500);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 200_000);

  it('execs with a terminal and follows logs through the API server and the kubelet', async () => {
    kubectlApply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'talker', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'i=0; while true; do echo line $i; i=$((i+1)); sleep 0.2; done'] }] } });
    await waitFor('talker running', () => kubectl('get', 'pod', 'talker', '-o', 'jsonpath={.status.phase}') === 'Running', 120_000, 1000);
    // `script` gives kubectl a real terminal, as a person typing `kubectl exec -it` has.
    const line = `kubectl --kubeconfig ${join(dataDir, 'kubeconfig')} --cache-dir ${cacheDir} exec -it talker -- sh -c 'tty; [ -t 0 ] && [ -t 1 ] && echo both-ends-are-a-terminal'`;
    const out = execFileSync('script', ['-qec', line, '/dev/null'], { encoding: 'utf8', timeout: 60_000 });
    expect(out).toMatch(/\/dev\/pts\/\d+/);
    expect(out).toContain('both-ends-are-a-terminal');
    await waitFor('a few log lines', () => kubectl('logs', 'talker', '--tail=2').trim().split('\n').length === 2, 30_000, 500);
    // Followed for 3 s: new lines keep arriving while kubectl holds the stream open.
    const followed = spawnSync('timeout', ['3', 'kubectl', '--kubeconfig', join(dataDir, 'kubeconfig'), '--cache-dir', cacheDir, 'logs', '-f', 'talker', '--tail=1'], { encoding: 'utf8' });
    const numbers = [...followed.stdout.matchAll(/^line (\d+)$/gm)].map((m) => Number(m[1]));
    expect(numbers.length).toBeGreaterThan(5);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  }, 200_000);

  it('shows the workload with skiff get, describe, logs, exec and top', async () => {
    expect(skiffOk('get', 'deployment', 'web')).toMatch(/^web {3,}2\/2 {3,}2 {3,}2 {3,}\S+\n$/m);
    const described = skiffOk('describe', 'deployment', 'web');
    expect(described).toMatch(/^Name: +web$/m);
    expect(described).toMatch(/^Replicas: +2 desired \| 2 updated \| 2 total \| 2 available \| 0 unavailable$/m);
    expect(skiffOk('logs', 'hello')).toContain('hello from a loaded image');
    const pod = skiffOk('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}');
    expect(skiffOk('exec', pod, '--', 'cat', '/tmp/index.html')).toBe(`I am ${pod}\n`);
    expect(skiff('exec', pod, '--', 'sh', '-c', 'exit 3').code).toBe(3);
    // Piped input goes over SPDY through the API server and the kubelet to containerd: its end
    // reaches the command, and the command's exit code comes back.
    expect(skiffWithInput('piped\n', 'exec', '-i', pod, '--', 'cat')).toMatchObject({ code: 0, stdout: 'piped\n' });
    expect(skiffWithInput('x\n', 'exec', '-i', pod, '--', 'sh', '-c', 'cat >/dev/null; exit 5').code).toBe(5);
    // The kubelet's first stats sample takes a moment after the pods start.
    await waitFor('pod metrics', () => skiff('top', 'pods').stdout.includes(pod), 60_000, 2000);
    expect(skiffOk('top', 'pods')).toMatch(new RegExp(`^${pod} +\\d+m +\\d+Mi$`, 'm'));
    expect(skiffOk('top', 'nodes')).toMatch(/^node-0 +\d+m +\d+% +\d+Mi +\d+%$/m);
  }, 120_000);

  it('scales and rolls the Deployment as the README shows: scale, rollout status, restart, history, undo', async () => {
    expect(skiffOk('scale', 'deployment/web', '--replicas=3')).toBe('deployment.apps/web scaled\n');
    expect(skiffOk('rollout', 'status', 'deployment/web', '--timeout=120s')).toMatch(/deployment "web" successfully rolled out\n$/);
    expect(skiffOk('rollout', 'restart', 'deployment/web')).toBe('deployment.apps/web restarted\n');
    const restarted = skiffOk('rollout', 'status', 'deployment/web', '--timeout=120s');
    expect(restarted).toMatch(/^Waiting for deployment "web" rollout to finish: /m);
    expect(restarted).toMatch(/deployment "web" successfully rolled out\n$/);
    expect(skiffOk('rollout', 'history', 'deployment/web')).toBe('deployment.apps/web\nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');
    expect(skiffOk('rollout', 'undo', 'deployment/web')).toBe('deployment.apps/web rolled back\n');
    expect(skiffOk('rollout', 'status', 'deployment/web', '--timeout=120s')).toMatch(/successfully rolled out\n$/);
    // Back on the first template: the restart's annotation is gone again.
    expect(skiffOk('get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.metadata.annotations}')).toBe('');
    expect(skiffOk('get', 'deployment', 'web', '-o', 'jsonpath={.status.availableReplicas}')).toBe('3');
    // The replaced pods finish terminating before the Service tests count pods.
    await waitFor('only the 3 current pods', () => skiffOk('get', 'pods', '-l', 'app=web', '-o', 'name').trim().split('\n').length === 3, 60_000, 500);
  }, 200_000);

  describe('services through the proxy and cluster DNS', () => {
    const inNode = (...args: string[]) => execFileSync('nsenter', ['--net=/run/netns/skiff-node-0', ...args], { encoding: 'utf8' });
    const names = (out: string) => new Set([...out.matchAll(/^I am (\S+)$/gm)].map((m) => m[1]));
    const fetchMany = (url: string, n: number) =>
      kubectl('exec', 'client', '--', 'sh', '-c', `for i in $(seq ${n}); do timeout 3 wget -qO- ${url} || echo FAILED; done`);
    const webPods = () => kubectl('get', 'pods', '-l', 'app=web', '--field-selector=status.phase=Running', '-o', 'jsonpath={.items[*].metadata.name}').split(' ').filter(Boolean);
    const endpointIPs = () => kubectl('get', 'endpoints', 'web', '-o', 'jsonpath={.subsets[*].addresses[*].ip}').split(' ').filter(Boolean);

    it('balances web.default.svc.cluster.local over every ready pod', async () => {
      kubectl('scale', 'deployment', 'web', '--replicas=3');
      kubectlApply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } });
      kubectlApply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] } });
      await waitFor('3 endpoints and the client', () => endpointIPs().length === 3 && kubectl('get', 'pod', 'client', '-o', 'jsonpath={.status.phase}') === 'Running', 120_000, 1000);
      const seen = names(fetchMany('http://web.default.svc.cluster.local/', 30));
      expect(seen).toEqual(new Set(webPods()));
      expect(names(fetchMany('http://web/', 3)).size).toBeGreaterThan(0); // the search path: web -> web.default.svc.cluster.local
    }, 200_000);

    it('answers on the node port at the node address', () => {
      const nodePort = kubectl('get', 'service', 'web', '-o', 'jsonpath={.spec.ports[0].nodePort}');
      const out = inNode('sh', '-c', `for i in $(seq 10); do timeout 3 busybox wget -qO- http://10.200.0.10:${nodePort}/; done`);
      expect(names(out).size).toBeGreaterThan(1);
    });

    it('takes a deleted pod out of rotation once its endpoints change', async () => {
      const [victim] = webPods();
      const victimIP = kubectl('get', 'pod', victim, '-o', 'jsonpath={.status.podIP}');
      kubectl('delete', 'pod', victim, '--wait=false');
      await waitFor('the endpoints to drop the pod', () => !endpointIPs().includes(victimIP), 60_000, 500);
      await new Promise((r) => setTimeout(r, 1500)); // the proxy batches changes within a second
      expect(names(fetchMany('http://web.default.svc.cluster.local/', 20))).not.toContain(victim);
    }, 120_000);

    it('repairs a chain flushed by hand', async () => {
      inNode('iptables-legacy', '-t', 'nat', '-F', 'SKIFF-SERVICES');
      await waitFor('the proxy to repair its rules', () => inNode('iptables-legacy', '-t', 'nat', '-S', 'SKIFF-SERVICES').includes('default/web'), 60_000, 1000);
      expect(names(fetchMany('http://web.default.svc.cluster.local/', 5)).size).toBeGreaterThan(0);
    }, 90_000);

    it('keeps serving while the kubelet restarts, with the same rules', async () => {
      const clusterIP = kubectl('get', 'service', 'web', '-o', 'jsonpath={.spec.clusterIP}');
      const rules = () => inNode('iptables-legacy-save', '-t', 'nat').split('\n').filter((l) => l.startsWith('-A SKIFF-')).sort().join('\n');
      const before = rules();
      const rec = JSON.parse(readFileSync(join(dataDir, 'run', 'kubelet-node-0.pid'), 'utf8')) as { pid: number };
      process.kill(rec.pid, 'SIGKILL');
      await waitFor('the kubelet to be gone', () => !alive(rec.pid), 10_000);
      // No kubelet: the kernel's rules carry the traffic on their own.
      expect(names(inNode('timeout', '3', 'busybox', 'wget', '-qO-', `http://${clusterIP}/`)).size).toBe(1);
      const r = skiff('up', '--data-dir', dataDir);
      expect(r.code, r.out).toBe(0);
      expect(r.out).toMatch(/node node-0: kubelet — started/);
      pids = recordedPids();
      await waitFor('the same rules after the restart', () => rules() === before, 60_000, 1000);
      expect(names(fetchMany('http://web.default.svc.cluster.local/', 5)).size).toBeGreaterThan(0);
    }, 200_000);

    it('refuses at once when the service has no endpoints', async () => {
      kubectl('scale', 'deployment', 'web', '--replicas=0');
      await waitFor('no endpoints', () => endpointIPs().length === 0, 60_000, 500);
      await new Promise((r) => setTimeout(r, 1500));
      const started = Date.now();
      const out = kubectl('exec', 'client', '--', 'sh', '-c', 'timeout 5 wget -qO- http://web.default.svc.cluster.local/ 2>&1; echo rc=$?');
      expect(out).toMatch(/refused/i);
      expect(Date.now() - started).toBeLessThan(4000);
      kubectl('scale', 'deployment', 'web', '--replicas=2');
      await waitFor('2 endpoints again', () => endpointIPs().length === 2, 120_000, 1000);
    }, 200_000);
  });

  it('drains the node through the eviction API, then uncordons it', () => {
    // The lone pods (hello, talker, client) need --force; they ignore SIGTERM as PID 1, so a short grace.
    const r = skiff('drain', 'node-0', '--ignore-daemonsets', '--force', '--grace-period=1', '--timeout=120s');
    expect(r.code, r.out).toBe(0);
    expect(r.stderr).toMatch(/^Warning: deleting Pods that declare no controller: (default\/(client|hello|talker)(, )?){3}$/m);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('node/node-0 cordoned');
    for (const pod of ['client', 'hello', 'talker']) {
      expect(lines).toContain(`evicting pod default/${pod}`);
      expect(lines).toContain(`pod/${pod} evicted`);
    }
    // Every web pod it started to evict is gone (terminating ones from earlier tests count too).
    const evicting = lines.filter((l) => l.startsWith('evicting pod default/web-')).map((l) => l.slice('evicting pod default/'.length));
    expect(evicting.length).toBeGreaterThanOrEqual(2);
    for (const pod of evicting) expect(lines).toContain(`pod/${pod} evicted`);
    expect(lines.at(-1)).toBe('node/node-0 drained');
    // The Deployment's replacements wait for a node: the only one is cordoned.
    expect(kubectl('get', 'pods', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.nodeName};{end}')).toMatch(/^(web-[a-z0-9-]+=;)+$/);
    expect(skiffOk('uncordon', 'node-0')).toBe('node/node-0 uncordoned\n');
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

  it('kubelet --cleanup removes every chain the proxy owns and nothing else', async () => {
    const inNode = (...args: string[]) => execFileSync('nsenter', ['--net=/run/netns/skiff-node-0', ...args], { encoding: 'utf8' });
    await waitFor('the proxy to program the node', () => inNode('iptables-legacy-save').includes(':SKIFF-SERVICES'), 60_000, 500);
    const rec = JSON.parse(readFileSync(join(dataDir, 'run', 'kubelet-node-0.pid'), 'utf8')) as { pid: number };
    process.kill(rec.pid, 'SIGTERM');
    await waitFor('the kubelet to stop', () => !alive(rec.pid), 30_000);
    inNode('iptables-legacy', '-t', 'nat', '-N', 'SOMEONE-ELSES');
    inNode(process.execPath, join(root, 'dist/kubelet/main.js'), '--cleanup');
    const after = inNode('iptables-legacy-save');
    expect(after).not.toMatch(/SKIFF-/);
    expect(after).toMatch(/:SOMEONE-ELSES/);
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
