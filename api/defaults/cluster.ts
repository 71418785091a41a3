// Defaults of the remaining kinds skiff serves: Namespace, Secret, PriorityClass.

import type { KubeObject, Namespace, PriorityClass, Secret } from '../types.js';

/**
 * A namespace that has never been stored (its status is unset: the server drops status on
 * create and keeps the stored one on update) starts Active with the `kubernetes` finalizer,
 * which the namespace controller removes once the namespace is emptied. Later writes must not
 * bring the finalizer back, so it is only added together with the first phase.
 */
export function defaultNamespace(ns: Namespace): void {
  const status = (ns as Namespace & { status?: { phase?: string } }).status;
  if (status?.phase) return;
  (ns as KubeObject & { status?: { phase?: string } }).status = { ...status, phase: 'Active' };
  const spec = (ns.spec ??= {});
  spec.finalizers ??= ['kubernetes'];
}

export function defaultSecret(secret: Secret): void {
  secret.type ??= 'Opaque';
}

export function defaultPriorityClass(pc: PriorityClass): void {
  pc.preemptionPolicy ??= 'PreemptLowerPriority';
}
