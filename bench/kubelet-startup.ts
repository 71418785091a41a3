// Pod startup latency through skiff (create with nodeName set → Running seen over a watch),
// next to the raw CRI sequence against the same containerd (RunPodSandbox → ImageStatus →
// CreateContainer → StartContainer → RUNNING), 50 pods one after another and 50 at
// concurrency 10; and the kubelet process's RSS with 50 pods running.
// Run: npx tsx bench/kubelet-startup.ts   (root; real etcd, API server, containerd)

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pod } from '../api/types.js';
import { restClientFromKubeconfig } from '../client/rest.js';
import type { CriClient } from '../kubelet/cri/client.js';
import type { PodSandboxConfig } from '../kubelet/cri/types.js';
import { startTestApiServer } from '../test/harness/apiserver.js';
import { BUSYBOX_IMAGE } from '../test/harness/images.js';
import { createTestNode, type TestNode } from '../test/harness/node.js';
import { freePort, waitFor } from '../test/harness/ports.js';

const N = 50;
// The built kubelet (npm run build) is what a node runs and what RSS should measure; the
// TypeScript source under tsx carries the transpiler's memory too.
const DIST_MAIN = fileURLToPath(new URL('../dist/kubelet/main.js', import.meta.url));
const KUBELET_ENTRY = existsSync(DIST_MAIN) ? [DIST_MAIN] : ['--import', 'tsx', fileURLToPath(new URL('../kubelet/main.ts', import.meta.url))];
const CONCURRENCY = 10;

function stats(ms: number[]): { min: number; median: number; p99: number; max: number } {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { min: s[0], median: q(0.5), p99: q(0.99), max: s[s.length - 1] };
}

const fmt = (x: { min: number; median: number; p99: number; max: number }): string => `min ${x.min.toFixed(0)} / median ${x.median.toFixed(0)} / p99 ${x.p99.toFixed(0)} / max ${x.max.toFixed(0)} ms`;

async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

async function rawPod(cri: CriClient, node: TestNode, i: string): Promise<{ ms: number; sandboxId: string }> {
  const t0 = performance.now();
  const uid = `raw-${i}-${Date.now()}`;
  const config: PodSandboxConfig = {
    metadata: { name: `raw-${i}`, uid, namespace: 'bench', attempt: 0 },
    hostname: `raw-${i}`,
    log_directory: join(node.dir, 'raw-logs', uid),
    labels: { bench: 'raw' },
    linux: { cgroup_parent: `${node.cgroupRoot}/pod${uid}`, security_context: { namespace_options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } } },
  };
  const sandboxId = await cri.runPodSandbox(config);
  await cri.imageStatus(BUSYBOX_IMAGE);
  const id = await cri.createContainer(sandboxId, { metadata: { name: 'main', attempt: 0 }, image: { image: BUSYBOX_IMAGE }, command: ['sleep', '3600'], log_path: 'main/0.log' }, config);
  await cri.startContainer(id);
  while ((await cri.containerStatus(id)).status?.state !== 'CONTAINER_RUNNING') await new Promise((r) => setTimeout(r, 5));
  return { ms: performance.now() - t0, sandboxId };
}

async function rawTeardown(cri: CriClient): Promise<void> {
  const sbs = await cri.listPodSandbox({ label_selector: { bench: 'raw' } });
  await pool(sbs, 10, async (sb) => {
    await cri.stopPodSandbox(sb.id);
    await cri.removePodSandbox(sb.id);
  });
}

function rssMb(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) / 1024;
}

function healthz(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = https.get({ host: '127.0.0.1', port, path: '/healthz', rejectUnauthorized: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
  });
}

async function main(): Promise<void> {
  const [api, node] = await Promise.all([startTestApiServer(), createTestNode({ writeCni: false })]);
  const rootDir = mkdtempSync(join(tmpdir(), 'skiff-bench-kubelet-'));
  let kubelet: ChildProcess | undefined;
  const cri = node.cri();
  try {
    const client = restClientFromKubeconfig({ kubeconfig: api.kubeconfigPath });
    const port = await freePort();
    kubelet = spawn(
      process.execPath,
      [
        ...KUBELET_ENTRY,
        `--kubeconfig=${api.kubeconfigPath}`,
        `--container-runtime-endpoint=${node.endpoint}`,
        `--hostname-override=${node.name}`,
        `--node-ip=${node.nodeIp}`,
        `--root-dir=${rootDir}`,
        `--pod-cidr=${node.podCidr}`,
        `--cni-conf-dir=${node.cniConfDir}`,
        '--address=127.0.0.1',
        `--port=${port}`,
        '--manage-routes=false',
        '--proxy-mode=none',
        '--serve-cluster-dns=false',
      ],
      { stdio: 'ignore', cwd: fileURLToPath(new URL('..', import.meta.url)) },
    );
    const pid = kubelet.pid as number;
    await waitFor('kubelet', () => healthz(port), 30_000);

    // Warm-up: pull the image and the sandbox image once, outside the timings.
    await cri.pullImage(BUSYBOX_IMAGE);
    await rawPod(cri, node, 'warm');
    await rawTeardown(cri);

    // skiff: one watch sees every pod's first Running.
    const pods = client.for<Pod>('pods');
    const created = new Map<string, number>();
    const running = new Map<string, number>();
    const waiters = new Map<string, () => void>();
    const abort = new AbortController();
    const list = await pods.list('default');
    void pods.watch(
      'default',
      { resourceVersion: list.metadata?.resourceVersion },
      (ev) => {
        const p = ev.object;
        const name = p.metadata?.name ?? '';
        if (p.status?.phase === 'Running' && !running.has(name)) {
          running.set(name, performance.now());
          waiters.get(name)?.();
        }
      },
      abort.signal,
    );
    const kubeletPod = async (name: string): Promise<number> => {
      const seen = new Promise<void>((resolve) => waiters.set(name, resolve));
      created.set(name, performance.now());
      await pods.create('default', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'default' },
        spec: {
          nodeName: node.name,
          terminationGracePeriodSeconds: 0,
          // IfNotPresent: the same image work as the raw sequence (ImageStatus only); `busybox`
          // alone means :latest, which Kubernetes pulls on every start (PullImage to the registry).
          containers: [{ name: 'main', image: 'busybox', imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }],
        },
      });
      await seen;
      return (running.get(name) as number) - (created.get(name) as number);
    };
    await kubeletPod('warm');

    // The machines are shared and their load moves: raw and skiff pods alternate, so both
    // see the same conditions (one pod each in turn; then rounds of 10 at concurrency 10).
    const rawSeq: number[] = [];
    const skiffSeq: number[] = [];
    for (let i = 0; i < N; i++) {
      rawSeq.push((await rawPod(cri, node, `s${i}`)).ms);
      skiffSeq.push(await kubeletPod(`seq-${i}`));
    }
    const rawConc: number[] = [];
    const skiffConc: number[] = [];
    let rawConcWall = 0;
    let skiffConcWall = 0;
    for (let round = 0; round < N / CONCURRENCY; round++) {
      const batch = [...Array(CONCURRENCY).keys()].map((k) => round * CONCURRENCY + k);
      let t = performance.now();
      await pool(batch, CONCURRENCY, async (i) => void rawConc.push((await rawPod(cri, node, `c${i}`)).ms));
      rawConcWall += performance.now() - t;
      t = performance.now();
      await pool(batch, CONCURRENCY, async (i) => void skiffConc.push(await kubeletPod(`conc-${i}`)));
      skiffConcWall += performance.now() - t;
    }
    await rawTeardown(cri);

    // RSS with 50 pods: delete the sequential batch and let the kubelet settle.
    await pool([...Array(N).keys()], 10, async (i) => pods.delete('default', `seq-${i}`, { gracePeriodSeconds: 0 }).catch(() => undefined));
    await pods.delete('default', 'warm', { gracePeriodSeconds: 0 }).catch(() => undefined);
    await waitFor('50 pods left', async () => (await pods.list('default')).items.length === N, 120_000, 500);
    await new Promise((r) => setTimeout(r, 3000));
    const rss = rssMb(pid);
    abort.abort();

    const rs = stats(rawSeq);
    const ks = stats(skiffSeq);
    const rc = stats(rawConc);
    const kc = stats(skiffConc);
    console.log(`pod startup, ${N} pods (busybox sleep), load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
    console.log(`  raw CRI   sequential:        ${fmt(rs)}`);
    console.log(`  skiff     sequential:        ${fmt(ks)}   ratio median ${(ks.median / rs.median).toFixed(2)}x, p99 ${(ks.p99 / rs.p99).toFixed(2)}x`);
    console.log(`  raw CRI   concurrency ${CONCURRENCY}:    ${fmt(rc)}   wall ${rawConcWall.toFixed(0)} ms (5 rounds)`);
    console.log(`  skiff     concurrency ${CONCURRENCY}:    ${fmt(kc)}   wall ${skiffConcWall.toFixed(0)} ms (5 rounds)   ratio median ${(kc.median / rc.median).toFixed(2)}x, p99 ${(kc.p99 / rc.p99).toFixed(2)}x`);
    console.log(`  kubelet RSS with ${N} pods: ${rss.toFixed(1)} MB (${KUBELET_ENTRY.length === 1 ? 'dist build' : 'tsx source'})`);
  } finally {
    if (kubelet && kubelet.exitCode === null) {
      const k = kubelet;
      await new Promise<void>((resolve) => {
        k.once('exit', () => resolve());
        k.kill('SIGTERM');
      });
    }
    await node.remove();
    await api.stop();
    rmSync(rootDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
