// ownerReferences as controllers use them: the one reference with `controller: true` says who
// manages an object; controllers adopt matching orphans and release objects that stop matching
// (upstream's ControllerRefManager), always writing with the object's resourceVersion so a
// concurrent change makes the write fail rather than clobber it.

import type { KubeObject, OwnerReference } from '../api/types.js';
import type { ResourceClient } from '../client/interfaces.js';
import { isNotFound } from '../client/errors.js';
import { controllerRef } from '../api/meta.js';

export { controllerRef as controllerRefOf, isControlledBy } from '../api/meta.js';

/** The reference a controller puts on what it creates: it manages it and blocks foreground deletion of the owner. */
export function newControllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata?.name ?? '', uid: owner.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
}

export interface ClaimOptions<T extends KubeObject> {
  owner: KubeObject;
  ownerRef: OwnerReference;
  matches(obj: T): boolean;
  client: ResourceClient<T>;
  /** Re-reads the owner from the API before adopting, so a deleted owner never adopts (optional). */
  recheckOwner?: () => Promise<boolean>;
}

/**
 * Returns the objects the owner controls after adopting matching orphans and releasing
 * owned objects that no longer match. Objects owned by another controller are left alone.
 */
export async function claimObjects<T extends KubeObject>(candidates: T[], opts: ClaimOptions<T>): Promise<T[]> {
  const ownerUid = opts.owner.metadata?.uid;
  const ownerDeleting = !!opts.owner.metadata?.deletionTimestamp;
  const claimed: T[] = [];
  let ownerChecked: boolean | undefined;
  for (const obj of candidates) {
    const ref = controllerRef(obj);
    if (ref) {
      if (ref.uid !== ownerUid) continue;
      if (opts.matches(obj)) claimed.push(obj);
      else if (!ownerDeleting) await release(obj, ownerUid, opts.client);
      continue;
    }
    if (ownerDeleting || obj.metadata?.deletionTimestamp || !opts.matches(obj)) continue;
    if (ownerChecked === undefined) ownerChecked = opts.recheckOwner ? await opts.recheckOwner() : true;
    if (!ownerChecked) continue;
    const adopted = await adopt(obj, opts.ownerRef, opts.client);
    if (adopted) claimed.push(adopted);
  }
  return claimed;
}

async function adopt<T extends KubeObject>(obj: T, ref: OwnerReference, client: ResourceClient<T>): Promise<T | undefined> {
  const others = (obj.metadata?.ownerReferences ?? []).filter((r) => r.uid !== ref.uid);
  try {
    return await client.update({ ...obj, metadata: { ...obj.metadata, ownerReferences: [...others, ref] } });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function release<T extends KubeObject>(obj: T, ownerUid: string | undefined, client: ResourceClient<T>): Promise<void> {
  const rest = (obj.metadata?.ownerReferences ?? []).filter((r) => r.uid !== ownerUid);
  try {
    await client.update({ ...obj, metadata: { ...obj.metadata, ownerReferences: rest } });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
