// Priority: a pod's `priorityClassName` is resolved to `spec.priority` and `preemptionPolicy`
// from PriorityClass objects (the two system classes are always known); a pod naming no class
// gets the global default class, or priority 0. Also keeps PriorityClasses themselves sane: at
// most one global default, and the `system-` prefix reserved.

import type { Pod, PriorityClass } from '../../api/types.js';
import type { AdmissionAttributes, AdmissionPlugin, ServerParts } from '../context.js';
import { forbidden, isMainResource } from './forbidden.js';

type PreemptionPolicy = 'PreemptLowerPriority' | 'Never';

interface ResolvedPriority {
  className: string;
  value: number;
  preemptionPolicy: PreemptionPolicy;
}

/** The classes every cluster has, as upstream creates them at start-up. */
export const SYSTEM_PRIORITY_CLASSES: ReadonlyMap<string, number> = new Map([
  ['system-node-critical', 2_000_001_000],
  ['system-cluster-critical', 2_000_000_000],
]);

function priorityClassType(parts: ServerParts) {
  return parts.registry.get('scheduling.k8s.io', 'v1', 'priorityclasses');
}

function resolvedFrom(pc: PriorityClass): ResolvedPriority {
  return { className: pc.metadata?.name ?? '', value: pc.value, preemptionPolicy: (pc.preemptionPolicy as PreemptionPolicy | undefined) ?? 'PreemptLowerPriority' };
}

async function lookup(parts: ServerParts, name: string): Promise<ResolvedPriority | undefined> {
  const type = priorityClassType(parts);
  if (type) {
    try {
      return resolvedFrom((await parts.store.get(type, undefined, name, { resourceVersion: '0' })) as PriorityClass);
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw err;
    }
  }
  const system = SYSTEM_PRIORITY_CLASSES.get(name);
  return system === undefined ? undefined : { className: name, value: system, preemptionPolicy: 'PreemptLowerPriority' };
}

/** The global default class; when several claim it, the lowest value wins, as upstream picks. */
async function globalDefault(parts: ServerParts): Promise<ResolvedPriority> {
  const type = priorityClassType(parts);
  // From the watch cache: this runs on every pod create.
  const classes = type ? ((await parts.store.list(type, { resourceVersion: '0' })).items as PriorityClass[]).filter((pc) => pc.globalDefault) : [];
  if (classes.length === 0) return { className: '', value: 0, preemptionPolicy: 'PreemptLowerPriority' };
  return resolvedFrom(classes.reduce((low, pc) => (pc.value < low.value ? pc : low)));
}

async function admitPod(attrs: AdmissionAttributes, parts: ServerParts): Promise<void> {
  const pod = attrs.obj as Pod;
  if (!pod.spec) return;
  let resolved: ResolvedPriority;
  if (pod.spec.priorityClassName) {
    const found = await lookup(parts, pod.spec.priorityClassName);
    if (!found) throw forbidden(attrs, `no PriorityClass with name ${pod.spec.priorityClassName} was found`);
    resolved = found;
  } else {
    resolved = await globalDefault(parts);
    if (resolved.className) pod.spec.priorityClassName = resolved.className;
  }
  if (pod.spec.priority !== undefined && pod.spec.priority !== null && pod.spec.priority !== resolved.value) {
    throw forbidden(attrs, `the integer value of priority (${pod.spec.priority}) must not be provided in pod spec; priority admission controller computed ${resolved.value} from the given PriorityClass name`);
  }
  pod.spec.priority = resolved.value;
  if (pod.spec.preemptionPolicy && pod.spec.preemptionPolicy !== resolved.preemptionPolicy) {
    throw forbidden(attrs, `the string value of PreemptionPolicy (${pod.spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${resolved.preemptionPolicy} from the given PriorityClass name`);
  }
  pod.spec.preemptionPolicy = resolved.preemptionPolicy;
}

async function validatePriorityClass(attrs: AdmissionAttributes, parts: ServerParts): Promise<void> {
  const pc = attrs.obj as PriorityClass;
  const name = pc.metadata?.name ?? '';
  if (attrs.operation === 'CREATE' && name.startsWith('system-') && !SYSTEM_PRIORITY_CLASSES.has(name)) {
    throw forbidden(attrs, `priority class names with 'system-' prefix are reserved for system use only`);
  }
  if (!pc.globalDefault) return;
  const type = priorityClassType(parts);
  if (!type) return;
  const others = ((await parts.store.list(type, {})).items as PriorityClass[]).filter((o) => o.globalDefault && o.metadata?.name !== name);
  if (others.length > 0) {
    throw forbidden(attrs, `PriorityClass ${others[0].metadata?.name ?? ''} is already marked as default. Only one default can exist`);
  }
}

export const priority: AdmissionPlugin = {
  name: 'Priority',
  async admit(attrs, parts) {
    // Only creation sets a pod's priority; it cannot change afterwards.
    if (isMainResource(attrs, '', 'pods') && attrs.operation === 'CREATE' && attrs.obj) await admitPod(attrs, parts);
  },
  async validate(attrs, parts) {
    if (isMainResource(attrs, 'scheduling.k8s.io', 'priorityclasses') && (attrs.operation === 'CREATE' || attrs.operation === 'UPDATE') && attrs.obj) {
      await validatePriorityClass(attrs, parts);
    }
  },
};
