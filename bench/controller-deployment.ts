// Deployments of 500 and 1,000 replicas on 100 Node objects: how long until every pod exists
// and is bound, and how long a rolling update with maxSurge 25% takes when each pod reports
// Ready as soon as it is bound. The controller-manager runs as its own process (through tsx),
// so its CPU seconds and peak RSS are its own; this script plays the scheduler (binding
// round-robin) and the kubelets (leases, pod status, finishing graceful deletes). The API
// server runs as its own process too (bench/apiserver-process.ts; SKIFF_BENCH_APISERVER picks
// the compiled one), as `skiff up` runs it, so it does not share this script's event loop.
// Run: npx tsx bench/controller-deployment.ts
// (BENCH_CM_DIST=<outDir of `tsc -p tsconfig.build.json`> runs the compiled controller-manager
// with plain node instead of tsx, which is how it is deployed and leaves tsx's memory out.)

import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { startApiServerProcess } from './apiserver-process.js';
import { restClientFromKubeconfig } from '../client/rest.js';
import { createInformer } from '../client/informer.js';
import { BUILTIN_RESOURCES } from '../api/resources.js';
import type { Deployment, Lease, Node, Pod } from '../api/types.js';
import type { ApiClient } from '../client/interfaces.js';
import { isConflict } from '../client/errors.js';
import { SERVICE_NODE_FLAGS } from '../client/node-heap.js';

const NODES = 100;
const TICK = Number(process.env.CLK_TCK ?? 100);

function usage(pid: number): { cpuSeconds: number; rssMb: number; peakRssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / TICK;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { cpuSeconds, rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
}

/** The node process running `script` under `npx tsx` (npx → tsx → node --import tsx): the descendant of `root` that loads tsx and names the script. */
function nodePid(root: number, script: string): number {
  const parentOf = (pid: number): number => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
  const descends = (pid: number): boolean => {
    for (let p = pid, i = 0; p > 1 && i < 10; p = parentOf(p), i++) if (p === root) return true;
    return false;
  };
  const found = readdirSync('/proc')
    .map(Number)
    .filter((pid) => Number.isInteger(pid) && pid > 0)
    .filter((pid) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmd.includes(script) && cmd.includes('--import') && descends(pid);
      } catch {
        return false; // gone meanwhile
      }
    });
  return found.length > 0 ? Math.max(...found) : root;
}

function start(script: string, args: string[]): ChildProcess {
  return spawn('npx', ['tsx', ...SERVICE_NODE_FLAGS, script, ...args], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, SKIFF_LOG_LEVEL: process.env.SKIFF_LOG_LEVEL ?? 'warn' } });
}

async function waitUntil(what: string, check: () => boolean, timeoutMs: number, progress?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${progress ? ` (${progress()})` : ''}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The kubelets' part: pods bound to a node go Running + Ready; graceful deletes finish at once. */
function playKubelets(client: ApiClient, pods: ReturnType<typeof createInformer<Pod>>): void {
  const podClient = client.for<Pod>('pods');
  let ip = 1;
  let bindNext = 0;
  const inFlight = new Set<string>();
  const handle = (p: Pod): void => {
    const key = `${p.metadata?.namespace}/${p.metadata?.name}`;
    if (inFlight.has(key)) return;
    let work: Promise<unknown> | undefined;
    if (p.metadata?.deletionTimestamp) work = podClient.delete(p.metadata.namespace, p.metadata.name!, { gracePeriodSeconds: 0 });
    else if (!p.spec?.nodeName) work = client.bindPod(p.metadata!.namespace!, p.metadata!.name!, `node-${bindNext++ % NODES}`);
    else if (p.spec?.nodeName && p.status?.phase !== 'Running') {
      const addr = `10.244.${(ip >> 8) & 255}.${ip++ & 255}`;
      const t = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      work = podClient.updateStatus({ ...p, status: { phase: 'Running', podIP: addr, podIPs: [{ ip: addr }], conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: t }] } });
    }
    if (!work) return;
    inFlight.add(key);
    // An event that arrived while this write was in flight was skipped: look at the pod again.
    work
      .catch(() => undefined)
      .finally(() => {
        inFlight.delete(key);
        const current = pods.lister.get(key);
        if (current && current !== p) handle(current);
      });
  };
  pods.addEventHandler({ onAdd: handle, onUpdate: (_o, p) => handle(p) });
}

async function main(): Promise<void> {
  const api = await startApiServerProcess();
  const client = restClientFromKubeconfig({ kubeconfig: api.kubeconfigPath });
  const children: ChildProcess[] = [];
  try {
    await client.for('namespaces').create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-node-lease' } }).catch(() => undefined);
    const now = (): string => new Date().toISOString();
    for (let i = 0; i < NODES; i++) {
      const name = `node-${i}`;
      await client.for<Node>('nodes').create(undefined, {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name, labels: { 'kubernetes.io/hostname': name } },
        spec: {},
        status: { allocatable: { cpu: '32', memory: '128Gi', pods: '110' }, capacity: { cpu: '32', memory: '128Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: now() }] },
      });
      await client.for<Lease>('leases').create('kube-node-lease', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: now() } });
    }
    const renew = setInterval(() => {
      for (let i = 0; i < NODES; i++) {
        const leases = client.for<Lease>('leases');
        void leases.get('kube-node-lease', `node-${i}`).then((l) => leases.update({ ...l, spec: { ...l.spec, renewTime: now() } })).catch(() => undefined);
      }
    }, 10_000);

    const podInformer = createInformer<Pod>(client, BUILTIN_RESOURCES.find((t) => t.resource === 'pods')!, { namespace: 'default' });
    playKubelets(client, podInformer);
    podInformer.start();
    await podInformer.waitForSync();

    const cmArgs = ['--kubeconfig', api.kubeconfigPath, '--leader-elect=false', '--secure-port=0'];
    const dist = process.env.BENCH_CM_DIST;
    const cmProc = dist
      ? spawn(process.execPath, [...SERVICE_NODE_FLAGS, `${dist}/controller-manager/main.js`, ...cmArgs], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, SKIFF_LOG_LEVEL: process.env.SKIFF_LOG_LEVEL ?? 'warn' } })
      : start('controller-manager/main.ts', cmArgs);
    console.log(`controller-manager: ${dist ? 'compiled, plain node' : 'through tsx'}; API server: ${api.compiled ? 'compiled, plain node' : 'through tsx'}, its own process; load average ${loadavg()[0].toFixed(2)} on ${cpus().length} cores`);
    children.push(cmProc);
    // Warm up: the clock starts once the controller-manager has synced and created a pod.
    await client.for<Deployment>('deployments').create('default', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'warmup', namespace: 'default' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'warmup' } }, template: { metadata: { labels: { app: 'warmup' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
    });
    await waitUntil('warm-up pod', () => podInformer.lister.list().some((p) => p.metadata?.labels?.app === 'warmup' && p.status?.phase === 'Running'), 60_000);
    const cmPid = nodePid(cmProc.pid!, 'controller-manager/main.ts');
    const base = usage(cmPid);
    console.log(`controller-manager idle after start: ${base.cpuSeconds.toFixed(2)} CPU s, RSS ${base.rssMb.toFixed(0)} MB`);

    const sizes = (process.env.BENCH_REPLICAS ?? '500,1000').split(',').map(Number);
    for (const replicas of sizes) {
      const name = `bench-${replicas}`;
      const mine = (): Pod[] => podInformer.lister.list().filter((p) => p.metadata?.labels?.app === name && !p.metadata?.deletionTimestamp);
      const before = usage(cmPid);
      const apiBefore = usage(api.pid);
      const t0 = performance.now();
      await client.for<Deployment>('deployments').create('default', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace: 'default' },
        spec: {
          replicas,
          selector: { matchLabels: { app: name } },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
          template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox:1' }] } },
        },
      });
      const progress = process.env.BENCH_PROGRESS
        ? setInterval(() => console.log(`  +${((performance.now() - t0) / 1000).toFixed(1)} s: ${mine().length} pods, ${mine().filter((p) => p.spec?.nodeName).length} bound, ${mine().filter((p) => p.status?.phase === 'Running').length} running`), 500)
        : undefined;
      await waitUntil('pods created and bound', () => mine().length === replicas && mine().every((p) => p.spec?.nodeName), 120_000, () => `${mine().length} pods, ${mine().filter((p) => p.spec?.nodeName).length} bound`);
      const created = performance.now() - t0;
      clearInterval(progress);
      await waitUntil('pods running', () => mine().filter((p) => p.status?.phase === 'Running').length === replicas, 120_000);
      const afterCreate = usage(cmPid);

      const t1 = performance.now();
      for (;;) {
        // The controller writes status meanwhile: retry on conflict, as kubectl does.
        const d = await client.for<Deployment>('deployments').get('default', name);
        d.spec!.template.spec!.containers[0].image = 'busybox:2';
        try {
          await client.for<Deployment>('deployments').update(d);
          break;
        } catch (err) {
          if (!isConflict(err)) throw err;
        }
      }
      let maxPods = 0;
      await waitUntil('rolling update', () => {
        const pods = mine();
        maxPods = Math.max(maxPods, pods.length);
        return pods.length === replicas && pods.every((p) => p.spec?.containers[0].image === 'busybox:2' && p.status?.phase === 'Running');
      }, 300_000, () => `${mine().length} pods, ${mine().filter((p) => p.spec?.containers[0].image === 'busybox:2').length} updated`);
      const rolled = performance.now() - t1;
      const afterRoll = usage(cmPid);
      console.log(
        `${replicas} replicas on ${NODES} nodes: all pods created and bound in ${(created / 1000).toFixed(2)} s; ` +
          `rolling update (maxSurge 25%) in ${(rolled / 1000).toFixed(2)} s, at most ${maxPods} live pods; ` +
          `controller-manager CPU ${(afterCreate.cpuSeconds - before.cpuSeconds).toFixed(2)} s (create) + ${(afterRoll.cpuSeconds - afterCreate.cpuSeconds).toFixed(2)} s (rollout), ` +
          `RSS ${afterRoll.rssMb.toFixed(0)} MB (peak ${afterRoll.peakRssMb.toFixed(0)} MB); ` +
          `API server CPU ${(usage(api.pid).cpuSeconds - apiBefore.cpuSeconds).toFixed(2)} s, RSS ${usage(api.pid).rssMb.toFixed(0)} MB; load average ${loadavg()[0].toFixed(2)}`,
      );
      await client.for('deployments').delete('default', name, { propagationPolicy: 'Background' });
      await waitUntil('pods deleted', () => podInformer.lister.list().filter((p) => p.metadata?.labels?.app === name).length === 0, 120_000);
    }
    clearInterval(renew);
    podInformer.stop();
  } finally {
    for (const c of children) {
      // npx does not always pass signals on: stop the node process itself too.
      const pid = c.pid ? nodePid(c.pid, 'controller-manager/main.ts') : undefined;
      if (pid && pid !== c.pid) process.kill(pid, 'SIGTERM');
      c.kill('SIGTERM');
    }
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(undefined) : c.once('exit', r)))));
    await api.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
