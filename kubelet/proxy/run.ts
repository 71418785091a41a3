// The service proxy as the kubelet runs it: informers over Services and EndpointSlices feed
// the Proxier; every change asks for a (batched) sync.

import { BUILTIN_RESOURCES } from '../../api/resources.js';
import type { EndpointSlice, Service } from '../../api/types.js';
import { createInformer } from '../../client/informer.js';
import type { ApiClient, Informer } from '../../client/interfaces.js';
import type { Logger } from '../../client/log.js';
import { createRunner, type Backend } from './iptables.js';
import { Proxier } from './proxier.js';

export interface ServiceProxyOptions {
  client: ApiClient;
  log: Logger;
  clusterCIDR?: string;
  backend?: Backend;
  minSyncPeriodMs?: number;
  syncPeriodMs?: number;
}

export interface ServiceSources {
  services: Informer<Service>;
  slices: Informer<EndpointSlice>;
  stop(): void;
}

const typeOf = (resource: string) => {
  const t = BUILTIN_RESOURCES.find((r) => r.resource === resource);
  if (!t) throw new Error(`built-in resource ${resource} missing`);
  return t;
};

/** Index of EndpointSlices by `namespace/service` (their `kubernetes.io/service-name` label). */
export const SLICES_BY_SERVICE = 'service';

/** The informers the proxy and the DNS server share, started. */
export function serviceSources(client: ApiClient): ServiceSources {
  const services = createInformer<Service>(client, typeOf('services'));
  const slices = createInformer<EndpointSlice>(client, typeOf('endpointslices'));
  slices.addIndex(SLICES_BY_SERVICE, (s) => {
    const svc = s.metadata?.labels?.['kubernetes.io/service-name'];
    return svc ? [`${s.metadata?.namespace}/${svc}`] : [];
  });
  services.start();
  slices.start();
  return {
    services,
    slices,
    stop: () => {
      services.stop();
      slices.stop();
    },
  };
}

export async function startServiceProxy(sources: ServiceSources, opts: ServiceProxyOptions): Promise<Proxier> {
  const proxier = new Proxier({
    runner: createRunner({ backend: opts.backend }),
    source: { services: () => sources.services.lister.list(), endpointSlices: () => sources.slices.lister.list() },
    log: opts.log,
    clusterCIDR: opts.clusterCIDR,
    minSyncPeriodMs: opts.minSyncPeriodMs,
    syncPeriodMs: opts.syncPeriodMs,
  });
  const changed = () => proxier.requestSync();
  for (const inf of [sources.services, sources.slices] as Informer<Service | EndpointSlice>[]) {
    inf.addEventHandler({ onAdd: changed, onUpdate: changed, onDelete: changed });
  }
  await Promise.all([sources.services.waitForSync(), sources.slices.waitForSync()]);
  await proxier.start();
  return proxier;
}
