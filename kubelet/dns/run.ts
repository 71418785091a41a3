// The node-local cluster DNS as the kubelet runs it: answers straight from the shared
// Service and EndpointSlice informers (point lookups through their indexes), so a new
// Service resolves as soon as its watch event arrives.

import type { Logger } from '../../client/log.js';
import { SLICES_BY_SERVICE, type ServiceSources } from '../proxy/run.js';
import { DnsServer } from './server.js';

export async function startClusterDns(sources: ServiceSources, opts: { address: string; port?: number; domain: string; log: Logger }): Promise<DnsServer> {
  const server = new DnsServer({
    address: opts.address,
    port: opts.port,
    domain: opts.domain,
    log: opts.log,
    source: {
      service: (ns, name) => sources.services.lister.get(`${ns}/${name}`),
      slicesOf: (ns, svc) => sources.slices.lister.byIndex(SLICES_BY_SERVICE, `${ns}/${svc}`),
      hasServices: (ns) => sources.services.lister.byIndex('namespace', ns).length > 0,
    },
  });
  await server.start();
  return server;
}
