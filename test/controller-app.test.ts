// The skiff-controller-manager process shell against a real API server: /healthz and /metrics
// (reconcile counts and durations per controller, work queue depth), and leader election on
// Lease kube-system/kube-controller-manager: of two instances only the holder runs controllers,
// and the other takes over when the holder stops.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from './harness/apiserver.js';
import { freePort, waitFor } from './harness/ports.js';
import { restClientFromKubeconfig } from '../client/rest.js';
import type { ApiClient } from '../client/interfaces.js';
import type { Lease, Pod, ReplicaSet } from '../api/types.js';
import { parseFlags } from '../controller-manager/flags.js';
import { startControllerManager, type ControllerManagerApp } from '../controller-manager/app.js';

let api: TestApiServer;
let client: ApiClient;
const apps: ControllerManagerApp[] = [];

beforeAll(async () => {
  api = await startTestApiServer();
  client = restClientFromKubeconfig({ kubeconfig: api.kubeconfigPath });
});

afterAll(async () => {
  for (const a of apps) await a.stop();
  await api?.stop();
});

async function start(port: number): Promise<ControllerManagerApp> {
  const app = await startControllerManager(
    parseFlags([
      '--kubeconfig', api.kubeconfigPath, '--bind-address=127.0.0.1', `--secure-port=${port}`, '--controllers=replicaset',
      '--leader-elect-lease-duration=2s', '--leader-elect-renew-deadline=1500ms', '--leader-elect-retry-period=250ms',
    ]),
  );
  apps.push(app);
  return app;
}

const holder = async (): Promise<string | undefined> => (await client.for<Lease>('leases').get('kube-system', 'kube-controller-manager').catch(() => undefined))?.spec?.holderIdentity ?? undefined;

function replicaSet(name: string, replicas: number): ReplicaSet {
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace: 'default' }, spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } } };
}
const podCount = async (app: string): Promise<number> => (await client.for<Pod>('pods').list('default', { labelSelector: `app=${app}` })).items.length;

describe('skiff-controller-manager', () => {
  it('elects one leader, serves health and metrics, and hands over when the leader stops', async () => {
    const [p1, p2] = [await freePort(), await freePort()];
    const first = await start(p1);
    await waitFor('a leader', async () => !!(await holder()));
    const leader1 = await holder();
    const second = await start(p2);

    await client.for<ReplicaSet>('replicasets').create('default', replicaSet('one', 3));
    await waitFor('pods of one', async () => (await podCount('one')) === 3);
    // The standby must not have created anything extra.
    await new Promise((r) => setTimeout(r, 500));
    expect(await podCount('one')).toBe(3);

    const health = await fetch(`${first.url}/healthz`);
    expect(health.status).toBe(200);
    const metrics = await (await fetch(`${first.url}/metrics`)).text();
    expect(metrics).toMatch(/controller_reconcile_total\{controller="replicaset",result="success"\} [1-9]/);
    expect(metrics).toMatch(/controller_reconcile_duration_seconds_count\{controller="replicaset"\} [1-9]/);
    expect(metrics).toMatch(/workqueue_depth\{name="replicaset"\} \d/);

    await first.stop();
    expect(await first.done).toBe(0);
    await waitFor('the standby to lead', async () => {
      const h = await holder();
      return !!h && h !== leader1;
    }, 15_000);
    await client.for<ReplicaSet>('replicasets').create('default', replicaSet('two', 2));
    await waitFor('pods of two from the new leader', async () => (await podCount('two')) === 2, 15_000);
    expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
  });
});
