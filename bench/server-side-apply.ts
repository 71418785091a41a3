// What field management costs, in process and through a real API server on real etcd:
//   - managedFields of a pod create (the field set of the object, encoded), µs per pod;
//   - a pod create through the create verb (defaulting, admission, validation, an in-memory
//     store), CPU per create with managedFields recorded and without, interleaved rounds;
//   - the Update entry of a pod status write (compare old and new), µs per write;
//   - server-side apply of a 100-container Deployment: the merge/ownership step alone, and
//     end to end (HTTP PATCH application/apply-patch+yaml) for the create and for a re-apply
//     that changes every image, p50/p99 over repeated runs.
//
//   npx tsx bench/server-side-apply.ts

import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { performance } from 'node:perf_hooks';
import { applyConfig } from '../apiserver/apply/apply-config.js';
import { encodeManagedFields } from '../apiserver/apply/managers.js';
import { applyTypeFor } from '../apiserver/apply/schema.js';
import { recordUpdate } from '../apiserver/apply/tracking.js';
import { testParts, contextFor, typeOf } from '../apiserver/admission/testing/parts.js';
import { defaultSeams } from '../apiserver/seams.js';
import { createObject } from '../apiserver/verbs/create.js';
import type { KubeObject } from '../api/types.js';
import { startTestApiServer } from '../test/harness/apiserver.js';

const ROUNDS = 20;

function pod(i: number): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p${i}`, namespace: 'default', labels: { app: 'bench', tier: 'web' } },
    spec: {
      containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'], resources: { requests: { cpu: '10m', memory: '16Mi' } }, imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      securityContext: {},
      enableServiceLinks: true,
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
    },
    status: { phase: 'Pending' },
  };
}

function deployment(name: string, containers: number, image: string): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: Array.from({ length: containers }, (_, i) => ({
            name: `c${i}`,
            image,
            env: [{ name: 'INDEX', value: String(i) }],
            ports: [{ containerPort: 8000 + i }],
            resources: { requests: { cpu: '1m' } },
          })),
        },
      },
    },
  };
}

/** CPU time per call in µs (process CPU, so other load on the machine counts little). */
function perOp(n: number, run: (i: number) => void): number {
  for (let i = 0; i < Math.min(n, 200); i++) run(i);
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) run(i);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

const writer = { manager: 'bench', apiVersion: 'v1', subresource: '', now: '2026-01-01T00:00:00Z' };
const podType = applyTypeFor({ group: '', version: 'v1', kind: 'Pod' });
const deployType = applyTypeFor({ group: 'apps', version: 'v1', kind: 'Deployment' });
const mainScope = { subresource: '', statusSubresource: true };

const podUs = perOp(20_000, (i) => pod(i));
const createUs = perOp(20_000, (i) => encodeManagedFields(recordUpdate([], undefined, pod(i), writer, podType, mainScope)));
const created = recordUpdate([], undefined, pod(0), writer, podType, mainScope);
const running = { ...pod(0), status: { phase: 'Running', podIP: '10.244.0.5', conditions: [{ type: 'Ready', status: 'True' }] } };
const statusUs = perOp(20_000, () => encodeManagedFields(recordUpdate(created, pod(0), running, { ...writer, subresource: 'status' }, podType, { subresource: 'status', statusSubresource: true })));
console.log(`managedFields of a pod create             ${createUs.toFixed(1)} µs CPU/pod (building the pod: ${podUs.toFixed(1)} µs)`);
console.log(`managedFields of a pod status write        ${statusUs.toFixed(1)} µs CPU/write`);

// The create verb end to end in process: the same pods with managedFields and with the
// tracking step left out, in interleaved rounds so drift on a shared machine hits both.
{
  const parts = testParts();
  const seams = defaultSeams();
  await parts.store.create(typeOf(parts, '', 'namespaces'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } as KubeObject);
  const pods = typeOf(parts, '', 'pods');
  const ctx = contextFor(parts, pods, 'default', undefined, { userAgent: 'skiff-client/0.1.0' });
  let n = 0;
  const round = async (track: ((obj: KubeObject) => void) | undefined): Promise<number> => {
    const start = process.cpuUsage();
    for (let i = 0; i < 1000; i++) await createObject(ctx, seams, pod(n++) as KubeObject, track);
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  };
  const withMf: number[] = [];
  const without: number[] = [];
  await round(undefined);
  await round(() => undefined);
  for (let r = 0; r < 5; r++) {
    withMf.push(await round(undefined));
    without.push(await round(() => undefined));
  }
  const w = quantile(withMf, 0.5);
  const wo = quantile(without, 0.5);
  console.log(`pod create verb (memory store), median     ${w.toFixed(0)} µs CPU with managedFields, ${wo.toFixed(0)} µs without (+${(((w - wo) / wo) * 100).toFixed(0)}%)`);
}

const input = (config: Record<string, unknown>) => ({ config, writer: { ...writer, apiVersion: 'apps/v1' }, force: false, type: deployType, scope: mainScope });
const first = applyConfig(undefined, [], input(deployment('big', 100, 'nginx:1')));
const mergeMs: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  const start = performance.now();
  encodeManagedFields(applyConfig(first.object, first.managers, input(deployment('big', 100, `nginx:${i + 2}`))).managers);
  mergeMs.push(performance.now() - start);
}
console.log(`apply 100-container Deployment, in process p50 ${quantile(mergeMs, 0.5).toFixed(2)} ms  p99 ${quantile(mergeMs, 0.99).toFixed(2)} ms`);

const api = await startTestApiServer();
try {
  const agent = new Agent({ keepAlive: true, ca: readFileSync(api.caFile) });
  const patch = (name: string, body: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        new URL(`/apis/apps/v1/namespaces/default/deployments/${name}?fieldManager=bench`, api.url),
        { method: 'PATCH', agent, headers: { Authorization: `Bearer ${api.token}`, 'Content-Type': 'application/apply-patch+yaml' } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const timed = async (name: string, image: string, want: number): Promise<number> => {
    const start = performance.now();
    const status = await patch(name, JSON.stringify(deployment(name, 100, image)));
    if (status !== want) throw new Error(`apply of ${name} answered ${status}, not ${want}`);
    return performance.now() - start;
  };
  const createMs: number[] = [];
  const reapplyMs: number[] = [];
  await timed('warm', 'nginx:1', 201);
  for (let i = 0; i < ROUNDS; i++) createMs.push(await timed(`big-${i}`, 'nginx:1', 201));
  for (let i = 0; i < ROUNDS; i++) reapplyMs.push(await timed('big-0', `nginx:${i + 2}`, 200));
  console.log(`apply 100-container Deployment, create     p50 ${quantile(createMs, 0.5).toFixed(1)} ms  p99 ${quantile(createMs, 0.99).toFixed(1)} ms  (HTTP, real etcd)`);
  console.log(`apply 100-container Deployment, re-apply   p50 ${quantile(reapplyMs, 0.5).toFixed(1)} ms  p99 ${quantile(reapplyMs, 0.99).toFixed(1)} ms  (every image changed)`);
  agent.destroy();
} finally {
  await api.stop();
}
