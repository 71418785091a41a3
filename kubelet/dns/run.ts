// The node-local cluster DNS as the kubelet runs it: answers straight from the shared
// Service and EndpointSlice informers, so a new Service resolves as soon as its watch event
// arrives.

import type { Logger } from '../../client/log.js';
import type { ServiceSources } from '../proxy/run.js';
import { DnsServer } from './server.js';

export async function startClusterDns(sources: ServiceSources, opts: { address: string; port?: number; domain: string; log: Logger }): Promise<DnsServer> {
  const server = new DnsServer({
    address: opts.address,
    port: opts.port,
    domain: opts.domain,
    log: opts.log,
    source: { services: () => sources.services.lister.list(), endpointSlices: () => sources.slices.lister.list() },
  });
  await server.start();
  return server;
}
