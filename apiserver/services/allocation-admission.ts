// Admission (validating phase, right before the write): a Service gets its ClusterIP and its
// node ports here — the requested ones checked against the ranges and against other
// Services, the missing ones allocated. With dryRun nothing is recorded.

import type { Service, ServicePort } from '../../api/types.js';
import type { AdmissionAttributes, AdmissionPlugin, ServerParts } from '../context.js';
import type { Store } from '../storage/store.js';
import { isMainResource } from '../admission/forbidden.js';
import { ServiceAllocator, type Claims } from './allocator.js';

const allocators = new WeakMap<Store, ServiceAllocator>();

/** One allocator per store (ranges come from the server's flags). */
export function allocatorFor(parts: ServerParts): ServiceAllocator {
  let a = allocators.get(parts.store);
  if (!a) {
    a = new ServiceAllocator(parts.store, parts.config.serviceClusterIPRange, parts.config.serviceNodePortRange);
    allocators.set(parts.store, a);
  }
  return a;
}

const usesNodePorts = (s: Service) => s.spec?.type === 'NodePort' || s.spec?.type === 'LoadBalancer';

export const serviceAddresses: AdmissionPlugin = {
  name: 'ServiceAddresses',
  async validate(attrs: AdmissionAttributes, parts: ServerParts): Promise<void> {
    if (!isMainResource(attrs, '', 'services') || (attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE') || !attrs.obj) return;
    const svc = attrs.obj as Service;
    const old = attrs.oldObj as Service | undefined;
    const owner = { namespace: attrs.namespace ?? svc.metadata?.namespace ?? 'default', name: svc.metadata?.name ?? '' };
    const allocator = allocatorFor(parts);
    const claims: Claims = [];
    try {
      await allocate(svc, old, owner, allocator, attrs.dryRun, claims);
    } catch (err) {
      await allocator.unclaim(claims);
      throw err;
    }
  },
};

/** Sets the Service's addresses, recording every new claim in `claims`. */
async function allocate(svc: Service, old: Service | undefined, owner: { namespace: string; name: string }, allocator: ServiceAllocator, dryRun: boolean, claims: Claims): Promise<void> {
  const spec = (svc.spec ??= {});
  keepAddressesOnUpdate(spec, old);

  if (spec.type === 'ExternalName') {
    delete spec.clusterIP;
    delete spec.clusterIPs;
  } else if (spec.clusterIP === 'None') {
    spec.clusterIPs = ['None'];
  } else if (!old?.spec?.clusterIP || old.spec.clusterIP === 'None' || old.spec.clusterIP !== spec.clusterIP) {
    // A new address: on create, or when an ExternalName service becomes a ClusterIP one.
    spec.clusterIP = await allocator.allocateIP(owner, spec.clusterIP || undefined, dryRun, 'spec.clusterIPs[0]', claims);
    spec.clusterIPs = [spec.clusterIP];
  }

  const ports: ServicePort[] = spec.ports ?? [];
  if (usesNodePorts(svc)) {
    for (const [i, port] of ports.entries()) {
      (port as { nodePort?: number }).nodePort = await allocator.allocateNodePort(owner, port.nodePort || undefined, dryRun, `spec.ports[${i}].nodePort`, claims);
    }
  } else {
    // Switching back to ClusterIP gives the node ports up (the repair loop frees the records).
    for (const port of ports) delete (port as { nodePort?: number }).nodePort;
  }
}

/**
 * An update that leaves out the ClusterIP or a port's node port keeps the ones the Service
 * has (a manifest applied again rarely carries them), as Kubernetes does.
 */
function keepAddressesOnUpdate(spec: NonNullable<Service['spec']>, old: Service | undefined): void {
  const before = old?.spec;
  if (!before || spec.type === 'ExternalName') return;
  if (!spec.clusterIP && before.clusterIP) {
    spec.clusterIP = before.clusterIP;
    spec.clusterIPs = before.clusterIPs ?? [before.clusterIP];
  }
  if (!usesNodePorts({ spec })) return;
  for (const port of spec.ports ?? []) {
    if (port.nodePort) continue;
    const match = (before.ports ?? []).find((p) => p.nodePort && (p.name ?? '') === (port.name ?? '') && p.port === port.port && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP'));
    if (match) (port as { nodePort?: number }).nodePort = match.nodePort;
  }
}
