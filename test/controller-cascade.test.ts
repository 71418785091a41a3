// Garbage collection and namespace deletion against a real API server, driven by kubectl:
// `kubectl delete --cascade=background|foreground|orphan` on a Deployment's chain of
// ReplicaSet and pods, and `kubectl delete namespace` emptying the namespace before it goes.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from './harness/apiserver.js';
import { waitFor } from './harness/ports.js';
import { restClientFromKubeconfig } from '../client/rest.js';
import type { ApiClient } from '../client/interfaces.js';
import type { Deployment, Namespace, Pod, ReplicaSet, ServiceAccount } from '../api/types.js';
import { parseFlags } from '../controller-manager/flags.js';
import { startControllerManager, type ControllerManagerApp } from '../controller-manager/app.js';
import { isReady, startStandIns, type StandIns } from './controller-standins.js';
import { kubectlFor } from './harness/kubectl.js';

let api: TestApiServer;
let client: ApiClient;
let cm: ControllerManagerApp;
let standIns: StandIns;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skiff-cm-gc-'));
  api = await startTestApiServer();
  client = restClientFromKubeconfig({ kubeconfig: api.kubeconfigPath });
  cm = await startControllerManager(parseFlags(['--kubeconfig', api.kubeconfigPath, '--leader-elect=false', '--secure-port=0', '--controllers=*,-nodelifecycle', '--namespace-sync-period=200ms', '--garbage-collector-discovery-period=1s']));
  standIns = startStandIns(client);
});

afterAll(async () => {
  await standIns?.stop();
  await cm?.stop();
  await api?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const kc = kubectlFor(() => api.kubeconfigPath, () => join(dir, 'cache'));

function kubectl(...args: string[]): Promise<string> {
  return kc.ok(...args);
}

async function deploy(name: string, namespace = 'default', replicas = 2): Promise<void> {
  await client.for<Deployment>('deployments').create(namespace, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
  });
  await waitFor(`${name} running`, async () => (await pods(name, namespace)).filter(isReady).length === replicas);
}

const pods = async (app: string, namespace = 'default'): Promise<Pod[]> => (await client.for<Pod>('pods').list(namespace, { labelSelector: `app=${app}` })).items;
const replicaSets = async (app: string, namespace = 'default'): Promise<ReplicaSet[]> => (await client.for<ReplicaSet>('replicasets').list(namespace, { labelSelector: `app=${app}` })).items;

describe('garbage collector and namespace controller', () => {
  it('--cascade=background deletes the ReplicaSet and its pods after the Deployment', async () => {
    await deploy('bg');
    await kubectl('delete', 'deployment', 'bg', '--cascade=background');
    await waitFor('bg dependents gone', async () => (await replicaSets('bg')).length === 0 && (await pods('bg')).length === 0);
  });

  it('--cascade=foreground keeps the Deployment until its dependents are gone', async () => {
    await deploy('fg');
    let sawWaiting = false;
    const watching = (async () => {
      for (let i = 0; i < 100 && !sawWaiting; i++) {
        const d = await client.for<Deployment>('deployments').get('default', 'fg').catch(() => undefined);
        if (!d) return;
        if (d.metadata?.deletionTimestamp && d.metadata.finalizers?.includes('foregroundDeletion')) sawWaiting = true;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await kubectl('delete', 'deployment', 'fg', '--cascade=foreground');
    await watching;
    expect(sawWaiting).toBe(true);
    expect(await replicaSets('fg')).toEqual([]);
    expect(await pods('fg')).toEqual([]);
  });

  it('--cascade=orphan leaves the ReplicaSet and pods running without the owner', async () => {
    await deploy('orph');
    const before = (await pods('orph')).map((p) => p.metadata?.name).sort();
    await kubectl('delete', 'deployment', 'orph', '--cascade=orphan');
    await waitFor('orph ReplicaSet released', async () => (await replicaSets('orph')).every((rs) => (rs.metadata?.ownerReferences ?? []).length === 0));
    await new Promise((r) => setTimeout(r, 500));
    expect((await pods('orph')).map((p) => p.metadata?.name).sort()).toEqual(before);
    expect(await replicaSets('orph')).toHaveLength(1);
    // The ReplicaSet still owns its pods; deleting it now takes them along.
    await kubectl('delete', 'replicaset', '-l', 'app=orph');
    await waitFor('orph pods gone', async () => (await pods('orph')).length === 0);
  });

  it('collects dependents of a custom kind, and custom objects whose owner goes (kinds found by discovery)', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.gc.example.com' },
      spec: {
        group: 'gc.example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    };
    await client.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
    const widgets = `/apis/gc.example.com/v1/namespaces/default/widgets`;
    await waitFor('widgets served', async () => (await client.request<{ items: unknown[] }>('GET', widgets).catch(() => undefined)) !== undefined);
    const ref = (o: { apiVersion?: string; kind?: string; metadata?: { name?: string; uid?: string } }) => [{ apiVersion: o.apiVersion!, kind: o.kind!, name: o.metadata!.name!, uid: o.metadata!.uid! }];
    const widget = await client.request<Deployment>('POST', widgets, { apiVersion: 'gc.example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    await client.for('configmaps').create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'of-widget', ownerReferences: ref(widget) } });
    const owner = await client.for('configmaps').create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner' } });
    await client.request('POST', widgets, { apiVersion: 'gc.example.com/v1', kind: 'Widget', metadata: { name: 'of-configmap', ownerReferences: ref(owner) } });
    // Both owners exist: nothing is collected.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await client.for('configmaps').get('default', 'of-widget')).metadata?.name).toBe('of-widget');
    await kubectl('delete', 'widget', 'w');
    await kubectl('delete', 'configmap', 'owner');
    await waitFor('the custom owner\'s ConfigMap collected', async () => !(await client.for('configmaps').list('default')).items.some((c) => c.metadata?.name === 'of-widget'));
    await waitFor('the custom dependent collected', async () => (await client.request<{ items: unknown[] }>('GET', widgets)).items.length === 0);
  });

  it('deleting a namespace empties it, then it goes; every namespace gets a default ServiceAccount', async () => {
    await client.for<Namespace>('namespaces').create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    await waitFor('default ServiceAccount in team', async () => (await client.for<ServiceAccount>('serviceaccounts').list('team')).items.some((s) => s.metadata?.name === 'default'));
    await deploy('app', 'team');
    await kubectl('delete', 'namespace', 'team', '--timeout=30s');
    await expect(client.for('namespaces').get(undefined, 'team')).rejects.toMatchObject({ code: 404 });
    expect(await pods('app', 'team')).toEqual([]);
  });
});
