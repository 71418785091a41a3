// Objects as etcd holds them and as the cache serves them. etcd holds the object without
// `metadata.resourceVersion` (the key's mod revision is the version, so storing it as well
// would only let the two disagree); every read sets it from the mod revision.

import type { KubeObject } from '../../api/types.js';

/** The bytes written to etcd: the object as JSON, its resourceVersion left out. */
export function encodeObject(obj: KubeObject): Buffer {
  const meta = obj.metadata ?? {};
  if (meta.resourceVersion === undefined) return Buffer.from(JSON.stringify(obj));
  const { resourceVersion: _omit, ...rest } = meta;
  return Buffer.from(JSON.stringify({ ...obj, metadata: rest }));
}

/** The object read from etcd, with `metadata.resourceVersion` = the key's mod revision. */
export function decodeObject(value: Buffer | string, modRevision: string | number): KubeObject {
  const obj = JSON.parse(value.toString()) as KubeObject;
  return withResourceVersion(obj, modRevision);
}

/** Sets `metadata.resourceVersion` in place and returns the object. */
export function withResourceVersion(obj: KubeObject, rv: string | number): KubeObject {
  obj.metadata = { ...obj.metadata, resourceVersion: String(rv) };
  return obj;
}

/** The object's JSON with its resourceVersion set: the form lists and watch events are written in. */
export function serializeAt(value: Buffer | string, rv: string | number): string {
  return JSON.stringify(decodeObject(value, rv));
}

/** The object without its resourceVersion, for comparing two states of one object. */
export function withoutResourceVersion(obj: KubeObject): KubeObject {
  const meta = obj.metadata ?? {};
  const { resourceVersion: _omit, ...rest } = meta;
  return { ...obj, metadata: rest };
}
