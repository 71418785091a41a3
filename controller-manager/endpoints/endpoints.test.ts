import { describe, expect, it } from 'vitest';
import { EndpointsController } from './endpoints.js';
import { EndpointSliceController } from './slices.js';
import { desiredSubsets, resolvePorts } from './desired.js';
import { ControllerTestEnv } from '../testing.js';
import type { EndpointSlice, Endpoints, Pod, Service } from '../types.js';

function service(name: string, ports: Service['spec'] extends infer S ? (S extends { ports?: infer P } ? P : never) : never, extra: Partial<NonNullable<Service['spec']>> = {}): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', uid: `${name}-uid`, labels: { team: 'a' } }, spec: { selector: { app: 'web' }, ports, clusterIP: '10.96.0.10', ...extra } };
}

function webPod(name: string, ip: string | undefined, opts: { ready?: boolean; port?: number; labels?: Record<string, string>; deleting?: boolean } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `${name}-uid`, labels: opts.labels ?? { app: 'web' }, ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['x'] } : {}) },
    spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox', ports: [{ name: 'http', containerPort: opts.port ?? 8080 }] }] },
    status: { phase: 'Running', ...(ip ? { podIP: ip } : {}), conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
  };
}

describe('desired endpoints', () => {
  it.each([
    { target: undefined, want: 80 },
    { target: 9000, want: 9000 },
    { target: 'http', want: 8080 },
    { target: 'missing', want: undefined },
  ])('targetPort $target resolves to $want', ({ target, want }) => {
    const ports = resolvePorts(service('s', [{ name: 'web', port: 80, targetPort: target }]), webPod('p', '10.0.0.1'));
    expect(ports[0]?.port).toBe(want);
  });

  it('groups pods by resolved ports, ready and not ready apart, sorted by IP', () => {
    const svc = service('s', [{ name: 'web', port: 80, targetPort: 'http' }]);
    const subsets = desiredSubsets(svc, [
      webPod('b', '10.0.0.10'),
      webPod('a', '10.0.0.9'),
      webPod('slow', '10.0.0.3', { ready: false }),
      webPod('other-port', '10.0.0.4', { port: 9090 }),
      webPod('no-ip', undefined),
      webPod('going', '10.0.0.5', { deleting: true }),
    ]);
    expect(subsets).toEqual([
      {
        addresses: [
          { ip: '10.0.0.9', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'a-uid' } },
          { ip: '10.0.0.10', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'b', uid: 'b-uid' } },
        ],
        notReadyAddresses: [{ ip: '10.0.0.3', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'slow', uid: 'slow-uid' } }],
        ports: [{ name: 'web', port: 8080, protocol: 'TCP' }],
      },
      { addresses: [{ ip: '10.0.0.4', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'other-port', uid: 'other-port-uid' } }], ports: [{ name: 'web', port: 9090, protocol: 'TCP' }] },
    ]);
  });
});

async function env(objects: (Service | Pod)[]) {
  const e = new ControllerTestEnv(objects);
  const eps = new EndpointsController(e.context);
  const slices = new EndpointSliceController(e.context, 2);
  await e.sync();
  return { e, eps, slices };
}

describe('EndpointsController', () => {
  it('writes Endpoints once, then only when a pod changes', async () => {
    const { e, eps } = await env([service('web', [{ port: 80, targetPort: 'http' }]), webPod('a', '10.0.0.1'), webPod('x', '10.0.0.2', { labels: { app: 'x' } })]);
    await eps.reconcile('default/web');
    await e.sync();
    await eps.reconcile('default/web');
    expect(e.writes('endpoints')).toEqual([{ verb: 'create', resource: 'endpoints', name: 'web' }]);
    const [ep] = await e.all<Endpoints>('endpoints');
    expect(ep.metadata?.labels).toEqual({ team: 'a' });
    expect(ep.subsets?.[0].addresses?.map((a) => a.ip)).toEqual(['10.0.0.1']);

    e.queue.added.length = 0;
    const p = await e.client.for<Pod>('pods').get('default', 'a');
    await e.client.for<Pod>('pods').updateStatus({ ...p, status: { ...p.status, conditions: [{ type: 'Ready', status: 'False' }] } });
    await e.sync();
    expect(e.queue.added).toEqual(['default/web']);
    await eps.reconcile('default/web');
    expect((await e.all<Endpoints>('endpoints'))[0].subsets?.[0].notReadyAddresses?.map((a) => a.ip)).toEqual(['10.0.0.1']);
  });

  it('deletes the Endpoints with the Service and ignores selectorless Services', async () => {
    const { e, eps } = await env([service('web', [{ port: 80 }]), service('manual', [{ port: 80 }], { selector: undefined }), webPod('a', '10.0.0.1')]);
    await eps.reconcile('default/web');
    await eps.reconcile('default/manual');
    expect((await e.all('endpoints')).map((o) => o.metadata?.name)).toEqual(['web']);
    await e.client.for('services').delete('default', 'web');
    await e.sync();
    await eps.reconcile('default/web');
    expect(await e.all('endpoints')).toEqual([]);
  });
});

describe('EndpointSliceController', () => {
  it('splits endpoints into slices of the maximum size, owned and labelled, and reuses them', async () => {
    const pods = ['10.0.0.1', '10.0.0.2', '10.0.0.3'].map((ip, i) => webPod(`p${i}`, ip));
    const { e, slices } = await env([service('web', [{ name: 'http', port: 80, targetPort: 'http' }]), ...pods, webPod('term', '10.0.0.9', { deleting: true })]);
    await slices.reconcile('default/web');
    await e.sync();
    let all = await e.all<EndpointSlice>('endpointslices');
    expect(all).toHaveLength(2);
    const svcUid = (await e.all<Service>('services'))[0].metadata?.uid;
    for (const s of all) {
      expect(s.metadata?.labels).toMatchObject({ 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
      expect(s.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Service', name: 'web', uid: svcUid, controller: true });
      expect(s.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    }
    const eps = all.flatMap((s) => s.endpoints);
    expect(eps.map((x) => x.addresses[0]).sort()).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.9']);
    expect(eps.find((x) => x.addresses[0] === '10.0.0.9')?.conditions).toEqual({ ready: false, serving: true, terminating: true });

    // Nothing changed: nothing written.
    e.client.clearActions();
    await slices.reconcile('default/web');
    expect(e.writes()).toEqual([]);

    // Two pods go: one slice is enough, the other is deleted.
    await e.client.for('pods').delete('default', 'p0');
    const t = await e.client.for<Pod>('pods').get('default', 'term');
    await e.client.for<Pod>('pods').update({ ...t, metadata: { ...t.metadata, finalizers: [] } });
    await e.sync();
    await slices.reconcile('default/web');
    all = await e.all<EndpointSlice>('endpointslices');
    expect(all).toHaveLength(1);
    expect(all[0].endpoints.map((x) => x.addresses[0])).toEqual(['10.0.0.2', '10.0.0.3']);
  });

  it('keeps an empty placeholder slice for a service without endpoints', async () => {
    const { e, slices } = await env([service('web', [{ port: 80 }])]);
    await slices.reconcile('default/web');
    const all = await e.all<EndpointSlice>('endpointslices');
    expect(all.map((s) => [s.endpoints, s.ports])).toEqual([[[], []]]);
  });
});
