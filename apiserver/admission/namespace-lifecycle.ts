// NamespaceLifecycle: content may only be created in a namespace that exists and is not being
// terminated, and the system namespaces can never be deleted. Updates and deletes inside a
// terminating namespace stay allowed: the namespace controller and finalizers need them to
// empty it.

import type { AdmissionAttributes, AdmissionPlugin, ServerParts } from '../context.js';
import type { Namespace } from '../../api/types.js';
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
  // A live read, not a cache: a namespace deleted a moment ago must already refuse creates.
  const ns = (await parts.store.get(nsType, undefined, attrs.namespace)) as Namespace;
  if (attrs.operation === 'CREATE' && ns.status?.phase === 'Terminating') {
    throw forbidden(attrs, `unable to create new content in namespace ${attrs.namespace} because it is being terminated`, [
      { reason: 'NamespaceTerminating', message: `namespace ${attrs.namespace} is being terminated`, field: 'metadata.namespace' },
    ]);
  }
}

export const namespaceLifecycle: AdmissionPlugin = { name: 'NamespaceLifecycle', validate };
