// The metadata the server owns on create and update: uid, creationTimestamp, generation, the
// fields a client may not set, and the status a main-resource write may not change.

import { randomBytes, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { apiVersionOf, type ResourceType } from '../api/resources.js';
import { fieldsOf, mutableMeta, type KubeObject } from '../api/types.js';
import { errors } from './errors.js';

/** RFC 3339 with second precision, as Kubernetes writes metav1.Time. */
export function nowTimestamp(now = new Date()): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** `generateName` + 5 random characters from Kubernetes' alphabet (no vowels, no look-alikes). */
export function generateName(prefix: string): string {
  const bytes = randomBytes(5);
  let suffix = '';
  for (const b of bytes) suffix += NAME_SUFFIX_ALPHABET[b % NAME_SUFFIX_ALPHABET.length];
  // Names are at most 63 characters for most kinds; the prefix is cut as upstream does.
  return prefix.slice(0, 58) + suffix;
}

/** Checks apiVersion/kind against the path's kind and fills them in when absent. */
export function checkTypeMeta(type: ResourceType, obj: KubeObject): void {
  const want = apiVersionOf(type);
  if (obj.apiVersion !== undefined && obj.apiVersion !== want) {
    throw errors.badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${want})`);
  }
  if (obj.kind !== undefined && obj.kind !== type.kind) {
    throw errors.badRequest(`the kind in the data (${String(obj.kind)}) does not match the expected kind (${type.kind})`);
  }
  obj.apiVersion = want;
  obj.kind = type.kind;
}

/** Sets or checks `metadata.namespace` from the request path. */
export function checkNamespace(type: ResourceType, obj: KubeObject, pathNamespace: string | undefined): void {
  const meta = mutableMeta(obj);
  if (!type.namespaced) {
    delete meta.namespace;
    return;
  }
  if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== pathNamespace) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  meta.namespace = pathNamespace;
}

/** Server-owned metadata for a new object. `generateName` is resolved by the caller. */
export function prepareForCreate(type: ResourceType, obj: KubeObject, now = new Date()): void {
  const meta = mutableMeta(obj);
  meta.uid = randomUUID();
  meta.creationTimestamp = nowTimestamp(now);
  meta.generation = 1;
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.managedFields;
  delete meta.selfLink;
  // Status is written through the status subresource; a new object starts without one
  // (pods as Pending, as upstream's pod strategy does).
  if (type.subresources.includes('status')) {
    const fields = fieldsOf(obj);
    if (type.group === '' && type.kind === 'Pod') fields.status = { phase: 'Pending' };
    else delete fields.status;
  }
}

/**
 * The parts of an object that count for `metadata.generation`: everything but metadata, and
 * status too when the kind writes it through a status subresource (a custom kind without one
 * moves its generation on any change, as upstream).
 */
function specOf(obj: KubeObject, withStatus: boolean): Record<string, unknown> {
  const { metadata: _m, status, apiVersion: _a, kind: _k, ...rest } = fieldsOf(obj);
  return withStatus && status !== undefined ? { ...rest, status } : rest;
}

/**
 * Server-owned metadata for an update of `current` to `next` (mutates `next`): identity and
 * lifecycle fields come from the stored object, status too when the kind has a status
 * subresource, and generation moves when anything outside metadata and status changed.
 */
export function prepareForUpdate(type: ResourceType, next: KubeObject, current: KubeObject): void {
  const meta = mutableMeta(next);
  const cur = current.metadata ?? {};
  if (meta.uid !== undefined && meta.uid !== '' && meta.uid !== cur.uid) {
    throw errors.conflict(type.resource, type.group, cur.name ?? '', `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${cur.uid}`);
  }
  meta.uid = cur.uid;
  meta.creationTimestamp = cur.creationTimestamp;
  meta.deletionTimestamp = cur.deletionTimestamp;
  meta.deletionGracePeriodSeconds = cur.deletionGracePeriodSeconds;
  if (meta.deletionTimestamp === undefined) delete meta.deletionTimestamp;
  if (meta.deletionGracePeriodSeconds === undefined) delete meta.deletionGracePeriodSeconds;
  delete meta.managedFields;
  delete meta.selfLink;
  if (type.subresources.includes('status')) {
    const status = fieldsOf(current).status;
    if (status === undefined) delete fieldsOf(next).status;
    else fieldsOf(next).status = status;
  }
  setGeneration(type, next, current);
}

/**
 * `metadata.generation` of `next`: the stored one, plus one when anything outside metadata (and
 * status, for kinds with a status subresource) differs. Writers call it again once defaults
 * are in, so a field the client left out and defaulting puts back (an apply that drops a
 * defaulted field) is no change.
 */
export function setGeneration(type: ResourceType, next: KubeObject, current: KubeObject): void {
  const generation = current.metadata?.generation ?? 1;
  const withStatus = !type.subresources.includes('status');
  mutableMeta(next).generation = isDeepStrictEqual(specOf(next, withStatus), specOf(current, withStatus)) ? generation : generation + 1;
}
