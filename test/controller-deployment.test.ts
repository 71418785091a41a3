// Deployments against a real API server on real etcd, with the controller-manager running
// in-process and stand-ins for the scheduler and kubelets: a rolling update walked one ready
// pod at a time (never under replicas - maxUnavailable available, never over replicas +
// maxSurge pods), `kubectl rollout status|history|undo|restart`, Recreate, scaling, and the
// controller-manager killed mid-rollout and started again.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from './harness/apiserver.js';
import { waitFor } from './harness/ports.js';
import { restClientFromKubeconfig } from '../client/rest.js';
import type { ApiClient } from '../client/interfaces.js';
import type { Deployment, Pod, ReplicaSet } from '../api/types.js';
import { parseFlags } from '../controller-manager/flags.js';
import { startControllerManager, type ControllerManagerApp } from '../controller-manager/app.js';
import { isReady, startStandIns, type StandIns } from './controller-standins.js';
import { kubectlFor, type KubectlResult } from './harness/kubectl.js';

let api: TestApiServer;
let client: ApiClient;
let cm: ControllerManagerApp | undefined;
let standIns: StandIns;
let dir: string;

async function startCm(): Promise<ControllerManagerApp> {
  return startControllerManager(parseFlags(['--kubeconfig', api.kubeconfigPath, '--leader-elect=false', '--secure-port=0', '--controllers=*,-nodelifecycle']));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skiff-cm-deploy-'));
  api = await startTestApiServer();
  client = restClientFromKubeconfig({ kubeconfig: api.kubeconfigPath });
  cm = await startCm();
  standIns = startStandIns(client, { namespace: 'default' });
});

afterAll(async () => {
  await standIns?.stop();
  await cm?.stop();
  await api?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const kc = kubectlFor(() => api.kubeconfigPath, () => join(dir, 'cache'));

function kubectl(...args: string[]): Promise<KubectlResult> {
  return kc.run(args);
}

async function ok(...args: string[]): Promise<string> {
  const r = await kubectl(...args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

function deployment(name: string, replicas: number, strategy: Deployment['spec'] extends infer S ? (S extends { strategy?: infer T } ? T : never) : never): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      strategy,
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox:1' }] } },
    },
  };
}

const podsOf = async (app: string): Promise<Pod[]> => (await client.for<Pod>('pods').list('default', { labelSelector: `app=${app}` })).items;
const live = (pods: Pod[]): Pod[] => pods.filter((p) => !p.metadata?.deletionTimestamp);

async function setImage(name: string, image: string): Promise<void> {
  const d = await client.for<Deployment>('deployments').get('default', name);
  d.spec!.template.spec!.containers[0].image = image;
  await client.for<Deployment>('deployments').update(d);
}

async function waitComplete(name: string, replicas: number, image: string): Promise<void> {
  await waitFor(`${name} complete on ${image}`, async () => {
    const d = await client.for<Deployment>('deployments').get('default', name);
    const pods = live(await podsOf(name));
    return (
      (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) &&
      d.status?.updatedReplicas === replicas &&
      d.status?.availableReplicas === replicas &&
      d.status?.replicas === replicas &&
      pods.length === replicas &&
      pods.every((p) => p.spec?.containers[0].image === image && isReady(p))
    );
  }, 30_000, 100);
}

describe('Deployment controller against a real API server', () => {
  it('rolls out step by step within maxSurge and maxUnavailable; kubectl rollout status, history, undo and restart work', async () => {
    await client.for<Deployment>('deployments').create('default', deployment('web', 4, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } }));
    await waitComplete('web', 4, 'busybox:1');
    expect((await ok('rollout', 'status', 'deployment/web', '--timeout=20s'))).toMatch(/successfully rolled out/);

    // Readiness is handed out one pod at a time, so every intermediate state is observable.
    standIns.readyBudget = 0;
    await setImage('web', 'busybox:2');
    let maxLive = 0;
    let minReady = Infinity;
    for (let step = 0; step < 200; step++) {
      const pods = live(await podsOf('web'));
      maxLive = Math.max(maxLive, pods.length);
      minReady = Math.min(minReady, pods.filter(isReady).length);
      if (pods.length === 4 && pods.every((p) => p.spec?.containers[0].image === 'busybox:2' && isReady(p))) break;
      if (standIns.readyBudget === 0) standIns.readyBudget = 1;
      await new Promise((r) => setTimeout(r, 150));
    }
    standIns.readyBudget = Infinity;
    await waitComplete('web', 4, 'busybox:2');
    expect(maxLive).toBeLessThanOrEqual(5);
    expect(minReady).toBeGreaterThanOrEqual(3);

    const history = await ok('rollout', 'history', 'deployment/web');
    expect(history).toMatch(/^1\s/m);
    expect(history).toMatch(/^2\s/m);

    await ok('rollout', 'undo', 'deployment/web');
    await waitComplete('web', 4, 'busybox:1');
    const rss = (await client.for<ReplicaSet>('replicasets').list('default', { labelSelector: 'app=web' })).items;
    expect(rss).toHaveLength(2);
    const current = rss.find((rs) => rs.spec?.replicas === 4)!;
    expect(current.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect(current.metadata?.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1');

    // rollout restart changes a template annotation: a new ReplicaSet, revision 4.
    await ok('rollout', 'restart', 'deployment/web');
    await waitFor('restart rolled out', async () => {
      const d = await client.for<Deployment>('deployments').get('default', 'web');
      return d.metadata?.annotations?.['deployment.kubernetes.io/revision'] === '4' && d.status?.updatedReplicas === 4 && d.status?.availableReplicas === 4 && d.status?.replicas === 4;
    }, 30_000);
    expect(await ok('rollout', 'status', 'deployment/web', '--timeout=20s')).toMatch(/successfully rolled out/);
  });

  it('Recreate stops every old pod before starting new ones; scaling follows replicas', async () => {
    await client.for<Deployment>('deployments').create('default', deployment('batch', 3, { type: 'Recreate' }));
    await waitComplete('batch', 3, 'busybox:1');
    let mixed = false;
    const watching = (async () => {
      for (let i = 0; i < 100; i++) {
        const images = new Set(live(await podsOf('batch')).map((p) => p.spec?.containers[0].image));
        if (images.size > 1) mixed = true;
        if (images.size === 1 && images.has('busybox:2')) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await setImage('batch', 'busybox:2');
    await watching;
    await waitComplete('batch', 3, 'busybox:2');
    expect(mixed).toBe(false);

    await ok('scale', 'deployment/batch', '--replicas=5');
    await waitComplete('batch', 5, 'busybox:2');
    await ok('scale', 'deployment/batch', '--replicas=1');
    await waitComplete('batch', 1, 'busybox:2');
  });

  it('converges without extra pods when the controller-manager is killed mid-rollout and restarted', async () => {
    await client.for<Deployment>('deployments').create('default', deployment('api', 6, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2, maxUnavailable: 0 } }));
    await waitComplete('api', 6, 'busybox:1');
    standIns.readyBudget = 2;
    await setImage('api', 'busybox:2');
    await waitFor('the rollout to be under way', async () => live(await podsOf('api')).some((p) => p.spec?.containers[0].image === 'busybox:2'));
    await cm!.stop();
    cm = undefined;
    // While it is down nothing happens to the pod count.
    const during = live(await podsOf('api')).length;
    standIns.readyBudget = Infinity;
    await new Promise((r) => setTimeout(r, 300));
    expect(live(await podsOf('api')).length).toBe(during);
    cm = await startCm();
    let maxLive = 0;
    await waitFor('convergence after restart', async () => {
      const pods = live(await podsOf('api'));
      maxLive = Math.max(maxLive, pods.length);
      return pods.length === 6 && pods.every((p) => p.spec?.containers[0].image === 'busybox:2' && isReady(p));
    }, 30_000, 50);
    expect(maxLive).toBeLessThanOrEqual(8);
    await waitComplete('api', 6, 'busybox:2');
  });
});
