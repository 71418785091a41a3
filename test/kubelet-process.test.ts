// skiff-kubelet as a process, as a node runs it: started from its command line, killed with
// SIGKILL while pods run, and started again — the pods keep their containers (no restarts)
// and a pod deleted meanwhile is torn down and its API object removed.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../api/types.js';
import { RestClient, restClientFromKubeconfig } from '../client/rest.js';
import { CriClient } from '../kubelet/cri/client.js';
import { startTestApiServer, type TestApiServer } from './harness/apiserver.js';
import { createTestNode, type TestNode } from './harness/node.js';
import { freePort, waitFor } from './harness/ports.js';

const MAIN = fileURLToPath(new URL('../kubelet/main.ts', import.meta.url));
let api: TestApiServer;
let node: TestNode;
let client: RestClient;
let cri: CriClient;
let rootDir: string;
let proc: ChildProcess | undefined;
const children: ChildProcess[] = [];
const NS = 'default';

async function startKubelet(): Promise<ChildProcess> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      MAIN,
      `--kubeconfig=${api.kubeconfigPath}`,
      `--container-runtime-endpoint=${node.endpoint}`,
      `--hostname-override=${node.name}`,
      `--node-ip=${node.nodeIp}`,
      `--root-dir=${rootDir}`,
      `--pod-cidr=${node.podCidr}`,
      `--cni-conf-dir=${node.cniConfDir}`,
      '--address=127.0.0.1',
      `--port=${port}`,
      '--pleg-relist-period=250ms',
      '--node-status-update-frequency=500ms',
      '--node-lease-renew-interval=1s',
      '--manage-routes=false',
      '--proxy-mode=none',
      '--serve-cluster-dns=false',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], cwd: fileURLToPath(new URL('..', import.meta.url)) },
  );
  // Tracked at once: a start that times out must still be killed in afterAll.
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  await waitFor('kubelet healthz', async () => {
    if (child.exitCode !== null) throw new Error(`kubelet exited ${child.exitCode}: ${stderr}`);
    return (await healthz(port)) === 200;
  }, 30_000);
  return child;
}

/** GET /healthz on the kubelet's self-signed HTTPS endpoint. */
function healthz(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = https.get({ host: '127.0.0.1', port, path: '/healthz', rejectUnauthorized: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
  });
}

function kill(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

beforeAll(async () => {
  [api, node] = await Promise.all([startTestApiServer(), createTestNode({ writeCni: false })]);
  client = restClientFromKubeconfig({ kubeconfig: api.kubeconfigPath });
  cri = node.cri();
  rootDir = mkdtempSync(join(tmpdir(), 'skiff-kubelet-'));
});

afterAll(async () => {
  try {
    for (const c of children) await kill(c, 'SIGKILL');
  } finally {
    try {
      await node?.remove();
    } finally {
      await api?.stop();
      if (rootDir) rmSync(rootDir, { recursive: true, force: true });
    }
  }
});

async function runningPod(name: string): Promise<Pod> {
  await client.for<Pod>('pods').create(NS, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS }, spec: { nodeName: node.name, terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }] } });
  let pod: Pod | undefined;
  await waitFor(`${name} running`, async () => (pod = await client.for<Pod>('pods').get(NS, name)).status?.phase === 'Running', 30_000);
  return pod as Pod;
}

describe('skiff-kubelet process', () => {
  it('survives SIGKILL: pods intact after a restart, deletions made meanwhile carried out', async () => {
    proc = await startKubelet();
    const keep = await runningPod('keep');
    const gone = await runningPod('gone');
    const keepId = keep.status?.containerStatuses?.[0]?.containerID;

    await kill(proc, 'SIGKILL');
    await client.for<Pod>('pods').delete(NS, 'gone');
    // With no kubelet the pod only gets its deletionTimestamp: the object stays.
    expect((await client.for<Pod>('pods').get(NS, 'gone')).metadata?.deletionTimestamp).toBeDefined();

    proc = await startKubelet();
    await waitFor('gone deleted by the new kubelet', async () => client.for<Pod>('pods').get(NS, 'gone').then(() => false, () => true), 20_000);
    const goneUid = gone.metadata?.uid ?? '';
    expect(await cri.listPodSandbox({ label_selector: { 'io.kubernetes.pod.uid': goneUid } })).toEqual([]);
    await new Promise((r) => setTimeout(r, 1000));
    const after = await client.for<Pod>('pods').get(NS, 'keep');
    expect(after.status?.containerStatuses?.[0]?.containerID).toBe(keepId);
    expect(after.status?.containerStatuses?.[0]?.restartCount).toBe(0);
    expect(after.status?.phase).toBe('Running');
  });
});
