import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject, Namespace } from '../../api/types.js';
import type { ServerParts } from '../context.js';
import { testParts, typeOf } from '../admission/testing/parts.js';
import type { MemoryStore } from '../admission/testing/memory-store.js';
import { withFinalizers } from './finalize.js';
import { subresources } from './index.js';
import { applyScale, scaleOf } from './scale.js';
import { serveHandlers, type HandlerApp } from './testing/app.js';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', uid: 'd1', generation: 4, resourceVersion: '7', creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'busybox' }] } } },
  status: { replicas: 1 },
};

describe('scale (pure)', () => {
  it('reads a Scale from the object', () => {
    expect(scaleOf(deployment)).toEqual({
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: { name: 'web', namespace: 'default', uid: 'd1', resourceVersion: '7', creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: { replicas: 2 },
      status: { replicas: 1, selector: 'app=web' },
    });
  });

  it.each<[string, unknown, number | string, number]>([
    ['scales up and moves generation', 5, 5, 5],
    ['the same count changes nothing', 2, 2, 4],
    ['zero is allowed', 0, 0, 5],
    ['negative is invalid', -1, 'spec.replicas: Invalid value: -1: must be greater than or equal to 0', 0],
    ['a fraction is invalid', 1.5, 'spec.replicas: Invalid value: 1.5: must be greater than or equal to 0', 0],
  ])('%s', (_case, replicas, want, generation) => {
    const scale = { spec: { replicas: replicas as number } };
    if (typeof want === 'string') {
      expect(() => applyScale(deployment, scale, 'web')).toThrow(want);
      return;
    }
    const next = applyScale(deployment, scale, 'web');
    expect(next.spec?.replicas).toBe(want);
    expect(next.metadata?.generation).toBe(generation);
  });
});

describe('namespace finalize (pure)', () => {
  it('replaces spec.finalizers and nothing else', () => {
    const ns: Namespace = { metadata: { name: 'team', labels: { a: 'b' } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Terminating' } };
    expect(withFinalizers(ns, { metadata: { name: 'team', labels: { c: 'd' } }, spec: { finalizers: [] } })).toEqual({ metadata: { name: 'team', labels: { a: 'b' } }, spec: {}, status: { phase: 'Terminating' } });
  });
});

describe('scale and finalize over HTTP', () => {
  let parts: ServerParts & { store: MemoryStore };
  let app: HandlerApp;
  const send = (method: string, path: string, body: unknown, type = 'application/json') => fetch(`${app.url}${path}`, { method, headers: { 'content-type': type }, body: JSON.stringify(body) });

  beforeEach(async () => {
    parts = testParts();
    await parts.store.create(typeOf(parts, '', 'namespaces'), { metadata: { name: 'default' }, status: { phase: 'Active' } } as KubeObject);
    app = await serveHandlers(parts, subresources);
  });
  afterEach(async () => {
    await app.close();
  });

  it('scales a deployment with a merge patch, as kubectl scale does', async () => {
    const deployments = typeOf(parts, 'apps', 'deployments');
    await parts.store.create(deployments, structuredClone(deployment) as KubeObject);
    const res = await send('PATCH', '/apps/default/deployments/web/scale', { spec: { replicas: 3 } }, 'application/merge-patch+json');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ kind: 'Scale', spec: { replicas: 3 }, status: { selector: 'app=web' } });
    expect(await parts.store.get(deployments, 'default', 'web')).toMatchObject({ spec: { replicas: 3 }, metadata: { generation: 5 } });

    const get = await fetch(`${app.url}/apps/default/deployments/web/scale`);
    expect(await get.json()).toMatchObject({ spec: { replicas: 3 } });

    const bad = await send('PUT', '/apps/default/deployments/web/scale', { metadata: { name: 'web' }, spec: { replicas: -2 } });
    expect(bad.status).toBe(422);
    const stale = await send('PUT', '/apps/default/deployments/web/scale', { metadata: { name: 'web', resourceVersion: '1' }, spec: { replicas: 1 } });
    expect(stale.status).toBe(409);
  });

  it('scales a replica set with PUT', async () => {
    const rs = typeOf(parts, 'apps', 'replicasets');
    await parts.store.create(rs, { ...structuredClone(deployment), kind: 'ReplicaSet' } as KubeObject);
    const res = await send('PUT', '/apps/default/replicasets/web/scale', { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web' }, spec: { replicas: 0 } });
    expect(res.status).toBe(200);
    expect(await parts.store.get(rs, 'default', 'web')).toMatchObject({ spec: { replicas: 0 } });
  });

  it('finalizes a terminating namespace: emptied, it is deleted', async () => {
    const nsType = typeOf(parts, '', 'namespaces');
    await parts.store.create(nsType, { metadata: { name: 'team', deletionTimestamp: '2026-01-01T00:00:00Z' }, spec: { finalizers: ['kubernetes', 'example.com/x'] }, status: { phase: 'Terminating' } } as KubeObject);
    const partly = await send('PUT', '/core/_/namespaces/team/finalize', { metadata: { name: 'team' }, spec: { finalizers: ['kubernetes'] } });
    expect(await partly.json()).toMatchObject({ spec: { finalizers: ['kubernetes'] } });
    await parts.store.get(nsType, undefined, 'team');
    const done = await send('PUT', '/core/_/namespaces/team/finalize', { metadata: { name: 'team' }, spec: { finalizers: [] } });
    expect(done.status).toBe(200);
    await expect(parts.store.get(nsType, undefined, 'team')).rejects.toMatchObject({ code: 404 });
  });

  it('keeps an active namespace with an empty finalizer list', async () => {
    const nsType = typeOf(parts, '', 'namespaces');
    await parts.store.create(nsType, { metadata: { name: 'live' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } } as KubeObject);
    await send('PUT', '/core/_/namespaces/live/finalize', { metadata: { name: 'live' }, spec: { finalizers: [] } });
    expect(await parts.store.get(nsType, undefined, 'live')).toMatchObject({ status: { phase: 'Active' } });
  });
});
