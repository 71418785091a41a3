// Small helpers every component uses on objects: cache keys, owner references, status
// conditions, and the pod facts controllers and the scheduler decide on (ready, terminal,
// resource requests).

import { apiVersionOf, type ResourceType } from './resources.js';
import type { Container, KubeObject, OwnerReference, Pod } from './types.js';
import { cpuToMillis, quantityToBytes } from './quantity.js';

/** The cache and work-queue key of an object: `namespace/name`, or `name` when cluster-scoped. */
export function objectKey(obj: KubeObject): string {
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? '';
  return ns ? `${ns}/${name}` : name;
}

/** Splits a key made by objectKey; a key without `/` is a cluster-scoped name. */
export function splitKey(key: string): { namespace?: string; name: string } {
  const slash = key.indexOf('/');
  if (slash < 0) return { name: key };
  if (key.indexOf('/', slash + 1) >= 0) throw new Error(`unexpected key format: "${key}"`);
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** The owner reference marked `controller: true`, if any. */
export function controllerRef(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

/** True when `owner` (matched by uid) is the controller of `obj`. */
export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  const ref = controllerRef(obj);
  return ref !== undefined && owner.metadata?.uid !== undefined && ref.uid === owner.metadata.uid;
}

/** An owner reference pointing at `owner`, as controllers stamp on what they create. */
export function newOwnerRef(
  owner: KubeObject,
  type: Pick<ResourceType, 'group' | 'version' | 'kind'>,
  opts: { controller?: boolean; blockOwnerDeletion?: boolean } = { controller: true, blockOwnerDeletion: true },
): OwnerReference {
  const ref: OwnerReference = { apiVersion: apiVersionOf(type), kind: type.kind, name: owner.metadata?.name ?? '', uid: owner.metadata?.uid ?? '' };
  if (opts.controller !== undefined) ref.controller = opts.controller;
  if (opts.blockOwnerDeletion !== undefined) ref.blockOwnerDeletion = opts.blockOwnerDeletion;
  return ref;
}

// ---- status conditions ---------------------------------------------------------------

/** The fields every Kubernetes status condition shares (Pod, Node, Deployment, Job, metav1). */
export interface ConditionLike {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export function getCondition<C extends ConditionLike>(conditions: readonly C[] | undefined, type: string): C | undefined {
  return conditions?.find((c) => c.type === type);
}

/**
 * Returns the conditions with `cond` set in place of any of its type. lastTransitionTime
 * moves only when the status changes (clients measure how long a state has held); a
 * condition that is new or changed gets `now` unless it carries its own time.
 */
export function setCondition<C extends ConditionLike>(conditions: readonly C[] | undefined, cond: C, now: Date = new Date()): C[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((c) => c.type === cond.type);
  const existing = i >= 0 ? list[i] : undefined;
  const next: C = { ...cond };
  if (existing && existing.status === cond.status) {
    if (existing.lastTransitionTime !== undefined) next.lastTransitionTime = existing.lastTransitionTime;
    else delete next.lastTransitionTime;
  } else {
    next.lastTransitionTime = cond.lastTransitionTime ?? rfc3339(now);
  }
  if (i >= 0) list[i] = next;
  else list.push(next);
  return list;
}

/** Removes the condition of `type`; returns the same contents when it is absent. */
export function removeCondition<C extends ConditionLike>(conditions: readonly C[] | undefined, type: string): C[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}

/** RFC 3339 with whole seconds, as metav1.Time serializes. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// ---- pods ----------------------------------------------------------------------------

export function podIsReady(pod: Pod): boolean {
  return getCondition(pod.status?.conditions, 'Ready')?.status === 'True';
}

/** Succeeded or Failed: the pod will not run again. */
export function podIsTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Not terminal and not being deleted: counts towards a controller's replicas. */
export function podIsActive(pod: Pod): boolean {
  return !podIsTerminal(pod) && !pod.metadata?.deletionTimestamp;
}

export interface PodResources {
  /** CPU in millicores. */
  cpuMillis: number;
  /** Memory in bytes. */
  memoryBytes: number;
}

/** A container's request for `name`, falling back to its limit as defaulting would. */
function containerQuantity(c: Container, name: 'cpu' | 'memory'): string | number | undefined {
  const r = c.resources;
  return (r?.requests?.[name] ?? r?.limits?.[name]) as string | number | undefined;
}

function containerResources(c: Container): PodResources {
  const cpu = containerQuantity(c, 'cpu');
  const mem = containerQuantity(c, 'memory');
  return { cpuMillis: cpu === undefined ? 0 : cpuToMillis(cpu), memoryBytes: mem === undefined ? 0 : quantityToBytes(mem) };
}

const add = (a: PodResources, b: PodResources): PodResources => ({ cpuMillis: a.cpuMillis + b.cpuMillis, memoryBytes: a.memoryBytes + b.memoryBytes });
const max = (a: PodResources, b: PodResources): PodResources => ({ cpuMillis: Math.max(a.cpuMillis, b.cpuMillis), memoryBytes: Math.max(a.memoryBytes, b.memoryBytes) });

/**
 * What the scheduler reserves for a pod, computed as Kubernetes does: the sum over app
 * containers, or the largest init container if that is more (init containers run one at a
 * time, before the app containers), plus the pod overhead. Sidecars (init containers with
 * restartPolicy Always) keep running, so they add to the sum and to every later init step.
 */
export function podRequests(pod: Pod): PodResources {
  const spec = pod.spec;
  let total: PodResources = { cpuMillis: 0, memoryBytes: 0 };
  for (const c of spec?.containers ?? []) total = add(total, containerResources(c));
  let sidecars: PodResources = { cpuMillis: 0, memoryBytes: 0 };
  let initPeak: PodResources = { cpuMillis: 0, memoryBytes: 0 };
  for (const c of spec?.initContainers ?? []) {
    const own = containerResources(c);
    if (c.restartPolicy === 'Always') {
      total = add(total, own);
      sidecars = add(sidecars, own);
      initPeak = max(initPeak, sidecars);
    } else {
      initPeak = max(initPeak, add(own, sidecars));
    }
  }
  total = max(total, initPeak);
  const overhead = spec?.overhead as Record<string, string | number> | undefined;
  if (overhead?.cpu !== undefined) total.cpuMillis += cpuToMillis(overhead.cpu);
  if (overhead?.memory !== undefined) total.memoryBytes += quantityToBytes(overhead.memory);
  return total;
}
