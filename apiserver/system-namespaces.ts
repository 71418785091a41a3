// The namespaces every cluster has, created at start-up when missing. Runs in the background
// and retries while etcd is away, so the server can start before etcd answers.

import type { ResourceRegistry } from '../api/resources.js';
import type { KubeObject } from '../api/types.js';
import type { Logger } from '../client/log.js';
import { ApiError } from './errors.js';
import { prepareForCreate } from './object-meta.js';
import type { Seams } from './seams.js';
import type { Store } from './storage/store.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export async function ensureSystemNamespaces(store: Store, registry: ResourceRegistry, seams: Seams, log: Logger, signal: AbortSignal, retryMs = 1000): Promise<void> {
  const type = registry.get('', 'v1', 'namespaces');
  if (!type) return;
  for (const name of SYSTEM_NAMESPACES) {
    while (!signal.aborted) {
      try {
        await store.get(type, undefined, name);
        break;
      } catch (readErr) {
        let err = readErr;
        if (err instanceof ApiError && err.code === 404) {
          const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
          prepareForCreate(type, ns);
          seams.applyDefaults(type, ns);
          try {
            await store.create(type, ns);
            log.debug({ namespace: name }, 'created system namespace');
            break;
          } catch (createErr) {
            if (createErr instanceof ApiError && createErr.reason === 'AlreadyExists') break;
            err = createErr;
          }
        }
        log.debug({ err, namespace: name }, 'system namespace not ensured yet; retrying');
        await new Promise((r) => setTimeout(r, retryMs).unref());
      }
    }
  }
}
