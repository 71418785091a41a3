// What DELETE means, as Kubernetes defines it:
// - an object with finalizers is only marked (`deletionTimestamp`, grace 0) and goes when an
//   update removes its last finalizer (`finalizeIfDone`, called by the update path);
// - `propagationPolicy` becomes the `orphan` or `foregroundDeletion` finalizer for the garbage
//   collector; Background needs none (the collector deletes dependents after the owner is gone);
// - a pod bound to a node and not finished is deleted gracefully: marked with
//   `deletionTimestamp` = now + grace and left for its kubelet, which deletes it with grace 0
//   once the containers stopped; a later delete may only shorten the grace period;
// - a namespace first turns Terminating and goes once its `spec.finalizers` are empty.
//
// `planDeletion` decides from the stored object alone; `deleteObject` applies the plan with the
// object's resourceVersion as a precondition and plans again when someone wrote in between.

import { mutableMeta, fieldsOf, type KubeObject, type Namespace, type Pod } from '../api/types.js';
import type { ResourceType } from '../api/resources.js';
import { runAdmission } from './admission/index.js';
import type { RequestContext } from './context.js';
import { ApiError, errors } from './errors.js';
import { nowTimestamp } from './object-meta.js';
import type { DeleteOptions } from './seams.js';
import type { Preconditions } from './storage/store.js';

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

/** How many times a delete re-plans after losing a race with another writer. */
const MAX_ATTEMPTS = 8;

export type DeletionPlan =
  /** Remove the key now. */
  | { action: 'delete' }
  /** Store `obj` (marked for deletion) and answer it. */
  | { action: 'update'; obj: KubeObject }
  /** Already being deleted the same way: answer the object unchanged. */
  | { action: 'none' };

type Policy = 'Orphan' | 'Background' | 'Foreground';

function isKind(type: ResourceType, group: string, resource: string): boolean {
  return type.group === group && type.resource === resource;
}

/**
 * The policy a delete without options gets. Jobs keep orphaning their pods by default over
 * batch/v1, for compatibility, as upstream does; every other served kind collects dependents in
 * the background.
 */
export function defaultPropagation(type: ResourceType): Policy {
  return isKind(type, 'batch', 'jobs') ? 'Orphan' : 'Background';
}

/** The GC finalizers after this delete: explicit options win, then finalizers already set, then the kind's default. */
export function gcFinalizers(type: ResourceType, finalizers: readonly string[], opts: DeleteOptions): string[] {
  let policy: Policy;
  if (opts.orphanDependents !== undefined) policy = opts.orphanDependents ? 'Orphan' : 'Background';
  else if (opts.propagationPolicy) policy = opts.propagationPolicy;
  else if (finalizers.includes(FINALIZER_ORPHAN)) policy = 'Orphan';
  else if (finalizers.includes(FINALIZER_FOREGROUND)) policy = 'Foreground';
  else policy = defaultPropagation(type);
  const kept = finalizers.filter((f) => f !== FINALIZER_ORPHAN && f !== FINALIZER_FOREGROUND);
  if (policy === 'Orphan') kept.push(FINALIZER_ORPHAN);
  if (policy === 'Foreground') kept.push(FINALIZER_FOREGROUND);
  return kept;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function secondsLater(now: Date, seconds: number): string {
  return nowTimestamp(new Date(now.getTime() + seconds * 1000));
}

/** The grace period a pod gets on its first delete: from the options or the pod, 0 when it never ran or already finished. */
export function podGracePeriod(pod: Pod, opts: DeleteOptions): number {
  let period = opts.gracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 0;
  if (!pod.spec?.nodeName) period = 0;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') period = 0;
  return period < 0 ? 1 : period;
}

/** Marks an object for deletion without a grace period (it waits only for its finalizers). */
function markDeleting(obj: KubeObject, now: Date): void {
  const meta = mutableMeta(obj);
  if (!meta.deletionTimestamp && meta.generation) meta.generation += 1;
  if (!meta.deletionTimestamp || Date.parse(meta.deletionTimestamp) > now.getTime()) meta.deletionTimestamp = nowTimestamp(now);
  meta.deletionGracePeriodSeconds = 0;
}

function planNamespace(type: ResourceType, current: KubeObject, opts: DeleteOptions, now: Date): DeletionPlan {
  const ns = current as Namespace;
  if (!ns.metadata?.deletionTimestamp) {
    // First delete: the namespace turns Terminating; the namespace controller empties it.
    const next = structuredClone(ns);
    const meta = mutableMeta(next);
    meta.deletionTimestamp = nowTimestamp(now);
    next.status = { ...(next.status ?? {}), phase: 'Terminating' };
    const finalizers = meta.finalizers ?? [];
    const explicit = opts.orphanDependents !== undefined || opts.propagationPolicy !== undefined;
    // Namespaces default to Background: only an explicit policy adds a GC finalizer.
    const wanted = explicit ? gcFinalizers(type, finalizers, opts) : finalizers;
    if (wanted.length > 0) meta.finalizers = wanted;
    return { action: 'update', obj: next };
  }
  if ((ns.spec?.finalizers ?? []).length > 0) return { action: 'none' };
  return planGeneric(type, current, opts, now);
}

function planGeneric(type: ResourceType, current: KubeObject, opts: DeleteOptions, now: Date): DeletionPlan {
  const next = structuredClone(current);
  const meta = mutableMeta(next);
  const isPod = isKind(type, '', 'pods');
  let graceful = false;
  let period = 0;

  if (isPod && meta.deletionTimestamp) {
    const currentGrace = meta.deletionGracePeriodSeconds ?? 0;
    if (currentGrace > 0) {
      // Being deleted gracefully: only a shorter grace period changes anything.
      const asked = opts.gracePeriodSeconds === undefined ? undefined : Math.max(opts.gracePeriodSeconds, 0);
      if (asked === undefined || asked >= currentGrace) return { action: 'none' };
      const start = Date.parse(meta.deletionTimestamp) - currentGrace * 1000;
      meta.deletionTimestamp = nowTimestamp(new Date(start + asked * 1000));
      meta.deletionGracePeriodSeconds = asked;
      graceful = true;
      period = asked;
    }
  } else if (isPod) {
    period = podGracePeriod(current as Pod, opts);
    meta.deletionTimestamp = secondsLater(now, period);
    meta.deletionGracePeriodSeconds = period;
    if (meta.generation) meta.generation += 1;
    graceful = true;
  }

  const before = meta.finalizers ?? [];
  const after = gcFinalizers(type, before, opts);
  if (!sameSet(before, after)) {
    if (after.length > 0) meta.finalizers = after;
    else delete meta.finalizers;
  }
  const pendingFinalizers = after.length > 0;

  if (!graceful) {
    if (!pendingFinalizers) return { action: 'delete' };
    markDeleting(next, now);
    return { action: 'update', obj: next };
  }
  // A grace period of 0 (never ran, finished, forced, or the kubelet's last word) deletes now.
  if (period === 0 && !pendingFinalizers) return { action: 'delete' };
  return { action: 'update', obj: next };
}

/** What deleting `current` with `opts` does; pure, `now` fixed by the caller. */
export function planDeletion(type: ResourceType, current: KubeObject, opts: DeleteOptions, now: Date): DeletionPlan {
  if (isKind(type, '', 'namespaces')) return planNamespace(type, current, opts, now);
  return planGeneric(type, current, opts, now);
}

/** The caller's preconditions against the stored object, with upstream's wording. */
export function checkPreconditions(type: ResourceType, current: KubeObject, pre: Preconditions | undefined): void {
  const meta = current.metadata ?? {};
  const name = meta.name ?? '';
  if (pre?.uid && pre.uid !== meta.uid) {
    throw errors.conflict(type.resource, type.group, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${meta.uid ?? ''}`);
  }
  if (pre?.resourceVersion && pre.resourceVersion !== meta.resourceVersion) {
    throw errors.conflict(type.resource, type.group, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion ?? ''}`);
  }
}

function isConflict(err: unknown): boolean {
  return err instanceof ApiError && err.reason === 'Conflict';
}

/**
 * Deletes `ctx.name` as DELETE does. Returns the object as it now stands and whether it is
 * gone (then `obj` is its last stored state).
 */
export async function deleteObject(ctx: RequestContext, opts: DeleteOptions): Promise<{ obj: KubeObject; deleted: boolean }> {
  const { type, namespace } = ctx;
  const name = ctx.name!;
  const dryRun = ctx.dryRun || (opts.dryRun ?? []).includes('All');
  for (let attempt = 1; ; attempt++) {
    const current = await ctx.store.get(type, namespace, name);
    checkPreconditions(type, current, opts.preconditions);
    await runAdmission('validate', { operation: 'DELETE', type, namespace, name, oldObj: current, user: ctx.user, dryRun }, ctx);
    const plan = planDeletion(type, current, opts, new Date());
    // Our own writes carry the revision we planned from: a concurrent write makes us plan again.
    const pinned: Preconditions = { uid: current.metadata?.uid, resourceVersion: current.metadata?.resourceVersion };
    try {
      switch (plan.action) {
        case 'none':
          return { obj: current, deleted: false };
        case 'update':
          if (dryRun) return { obj: plan.obj, deleted: false };
          return { obj: await ctx.store.update(type, plan.obj, pinned), deleted: false };
        case 'delete':
          if (dryRun) return { obj: current, deleted: true };
          return { obj: await ctx.store.delete(type, namespace, name, pinned), deleted: true };
      }
    } catch (err) {
      if (!isConflict(err) || attempt >= MAX_ATTEMPTS) throw err;
      ctx.log.debug({ resource: type.resource, namespace, name, attempt }, 'delete raced with a write; planning again');
    }
  }
}

/** Kinds whose DELETE answers the deleted object itself, as upstream's registries for them do. */
const ANSWER_WITH_OBJECT = new Set(['/pods', '/services', '/namespaces', '/serviceaccounts']);

/**
 * The body a DELETE answers (always 200): the object while it still exists (finalizers, grace
 * period); once gone, the object for the kinds above and a `Status` Success naming it otherwise.
 */
export function deleteAnswer(type: ResourceType, result: { obj: KubeObject; deleted: boolean }): KubeObject {
  if (!result.deleted || ANSWER_WITH_OBJECT.has(`${type.group}/${type.resource}`)) return result.obj;
  const meta = result.obj.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Status',
    metadata: {},
    status: 'Success',
    details: { name: meta.name, group: type.group, kind: type.resource, uid: meta.uid },
  } as KubeObject;
}

/** True when an object marked for deletion has nothing left to wait for. */
export function readyToGo(type: ResourceType, obj: KubeObject): boolean {
  const meta = obj.metadata ?? {};
  if (!meta.deletionTimestamp || (meta.finalizers ?? []).length > 0) return false;
  // A pod still within its grace period waits for its kubelet.
  if ((meta.deletionGracePeriodSeconds ?? 0) > 0) return false;
  if (isKind(type, '', 'namespaces')) {
    const spec = fieldsOf(obj).spec as Namespace['spec'];
    if ((spec?.finalizers ?? []).length > 0) return false;
  }
  return true;
}

/**
 * Called by the update path after a write: an object being deleted whose last finalizer just
 * went is removed. Returns its last stored state when it was removed, undefined when it stays.
 * `old` (the state before the update) lets it tell "finalizers just emptied" from "never had any".
 */
export async function finalizeIfDone(ctx: RequestContext, obj: KubeObject, old?: KubeObject): Promise<KubeObject | undefined> {
  const { type } = ctx;
  if (old && (old.metadata?.finalizers ?? []).length === 0 && !isKind(type, '', 'namespaces')) return undefined;
  let candidate = obj;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    if (!readyToGo(type, candidate)) return undefined;
    if (ctx.dryRun) return candidate;
    const meta = candidate.metadata ?? {};
    try {
      return await ctx.store.delete(type, meta.namespace, meta.name ?? '', { uid: meta.uid, resourceVersion: meta.resourceVersion });
    } catch (err) {
      if (err instanceof ApiError && err.reason === 'NotFound') return candidate;
      if (!isConflict(err)) throw err;
      // Written again since: decide from the newest state.
      candidate = await ctx.store.get(type, meta.namespace, meta.name ?? '');
    }
  }
  return undefined;
}
