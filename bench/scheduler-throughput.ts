// skiff-scheduler throughput: N Node objects kept alive (Ready, Lease renewed) as kubelets
// would, M identical pending pods of one ReplicaSet, then a skiff-scheduler process is started
// and the pods it binds are counted from a watch. Prints pods bound per second (steady: first
// to last bind; overall: from process start, including its initial list) and the spread
// (max − min pods per node).
//
//   npx tsx bench/scheduler-throughput.ts            # 100/1000 nodes × 1000/5000 pods
//   npx tsx bench/scheduler-throughput.ts 100:1000   # one scenario, nodes:pods
//
// The API server runs in this process on a real etcd; the scheduler is its own process with no
// client-side rate limit, as in production.

import { spawn } from 'node:child_process';
import type { Node, Pod } from '../api/types.js';
import { createInformer } from '../client/informer.js';
import { createLogger } from '../client/log.js';
import { restClientFromKubeconfig, type RestClient } from '../client/rest.js';
import { startTestApiServer } from '../test/harness/apiserver.js';
import { createLabNode, keepNodesAlive } from './scheduler-lab.js';

interface Scenario {
  nodes: number;
  pods: number;
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

function pendingPod(i: number): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `bench-${i}`,
      labels: { app: 'bench' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'bench', uid: '00000000-0000-0000-0000-00000000bench'.slice(0, 36), controller: true }],
    },
    spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
  };
}

async function run(s: Scenario): Promise<void> {
  const api = await startTestApiServer({ flags: { 'max-requests-inflight': '0', 'max-mutating-requests-inflight': '0' } });
  const client: RestClient = restClientFromKubeconfig({ kubeconfig: api.kubeconfigPath }, { maxSockets: 64 });
  const alive = new AbortController();
  let child: ReturnType<typeof spawn> | undefined;
  try {
    const names = Array.from({ length: s.nodes }, (_, i) => `bench-node-${i}`);
    await inBatches(names, 25, (n) => createLabNode(client, n, { cpu: '64', memory: '256Gi', pods: '250' }));
    const keepAlive = keepNodesAlive(client, names, 10_000, alive.signal);
    await inBatches(Array.from({ length: s.pods }, (_, i) => i), 50, (i) => client.for<Pod>('pods').create('default', pendingPod(i)));

    // Count binds from an informer (list + watch, relists on 410) started before the scheduler.
    const bound = new Map<string, string>();
    let firstBind = 0;
    let lastBind = 0;
    let resolveAll: () => void = () => {};
    const allBound = new Promise<void>((r) => (resolveAll = r));
    const seen = (p: Pod) => {
      const node = p.spec?.nodeName;
      if (!node || bound.has(p.metadata!.name!)) return;
      bound.set(p.metadata!.name!, node);
      lastBind = performance.now();
      if (bound.size === 1) firstBind = lastBind;
      if (bound.size === s.pods) resolveAll();
    };
    const informer = createInformer<Pod>(client, client.for<Pod>('pods').type, { namespace: 'default', logger: createLogger('bench', 'warn') });
    informer.addEventHandler({ onAdd: seen, onUpdate: (_old, p) => seen(p) });
    informer.start();
    await informer.waitForSync();

    const started = performance.now();
    child = spawn(process.execPath, [...(process.env.SCHED_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []), '--import', 'tsx', 'scheduler/main.ts', `--kubeconfig=${api.kubeconfigPath}`, '--secure-port=0'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, SKIFF_LOG_LEVEL: 'warn' },
    });
    const timeout = setTimeout(() => resolveAll(), 600_000);
    await allBound;
    clearTimeout(timeout);
    informer.stop();

    const perNode = new Map<string, number>(names.map((n) => [n, 0]));
    for (const n of bound.values()) perNode.set(n, (perNode.get(n) ?? 0) + 1);
    const counts = [...perNode.values()];
    const steady = (bound.size - 1) / ((lastBind - firstBind) / 1000);
    const overall = bound.size / ((lastBind - started) / 1000);
    const nodesSeen = (await client.for<Node>('nodes').list(undefined)).items.length;
    console.log(
      `nodes=${s.nodes} pods=${s.pods} bound=${bound.size} ` +
        `steady=${steady.toFixed(0)} pods/s overall=${overall.toFixed(0)} pods/s (incl. start-up ${((firstBind - started) / 1000).toFixed(2)} s) ` +
        `spread=${Math.max(...counts) - Math.min(...counts)} (min ${Math.min(...counts)}, max ${Math.max(...counts)}) nodesListed=${nodesSeen}`,
    );
    alive.abort();
    await keepAlive;
  } finally {
    alive.abort();
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
    await api.stop();
  }
}

const args = process.argv.slice(2);
const scenarios: Scenario[] = args.length
  ? args.map((a) => {
      const [nodes, pods] = a.split(':').map(Number);
      return { nodes, pods };
    })
  : [
      { nodes: 100, pods: 1000 },
      { nodes: 100, pods: 5000 },
      { nodes: 1000, pods: 1000 },
      { nodes: 1000, pods: 5000 },
    ];
for (const s of scenarios) await run(s);
process.exit(0);
