// Jobs, DaemonSets and PodDisruptionBudgets against a real API server with the
// controller-manager in-process: a Job runs to Complete (and another to BackoffLimitExceeded)
// as a stand-in kubelet finishes its pods; a DaemonSet puts one pod on each matching node and
// `kubectl rollout history|undo daemonset` work on its revisions; a PDB's status counts healthy pods.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from './harness/apiserver.js';
import { waitFor } from './harness/ports.js';
import { restClientFromKubeconfig } from '../client/rest.js';
import type { ApiClient } from '../client/interfaces.js';
import type { ControllerRevision, DaemonSet, Job, Node, Pod, PodDisruptionBudget } from '../api/types.js';
import { isConflict, isNotFound } from '../client/errors.js';
import { parseFlags } from '../controller-manager/flags.js';
import { startControllerManager, type ControllerManagerApp } from '../controller-manager/app.js';
import { nodeObject } from './controller-standins.js';
import { kubectlFor } from './harness/kubectl.js';

let api: TestApiServer;
let client: ApiClient;
let cm: ControllerManagerApp;
let dir: string;
let kubeletLoop: NodeJS.Timeout;
/** Pods of these Jobs end in this phase. */
const jobOutcome = new Map<string, 'Succeeded' | 'Failed'>();

/** Stand-in scheduler and kubelets: bind daemon pods where their affinity points, bind Job pods to n1, run them, end Job pods. */
async function kubelets(): Promise<void> {
  const pods = client.for<Pod>('pods');
  for (const p of (await pods.list(undefined)).items) {
    const ns = p.metadata!.namespace!;
    const name = p.metadata!.name!;
    try {
      if (p.metadata?.deletionTimestamp) await pods.delete(ns, name, { gracePeriodSeconds: 0 });
      else if (!p.spec?.nodeName) {
        const pinned = p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0];
        await client.bindPod(ns, name, pinned ?? 'n1');
      } else if (!p.status?.phase || p.status.phase === 'Pending') {
        const job = p.metadata?.labels?.['job-name'];
        const phase = job ? (jobOutcome.get(job) ?? 'Succeeded') : 'Running';
        await pods.updateStatus({ ...p, status: { ...p.status, phase, podIP: '10.244.1.9', conditions: [{ type: 'Ready', status: phase === 'Running' ? 'True' : 'False' }] } });
      }
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skiff-cm-workloads-'));
  api = await startTestApiServer();
  client = restClientFromKubeconfig({ kubeconfig: api.kubeconfigPath });
  for (const n of ['n1', 'n2', 'n3']) await client.for<Node>('nodes').create(undefined, { ...nodeObject(n), metadata: { name: n, labels: { role: n === 'n3' ? 'db' : 'worker' } } });
  cm = await startControllerManager(parseFlags(['--kubeconfig', api.kubeconfigPath, '--leader-elect=false', '--secure-port=0', '--controllers=*,-nodelifecycle', '--job-backoff-base=100ms']));
  kubeletLoop = setInterval(() => void kubelets().catch(() => undefined), 100);
});

afterAll(async () => {
  clearInterval(kubeletLoop);
  await cm?.stop();
  await api?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const kc = kubectlFor(() => api.kubeconfigPath, () => join(dir, 'cache'));

function kubectl(...args: string[]): Promise<string> {
  return kc.ok(...args);
}

function job(name: string, spec: Partial<NonNullable<Job['spec']>>): Job {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } }, ...spec } };
}

describe('Job, DaemonSet and disruption controllers', () => {
  it('runs a Job to Complete and another to BackoffLimitExceeded', async () => {
    jobOutcome.set('fails', 'Failed');
    await client.for<Job>('jobs').create('default', job('works', { completions: 3, parallelism: 2 }));
    await client.for<Job>('jobs').create('default', job('fails', { backoffLimit: 1 }));
    await kubectl('wait', '--for=condition=complete', 'job/works', '--timeout=30s');
    const works = await client.for<Job>('jobs').get('default', 'works');
    expect(works.status).toMatchObject({ succeeded: 3, failed: 0 });
    expect(works.status?.completionTime).toBeDefined();
    const pods = (await client.for<Pod>('pods').list('default', { labelSelector: 'job-name=works' })).items;
    expect(pods).toHaveLength(3);
    await kubectl('wait', '--for=condition=failed', 'job/fails', '--timeout=30s');
    const fails = await client.for<Job>('jobs').get('default', 'fails');
    expect(fails.status?.conditions?.find((c) => c.type === 'Failed')?.reason).toBe('BackoffLimitExceeded');
    expect(fails.status?.failed).toBe(2);
  });

  it('puts one daemon pod on each matching node and keeps revision history', async () => {
    const ds: DaemonSet = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { nodeSelector: { role: 'worker' }, containers: [{ name: 'c', image: 'agent:1' }] } } },
    };
    await client.for<DaemonSet>('daemonsets').create('default', ds);
    const placed = async (): Promise<string[]> => (await client.for<Pod>('pods').list('default', { labelSelector: 'app=agent' })).items.filter((p) => !p.metadata?.deletionTimestamp).map((p) => `${p.spec?.nodeName}:${p.spec?.containers[0].image}`).sort();
    await waitFor('agent on n1 and n2', async () => JSON.stringify(await placed()) === JSON.stringify(['n1:agent:1', 'n2:agent:1']));
    await waitFor('DaemonSet status', async () => (await client.for<DaemonSet>('daemonsets').get('default', 'agent')).status?.numberReady === 2);
    expect((await client.for<DaemonSet>('daemonsets').get('default', 'agent')).status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, updatedNumberScheduled: 2, numberMisscheduled: 0 });

    const cur = await client.for<DaemonSet>('daemonsets').get('default', 'agent');
    cur.spec!.template.spec!.containers[0].image = 'agent:2';
    await client.for<DaemonSet>('daemonsets').update(cur);
    await waitFor('agent:2 everywhere', async () => JSON.stringify(await placed()) === JSON.stringify(['n1:agent:2', 'n2:agent:2']), 30_000);
    const history = await kubectl('rollout', 'history', 'daemonset/agent');
    expect(history).toMatch(/^1\s/m);
    expect(history).toMatch(/^2\s/m);

    // undo applies revision 1's template back; it becomes revision 3.
    await kubectl('rollout', 'undo', 'daemonset/agent');
    await waitFor('agent:1 everywhere again', async () => JSON.stringify(await placed()) === JSON.stringify(['n1:agent:1', 'n2:agent:1']), 30_000);
    const revisions = (await client.for<ControllerRevision>('controllerrevisions').list('default')).items.map((r) => r.revision).sort();
    expect(revisions).toEqual([2, 3]);
  });

  it('keeps a PodDisruptionBudget status current', async () => {
    await client.for<PodDisruptionBudget>('poddisruptionbudgets').create('default', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'agent', namespace: 'default' },
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'agent' } } },
    });
    await waitFor('PDB status', async () => (await client.for<PodDisruptionBudget>('poddisruptionbudgets').get('default', 'agent')).status?.currentHealthy === 2);
    expect((await client.for<PodDisruptionBudget>('poddisruptionbudgets').get('default', 'agent')).status).toMatchObject({ expectedPods: 2, desiredHealthy: 1, disruptionsAllowed: 1 });
  });
});
