// How the API server reaches a node's kubelet (logs, exec, attach, port-forward, node proxy):
// the address from the Node object's status, HTTPS with the API server's kubelet client
// certificate (--kubelet-client-certificate/-key) and the kubelets' CA.

import type { ResourceRegistry } from '../api/resources.js';
import type { Node } from '../api/types.js';
import type { KubeletTransport } from './context.js';
import { errors } from './errors.js';
import type { Store } from './storage/store.js';

export interface KubeletTLS {
  cert?: Buffer;
  key?: Buffer;
  ca?: Buffer;
}

const ADDRESS_PREFERENCE = ['InternalIP', 'Hostname', 'ExternalIP'];
const DEFAULT_KUBELET_PORT = 10250;

/** The kubelet's base URL from a Node: preferred address type first, port from daemonEndpoints. */
export function kubeletURLOf(node: Node): URL {
  const addresses = node.status?.addresses ?? [];
  for (const type of ADDRESS_PREFERENCE) {
    const found = addresses.find((a) => a.type === type && a.address);
    if (found) {
      const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port || DEFAULT_KUBELET_PORT;
      const host = found.address.includes(':') ? `[${found.address}]` : found.address;
      return new URL(`https://${host}:${port}`);
    }
  }
  throw errors.badRequest(`node "${node.metadata?.name ?? ''}" has no address the API server can reach its kubelet on`);
}

export function createKubeletTransport(store: Store, registry: ResourceRegistry, tls: KubeletTLS): KubeletTransport {
  return {
    async kubeletURL(nodeName) {
      const type = registry.get('', 'v1', 'nodes');
      if (!type) throw errors.internal('nodes are not served');
      return kubeletURLOf((await store.get(type, undefined, nodeName)) as Node);
    },
    tlsOptions: () => ({ ...tls }),
  };
}
