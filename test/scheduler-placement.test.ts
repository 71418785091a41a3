// skiff-scheduler against the real API server on real etcd, with Node objects made through
// the API (no kubelets): spreading, resource exhaustion then a node added, taints, pod
// anti-affinity, priority order, and the FailedScheduling event and PodScheduled condition.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Event, Pod, PriorityClass } from '../api/types.js';
import { createLogger } from '../client/log.js';
import { RestClient, restClientFromKubeconfig } from '../client/rest.js';
import { createLabNode, deleteLabNodes, type LabNodeOpts } from '../bench/scheduler-lab.js';
import { startSchedulerApp, type SchedulerApp } from '../scheduler/app.js';
import { startTestApiServer, type TestApiServer } from './harness/apiserver.js';
import { freePort, waitFor } from './harness/ports.js';

let api: TestApiServer;
let client: RestClient;
let app: SchedulerApp;
const NS = 'default';
let nodeNames: string[] = [];

beforeAll(async () => {
  api = await startTestApiServer();
  client = restClientFromKubeconfig({ kubeconfig: api.kubeconfigPath });
  app = await startApp();
});

function startApp(): Promise<SchedulerApp> {
  return startSchedulerApp(
    { kubeconfig: api.kubeconfigPath, bindAddress: '127.0.0.1', securePort: 0, podInitialBackoff: 100, podMaxBackoff: 500, podMaxInUnschedulablePodsDuration: 60_000 },
    { logger: createLogger('scheduler', 'warn') },
  );
}

afterAll(async () => {
  await app?.stop();
  await api?.stop();
});

afterEach(async () => {
  const pods = await client.for<Pod>('pods').list(NS);
  await Promise.all(pods.items.map((p) => client.for<Pod>('pods').delete(NS, p.metadata!.name!, { gracePeriodSeconds: 0 })));
  await deleteLabNodes(client, nodeNames);
  nodeNames = [];
  await waitFor('pods and nodes gone', async () => (await client.for<Pod>('pods').list(NS)).items.length === 0, 10_000);
});

async function nodes(...specs: Array<[string, LabNodeOpts?]>): Promise<void> {
  for (const [name, o] of specs) {
    await createLabNode(client, name, o);
    nodeNames.push(name);
  }
}

function pod(name: string, o: { cpu?: string; owner?: string; labels?: Record<string, string>; spec?: Partial<Pod['spec']> } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      labels: o.labels ?? {},
      ...(o.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: o.owner, uid: `00000000-0000-0000-0000-${o.owner.padStart(12, '0')}`, controller: true }] } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: o.cpu ? { cpu: o.cpu } : {} } }], ...o.spec },
  };
}

async function create(...pods: Pod[]): Promise<void> {
  for (const p of pods) await client.for<Pod>('pods').create(NS, p);
}

async function nodeOf(name: string): Promise<string | undefined> {
  return (await client.for<Pod>('pods').get(NS, name)).spec?.nodeName;
}

async function placements(): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const p of (await client.for<Pod>('pods').list(NS)).items) {
    const n = p.spec?.nodeName ?? '';
    out.set(n, [...(out.get(n) ?? []), p.metadata!.name!]);
  }
  return out;
}

async function failedSchedulingMessage(podName: string): Promise<string | undefined> {
  const events = await client.for<Event>('events').list(NS, { fieldSelector: `involvedObject.name=${podName}` });
  return events.items.find((e) => e.reason === 'FailedScheduling')?.message;
}

describe('skiff-scheduler on a real API server', () => {
  it('spreads the pods of one ReplicaSet evenly over the nodes', async () => {
    await nodes(['spread-1'], ['spread-2'], ['spread-3']);
    await create(...Array.from({ length: 12 }, (_, i) => pod(`web-${i}`, { owner: 'web', cpu: '100m' })));
    await waitFor('all bound', async () => !(await placements()).has(''), 20_000);
    const counts = [...(await placements()).values()].map((ps) => ps.length);
    expect(counts).toEqual([4, 4, 4]);
  });

  it('leaves a pod pending while cpu is exhausted and places it once a node is added', async () => {
    await nodes(['small-1', { cpu: '1' }]);
    await create(pod('fits', { cpu: '800m' }), pod('waits', { cpu: '800m' }));
    await waitFor('first bound', async () => (await nodeOf('fits')) === 'small-1', 20_000);
    await waitFor('FailedScheduling for the second', async () => (await failedSchedulingMessage('waits')) !== undefined, 20_000);
    expect(await failedSchedulingMessage('waits')).toBe('0/1 nodes are available: 1 Insufficient cpu. preemption: not attempted, skiff-scheduler does not preempt.');
    const cond = (await client.for<Pod>('pods').get(NS, 'waits')).status?.conditions?.find((c) => c.type === 'PodScheduled');
    expect(cond).toMatchObject({ status: 'False', reason: 'Unschedulable', message: expect.stringContaining('Insufficient cpu') });
    await nodes(['small-2', { cpu: '1' }]);
    await waitFor('second bound on the new node', async () => (await nodeOf('waits')) === 'small-2', 20_000);
  });

  it('keeps pods off tainted nodes unless they tolerate the taint', async () => {
    const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' as const };
    await nodes(['plain-1'], ['gpu-1', { taints: [taint], labels: { gpu: 'yes' } }]);
    await create(
      ...Array.from({ length: 4 }, (_, i) => pod(`plain-${i}`)),
      pod('gpu-job', { spec: { nodeSelector: { gpu: 'yes' }, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] } }),
      pod('gpu-denied', { spec: { nodeSelector: { gpu: 'yes' } } }),
    );
    await waitFor('bound', async () => (await placements()).get('')?.join() === 'gpu-denied', 20_000);
    const p = await placements();
    expect(p.get('plain-1')?.sort()).toEqual(['plain-0', 'plain-1', 'plain-2', 'plain-3']);
    expect(p.get('gpu-1')).toEqual(['gpu-job']);
    await waitFor('event', async () => (await failedSchedulingMessage('gpu-denied')) !== undefined, 20_000);
    expect(await failedSchedulingMessage('gpu-denied')).toMatch(/^0\/2 nodes are available: 1 node\(s\) didn't match Pod's node affinity\/selector, 1 node\(s\) had untolerated taint \{dedicated: gpu\}\./);
  });

  it('honours required pod anti-affinity per host', async () => {
    await nodes(['anti-1'], ['anti-2']);
    const away = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' }] } };
    await create(pod('db-0', { labels: { app: 'db' }, spec: { affinity: away } }), pod('db-1', { labels: { app: 'db' }, spec: { affinity: away } }));
    await waitFor('two bound', async () => !(await placements()).has(''), 20_000);
    expect(new Set([await nodeOf('db-0'), await nodeOf('db-1')])).toEqual(new Set(['anti-1', 'anti-2']));
    await create(pod('db-2', { labels: { app: 'db' }, spec: { affinity: away } }));
    await waitFor('event', async () => (await failedSchedulingMessage('db-2')) !== undefined, 20_000);
    expect(await failedSchedulingMessage('db-2')).toMatch(/^0\/2 nodes are available: 2 node\(s\) didn't match pod anti-affinity rules\./);
    // Its peer leaving frees a host: the parked pod moves without waiting 60 s.
    await client.for<Pod>('pods').delete(NS, 'db-0', { gracePeriodSeconds: 0 });
    await waitFor('third bound', async () => (await nodeOf('db-2')) !== undefined, 20_000);
  });

  it('binds the higher-priority pod first when only one fits', async () => {
    const pcs = client.for<PriorityClass>('priorityclasses');
    for (const [name, value] of [['sched-low', 10], ['sched-high', 1000]] as const) {
      await pcs.create(undefined, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value }).catch(() => undefined);
    }
    // A backlog, as after a scheduler restart: both pending when the scheduler starts, the low one created first.
    await app.stop();
    await create(pod('low', { cpu: '600m', spec: { priorityClassName: 'sched-low' } }), pod('high', { cpu: '600m', spec: { priorityClassName: 'sched-high' } }));
    expect((await client.for<Pod>('pods').get(NS, 'high')).spec?.priority).toBe(1000);
    await nodes(['one-slot', { cpu: '1' }]);
    app = await startApp();
    await waitFor('one bound', async () => (await placements()).get('one-slot')?.length === 1, 20_000);
    expect(await nodeOf('high')).toBe('one-slot');
    expect(await nodeOf('low')).toBeUndefined();
  });

  it('serves /healthz and /metrics over HTTP', async () => {
    const served = await startSchedulerApp(
      { kubeconfig: api.kubeconfigPath, bindAddress: '127.0.0.1', securePort: await freePort(), podMaxInUnschedulablePodsDuration: 60_000 },
      { logger: createLogger('scheduler', 'silent') },
    );
    try {
      await nodes(['metrics-1']);
      // Two schedulers share the default profile here; either may bind, both count attempts.
      await create(pod('counted'));
      await waitFor('bound', async () => (await nodeOf('counted')) === 'metrics-1', 20_000);
      const health = await fetch(`${served.healthUrl}/healthz`);
      expect([health.status, await health.text()]).toEqual([200, 'ok']);
      const text = await (await fetch(`${served.healthUrl}/metrics`)).text();
      expect(text).toMatch(/scheduler_pending_pods\{queue="active"\} 0/);
      expect(text).toMatch(/scheduler_scheduling_attempt_duration_seconds_bucket/);
      const main = await app.scheduler.metrics.registry.metrics();
      expect(main).toMatch(/scheduler_schedule_attempts_total\{result="scheduled",profile="default-scheduler"\} \d+/);
      expect(main).toMatch(/scheduler_pod_scheduling_duration_seconds_count\{attempts="1"\} \d+/);
    } finally {
      await served.stop();
    }
  });
});
