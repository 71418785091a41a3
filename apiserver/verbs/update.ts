// PUT of an object, and the shared path PATCH takes once it has the patched object. The
// write goes through the store's read-modify-write so a concurrent status write between our
// read and our write is never lost; a resourceVersion in the body is a precondition. The
// writer's manager gains the fields it changed (an Update entry in managedFields).

import { mutableMeta, type KubeObject, type ManagedFieldsEntry } from '../../api/types.js';
import { fieldManagerOf, recordWrite, type OptionsKind } from '../apply/field-manager.js';
import type { RequestContext } from '../context.js';
import { errors } from '../errors.js';
import { checkNamespace, checkTypeMeta, prepareForUpdate, setGeneration } from '../object-meta.js';
import type { Seams } from '../seams.js';
import { admitAndValidate } from '../write-checks.js';

/** Sets `next`'s managedFields once it is defaulted and admitted; `sent` is what the client's object carried. */
export type FieldTracking = (next: KubeObject, current: KubeObject, sent: ManagedFieldsEntry[] | undefined) => void;

/** The managedFields of an update by the request's manager: an Update entry for what it changed. */
export function updateTracking(ctx: RequestContext, options: OptionsKind): FieldTracking {
  const manager = fieldManagerOf(ctx, options);
  return (next, current, sent) => {
    mutableMeta(next).managedFields = sent;
    recordWrite(ctx, manager, next, current);
  };
}

/** Builds the object to store from the current one; `desired(current)` gives what the client asked for. */
export async function updateWith(
  ctx: RequestContext,
  seams: Seams,
  desired: (current: KubeObject) => KubeObject,
  track: FieldTracking = updateTracking(ctx, 'UpdateOptions'),
): Promise<KubeObject> {
  const t = ctx.type;
  const name = ctx.name!;
  let before: KubeObject | undefined;
  const compute = async (current: KubeObject): Promise<KubeObject> => {
    before = current;
    const next = desired(current);
    checkTypeMeta(t, next);
    checkNamespace(t, next, ctx.namespace);
    const meta = mutableMeta(next);
    if (meta.name !== name) {
      throw errors.badRequest(`the name of the object (${String(meta.name ?? '')}) does not match the name on the URL (${name})`);
    }
    const currentRv = current.metadata?.resourceVersion;
    if (meta.resourceVersion && meta.resourceVersion !== currentRv) throw errors.conflict(t.resource, t.group, name);
    const sent = meta.managedFields;
    prepareForUpdate(t, next, current);
    await admitAndValidate(ctx, seams, 'UPDATE', next, current);
    setGeneration(t, next, current);
    track(next, current, sent);
    meta.resourceVersion = currentRv;
    return next;
  };
  if (ctx.dryRun) return compute(await ctx.store.get(t, ctx.namespace, name));
  const stored = await ctx.store.guaranteedUpdate(t, ctx.namespace, name, compute);
  // Removing the last finalizer of an object being deleted completes the delete.
  if (stored.metadata?.deletionTimestamp) return (await seams.finalizeIfDone(ctx, stored, before)) ?? stored;
  return stored;
}

export async function updateObject(ctx: RequestContext, seams: Seams, body: KubeObject): Promise<KubeObject> {
  // Checked before reading the stored object, so a wrong name is 400 whether or not it exists.
  if (body.metadata?.name !== ctx.name) {
    throw errors.badRequest(`the name of the object (${String(body.metadata?.name ?? '')}) does not match the name on the URL (${ctx.name})`);
  }
  return updateWith(ctx, seams, () => structuredClone(body));
}
