// What a node does for Services besides running pods: the iptables service proxy and the
// node-local cluster DNS server, both fed by one pair of informers (Services and
// EndpointSlices). The kubelet runs them inside its node's network namespace;
// `--proxy-mode=none` and `--serve-cluster-dns=false` turn them off (for a kubelet that runs
// in the host's own namespace, as some tests do).

import type { ApiClient } from '../client/interfaces.js';
import type { Logger } from '../client/log.js';
import { startClusterDns } from './dns/run.js';
import type { DnsServer } from './dns/server.js';
import type { Backend } from './proxy/iptables.js';
import type { Proxier } from './proxy/proxier.js';
import { serviceSources, startServiceProxy, type ServiceSources } from './proxy/run.js';

export interface NodeServicesOptions {
  proxy: boolean;
  dns: boolean;
  client: ApiClient;
  log: Logger;
  nodeIp: string;
  clusterDomain: string;
  clusterCIDR?: string;
  backend: Backend;
  minSyncPeriodMs: number;
  syncPeriodMs: number;
  /** 53 unless a test says otherwise. */
  dnsPort?: number;
}

export interface NodeServices {
  stop(): Promise<void>;
}

export async function startNodeServices(opts: NodeServicesOptions): Promise<NodeServices> {
  if (!opts.proxy && !opts.dns) return { stop: async () => undefined };
  const sources: ServiceSources = serviceSources(opts.client);
  let proxier: Proxier | undefined;
  let dns: DnsServer | undefined;
  try {
    if (opts.proxy) proxier = await startServiceProxy(sources, {
      client: opts.client,
      log: opts.log.child({ part: 'proxy' }),
      clusterCIDR: opts.clusterCIDR,
      backend: opts.backend,
      minSyncPeriodMs: opts.minSyncPeriodMs,
      syncPeriodMs: opts.syncPeriodMs,
    });
    if (opts.dns) dns = await startClusterDns(sources, { address: opts.nodeIp, port: opts.dnsPort, domain: opts.clusterDomain, log: opts.log.child({ part: 'dns' }) });
  } catch (err) {
    proxier?.stop();
    sources.stop();
    throw err;
  }
  return {
    async stop() {
      proxier?.stop();
      await dns?.stop();
      sources.stop();
    },
  };
}
