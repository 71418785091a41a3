// @kubernetes/client-node as an outside client: typed list, raw watch, and an informer that
// keeps its cache right across an API server restart.

import { CoreV1Api, KubeConfig, makeInformer, Watch, type V1ConfigMap } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from './harness/apiserver.js';
import { waitFor } from './harness/ports.js';

let api: TestApiServer;
let kc: KubeConfig;
let core: CoreV1Api;

beforeAll(async () => {
  api = await startTestApiServer();
  kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfigPath);
  core = kc.makeApiClient(CoreV1Api);
});
afterAll(async () => {
  await api?.stop();
});

const cm = (name: string, data: Record<string, string> = {}): V1ConfigMap => ({ metadata: { name }, data });

describe('@kubernetes/client-node against skiff', () => {
  it('creates and lists with typed clients', async () => {
    await core.createNamespacedConfigMap({ namespace: 'default', body: cm('typed', { a: '1' }) });
    const list = await core.listNamespacedConfigMap({ namespace: 'default' });
    expect(list.items.map((i) => i.metadata?.name)).toContain('typed');
    expect(list.metadata?.resourceVersion).toMatch(/^\d+$/);
    await expect(core.readNamespacedConfigMap({ namespace: 'default', name: 'missing' })).rejects.toMatchObject({ code: 404 });
  });

  it('watches from a resourceVersion', async () => {
    const list = await core.listNamespacedConfigMap({ namespace: 'default' });
    const seen: Array<[string, string]> = [];
    const watch = new Watch(kc);
    const ctl = await watch.watch(
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: list.metadata?.resourceVersion },
      (phase, obj: V1ConfigMap) => seen.push([phase, obj.metadata?.name ?? '']),
      () => undefined,
    );
    try {
      await core.createNamespacedConfigMap({ namespace: 'default', body: cm('watched') });
      await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'watched' });
      await waitFor('ADDED and DELETED', () => seen.length >= 2);
      expect(seen).toEqual([
        ['ADDED', 'watched'],
        ['DELETED', 'watched'],
      ]);
    } finally {
      ctl.abort();
    }
  });

  it('keeps an informer cache right across an API server restart', async () => {
    const informer = makeInformer<V1ConfigMap>(kc, '/api/v1/namespaces/default/configmaps', () => core.listNamespacedConfigMap({ namespace: 'default' }));
    let stopped = false;
    // client-node's informer stops on a watch error; restarting it (relist + watch) is the caller's job.
    informer.on('error', () => {
      if (stopped) return;
      setTimeout(() => void informer.start().catch(() => undefined), 200);
    });
    await informer.start();
    try {
      await core.createNamespacedConfigMap({ namespace: 'default', body: cm('before-restart') });
      await waitFor('the informer to see before-restart', () => informer.get('before-restart', 'default') !== undefined);
      await api.restart();
      await core.createNamespacedConfigMap({ namespace: 'default', body: cm('after-restart') });
      await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'before-restart' });
      await waitFor('the informer to catch up after the restart', () => informer.get('after-restart', 'default') !== undefined && informer.get('before-restart', 'default') === undefined, 30_000);
    } finally {
      stopped = true;
      await informer.stop();
    }
  });
});
