// `kubectl top nodes` and `kubectl top pods -A` against a real API server on real etcd, with
// each Node's InternalIP pointing at a kubelet stand-in (HTTPS on 127.0.0.1) that serves a
// Summary API the test sets: kubectl finds metrics.k8s.io through discovery and prints the
// kubelets' figures; a node whose kubelet is down is shown without metrics.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCA } from '../client/pki.js';
import { testClient } from '../apiserver/testing/https-client.js';
import { startFakeSummaryKubelet, summaryOf, type FakeSummaryKubelet } from '../apiserver/metrics-api/testing/fake-summary-kubelet.js';
import { startTestApiServer, type TestApiServer } from './harness/apiserver.js';

let api: TestApiServer;
let dir: string;
let call: ReturnType<typeof testClient>;
const kubelets: FakeSummaryKubelet[] = [];

function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', [`--kubeconfig=${api.kubeconfigPath}`, `--cache-dir=${join(dir, 'cache')}`, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

async function ok(...args: string[]): Promise<string> {
  const r = await kubectl(...args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

/** The table's lines split into cells on runs of 2+ spaces (kubectl pads columns that way). */
function rows(table: string): string[][] {
  return table.trimEnd().split('\n').map((l) => l.trim().split(/\s{2,}/));
}

async function must(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await call(method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${res.text}`);
  return res.json as Record<string, unknown>;
}

async function createNode(name: string, kubeletPort: number): Promise<void> {
  const created = await must('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name } });
  await must('PUT', `/api/v1/nodes/${name}/status`, {
    ...created,
    status: {
      addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
      daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } },
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
      allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
    },
  });
}

async function createPod(namespace: string, name: string, nodeName: string, containers: string[]): Promise<string> {
  const created = await must('POST', `/api/v1/namespaces/${namespace}/pods`, {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: name } },
    spec: { nodeName, containers: containers.map((c) => ({ name: c, image: 'busybox' })) },
  });
  return (created.metadata as { uid: string }).uid;
}

/** A port nothing listens on: the kubelet of a node that is down. */
async function deadPort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const MiB = 1024 * 1024;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skiff-top-'));
  const kubeletCA = await createCA('top-kubelets-ca');
  const caFile = join(dir, 'kubelet-ca.crt');
  writeFileSync(caFile, kubeletCA.certPem);
  kubelets.push(await startFakeSummaryKubelet(undefined, kubeletCA), await startFakeSummaryKubelet(undefined, kubeletCA));
  api = await startTestApiServer({ flags: { 'kubelet-certificate-authority': caFile } });
  call = testClient({ url: api.url, ca: api.ca.certPem, token: api.token });
  await must('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'top' } });
  await createNode('top-a', kubelets[0].port);
  await createNode('top-b', kubelets[1].port);
  await createNode('top-down', await deadPort());
  const webUid = await createPod('top', 'web', 'top-a', ['app', 'side']);
  const dbUid = await createPod('default', 'db', 'top-b', ['db']);
  await createPod('default', 'orphan', 'top-down', ['app']);
  kubelets[0].summary = summaryOf({ name: 'top-a', nanoCores: 1_000_000_000, workingSet: 2048 * MiB }, [
    { namespace: 'top', name: 'web', uid: webUid, containers: [{ name: 'app', nanoCores: 3_000_000, workingSet: 20 * MiB }, { name: 'side', nanoCores: 2_000_000, workingSet: 10 * MiB }] },
  ]);
  kubelets[1].summary = summaryOf({ name: 'top-b', nanoCores: 2_000_000_000, workingSet: 4096 * MiB }, [
    { namespace: 'default', name: 'db', uid: dbUid, containers: [{ name: 'db', nanoCores: 150_000_000, workingSet: 300 * MiB }] },
  ]);
});

afterAll(async () => {
  await api?.stop();
  for (const k of kubelets) await k.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('kubectl top', () => {
  it('top nodes prints each node\'s usage from its kubelet, and a down node without metrics', async () => {
    const r = await kubectl('top', 'nodes');
    const table = rows(r.stdout);
    expect(table[0]).toEqual(['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)']);
    const byName = Object.fromEntries(table.slice(1).map((row) => [row[0], row.slice(1)]));
    expect(byName['top-a']).toEqual(['1000m', '25%', '2048Mi', '25%']);
    expect(byName['top-b']).toEqual(['2000m', '50%', '4096Mi', '50%']);
    expect(byName['top-down']).toEqual(['<unknown>', '<unknown>', '<unknown>', '<unknown>']);
    expect(r.code).toBe(0);
  });

  it('top pods -A prints every measured pod, summed over containers; --containers splits them', async () => {
    const table = rows(await ok('top', 'pods', '-A'));
    expect(table[0]).toEqual(['NAMESPACE', 'NAME', 'CPU(cores)', 'MEMORY(bytes)']);
    expect(table.slice(1).sort()).toEqual([
      ['default', 'db', '150m', '300Mi'],
      ['top', 'web', '5m', '30Mi'],
    ]);
    const containers = rows(await ok('top', 'pods', '-n', 'top', '--containers'));
    expect(containers.slice(1).sort()).toEqual([
      ['web', 'app', '3m', '20Mi'],
      ['web', 'side', '2m', '10Mi'],
    ]);
  });

  it('top pod with a selector, and a pod on a down node has no metrics', async () => {
    const selected = rows(await ok('top', 'pods', '-A', '-l', 'app=db'));
    expect(selected.slice(1)).toEqual([['default', 'db', '150m', '300Mi']]);
    const orphan = await kubectl('top', 'pod', 'orphan');
    expect(orphan.code).not.toBe(0);
    expect(orphan.stderr).toMatch(/not found|Metrics not available/);
  });

  it('kubectl get reads the metrics kinds by their group-qualified names', async () => {
    expect(await ok('get', 'nodes.metrics.k8s.io', 'top-a', '-o', 'jsonpath={.usage.cpu} {.usage.memory} {.window}')).toBe('1 2Gi 10s');
    const pods = rows(await ok('get', 'podmetrics', '-A'));
    expect(pods.map((r) => r.slice(0, 2)).slice(1).sort()).toEqual([['default', 'db'], ['top', 'web']]);
  });
});
