// The `kubernetes` Service in `default`: the first address of the service range, port 443,
// pointing at the API server itself (its advertise address and secure port) through an
// Endpoints object and an EndpointSlice the API server keeps — the endpoints controller
// leaves it alone because the Service has no selector. Reconciled periodically, so a deleted
// or edited object comes back.

import type { ResourceRegistry } from '../../api/resources.js';
import type { EndpointSlice, Endpoints, KubeObject, Service } from '../../api/types.js';
import type { Logger } from '../../client/log.js';
import { ApiError } from '../errors.js';
import { prepareForCreate } from '../object-meta.js';
import type { Seams } from '../seams.js';
import type { Store } from '../storage/store.js';
import type { ServiceAllocator } from './allocator.js';
import { kubernetesServiceIP } from './ip-range.js';

export interface KubernetesServiceOptions {
  store: Store;
  registry: ResourceRegistry;
  seams: Seams;
  allocator: ServiceAllocator;
  advertiseAddress: string;
  securePort: number;
  log: Logger;
  intervalMs?: number;
}

const LABELS = { component: 'apiserver', provider: 'kubernetes' };

function desiredObjects(ip: string, advertise: string, port: number): { service: Service; endpoints: Endpoints; slice: EndpointSlice } {
  const meta = { name: 'kubernetes', namespace: 'default', labels: LABELS };
  return {
    service: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta,
      spec: { type: 'ClusterIP', clusterIP: ip, clusterIPs: [ip], sessionAffinity: 'None', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: port }] },
    },
    endpoints: {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { ...meta, labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      subsets: [{ addresses: [{ ip: advertise }], ports: [{ name: 'https', port, protocol: 'TCP' }] }],
    },
    slice: {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes', 'endpointslice.kubernetes.io/managed-by': 'skiff-apiserver' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: [advertise], conditions: { ready: true } }],
      ports: [{ name: 'https', port, protocol: 'TCP' }],
    },
  };
}

/** Creates the object if missing; rewrites `field` when it drifted. */
async function ensure(opts: KubernetesServiceOptions, group: string, resource: string, want: KubeObject, field: 'subsets' | 'endpoints' | 'spec'): Promise<void> {
  const type = opts.registry.get(group, 'v1', resource);
  if (!type) return;
  try {
    const current = (await opts.store.get(type, 'default', 'kubernetes')) as unknown as Record<string, unknown>;
    const wanted = want as unknown as Record<string, unknown>;
    if (field === 'spec') return; // the Service itself is only created; users may label it
    if (JSON.stringify(current[field]) !== JSON.stringify(wanted[field])) {
      await opts.store.guaranteedUpdate(type, 'default', 'kubernetes', (cur) => ({ ...cur, [field]: wanted[field], ...(field === 'endpoints' ? { ports: wanted.ports } : {}) }) as KubeObject);
    }
  } catch (err) {
    if (!(err instanceof ApiError && err.code === 404)) throw err;
    const obj = structuredClone(want);
    prepareForCreate(type, obj);
    opts.seams.applyDefaults(type, obj);
    try {
      await opts.store.create(type, obj);
    } catch (createErr) {
      if (!(createErr instanceof ApiError && createErr.reason === 'AlreadyExists')) throw createErr;
    }
  }
}

export async function reconcileKubernetesService(opts: KubernetesServiceOptions): Promise<void> {
  const ip = kubernetesServiceIP(opts.allocator.ipRange);
  const want = desiredObjects(ip, opts.advertiseAddress, opts.securePort);
  await opts.allocator.allocateIP({ namespace: 'default', name: 'kubernetes' }, ip, false, 'spec.clusterIPs[0]');
  await ensure(opts, '', 'services', want.service, 'spec');
  await ensure(opts, '', 'endpoints', want.endpoints, 'subsets');
  await ensure(opts, 'discovery.k8s.io', 'endpointslices', want.slice, 'endpoints');
}

export function startKubernetesService(opts: KubernetesServiceOptions): { stop(): void } {
  const run = () => reconcileKubernetesService(opts).catch((err: unknown) => opts.log.debug({ err }, 'kubernetes service not reconciled yet; retrying'));
  void run();
  const timer = setInterval(run, opts.intervalMs ?? 10_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
