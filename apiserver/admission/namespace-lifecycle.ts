// NamespaceLifecycle: content may only be created in a namespace that exists and is not being
// terminated, and the system namespaces can never be deleted. Updates and deletes inside a
// terminating namespace stay allowed: the namespace controller and finalizers need them to
// empty it.

import type { AdmissionAttributes, AdmissionPlugin, ServerParts } from '../context.js';
import type { KubeObject, Namespace } from '../../api/types.js';
import type { ResourceType } from '../../api/resources.js';
import { ApiError } from '../errors.js';
import { SYSTEM_NAMESPACES } from '../system-namespaces.js';
import { forbidden } from './forbidden.js';

const IMMORTAL = new Set(SYSTEM_NAMESPACES);

function isNamespaceKind(attrs: AdmissionAttributes): boolean {
  return attrs.type.group === '' && attrs.type.kind === 'Namespace';
}

async function validate(attrs: AdmissionAttributes, parts: ServerParts): Promise<void> {
  if (isNamespaceKind(attrs)) {
    if (attrs.operation === 'DELETE' && attrs.name && IMMORTAL.has(attrs.name)) throw forbidden(attrs, 'this namespace may not be deleted');
    return;
  }
  if (!attrs.type.namespaced || !attrs.namespace) return;
  if (attrs.operation === 'DELETE') return;

  const nsType = parts.registry.get('', 'v1', 'namespaces');
  if (!nsType) return;
  // From the watch cache, as upstream reads its informer: this runs on every namespaced write.
  // A namespace the cache does not know yet (created a moment ago) is looked up live. A create
  // racing the cache's few milliseconds behind a deletion is cleaned up by the namespace
  // controller, which keeps deleting until the namespace is empty.
  const ns = (await getCachedOrLive(parts, nsType, attrs.namespace)) as Namespace;
  if (attrs.operation === 'CREATE' && ns.status?.phase === 'Terminating') {
    throw forbidden(attrs, `unable to create new content in namespace ${attrs.namespace} because it is being terminated`, [
      { reason: 'NamespaceTerminating', message: `namespace ${attrs.namespace} is being terminated`, field: 'metadata.namespace' },
    ]);
  }
}

async function getCachedOrLive(parts: ServerParts, type: ResourceType, name: string): Promise<KubeObject> {
  try {
    return await parts.store.get(type, undefined, name, { resourceVersion: '0' });
  } catch (err) {
    if (!(err instanceof ApiError && err.code === 404)) throw err;
    return parts.store.get(type, undefined, name);
  }
}

export const namespaceLifecycle: AdmissionPlugin = { name: 'NamespaceLifecycle', validate };
