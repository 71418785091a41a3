// Objects as etcd holds them and as the cache serves them. etcd holds the object without
// `metadata.resourceVersion` (the key's mod revision is the version, so storing it as well
// would only let the two disagree); every read sets it from the mod revision.
//
// Values are written in one layout — `{"apiVersion":…,"kind":…,"metadata":{…},…}` — so the
// resourceVersion can be spliced into the JSON text without parsing and re-serializing the
// whole object (lists of 10,000 objects, every watch event). A value in any other layout
// (written by another tool) is parsed instead.

import type { KubeObject } from '../../api/types.js';

/** The bytes written to etcd: the object as JSON, apiVersion/kind/metadata first, its resourceVersion left out. */
export function encodeObject(obj: KubeObject): Buffer {
  const { apiVersion, kind, metadata = {}, ...rest } = obj;
  const { resourceVersion: _omit, ...meta } = metadata;
  return Buffer.from(JSON.stringify({ apiVersion, kind, metadata: meta, ...rest }));
}

/** The object read from etcd, with `metadata.resourceVersion` = the key's mod revision. */
export function decodeObject(value: Buffer | string, modRevision: string | number): KubeObject {
  return JSON.parse(serializeAt(value, modRevision)) as KubeObject;
}

/** Sets `metadata.resourceVersion` and returns the object. */
export function withResourceVersion(obj: KubeObject, rv: string | number): KubeObject {
  obj.metadata = { ...obj.metadata, resourceVersion: String(rv) };
  return obj;
}

// The head of a value in the layout encodeObject writes (plain strings, no escapes). Matched
// on the value's bytes read as latin1 (one character per byte: a byte offset), which finds
// `"` and `\\` exactly because UTF-8 never uses bytes below 0x80 inside a multi-byte character.
const LAYOUT_HEAD = /^\{(?:"apiVersion":"[^"\\]*",)?(?:"kind":"[^"\\]*",)?"metadata":\{/;
const RESOURCE_VERSION_KEY = '"resourceVersion":';

/**
 * The object's JSON with its resourceVersion set: the form lists and watch events are written
 * in, and the form the watch cache keeps. The text is built flat from the stored bytes in one
 * piece, so a cached object is one string rather than a rope of slices that pins the value it
 * was cut from.
 */
export function serializeAt(value: Buffer | string, rv: string | number): string {
  const bytes = typeof value === 'string' ? Buffer.from(value) : value;
  const head = LAYOUT_HEAD.exec(bytes.toString('latin1', 0, 512));
  if (!head) return reserialize(bytes, rv);
  const at = head[0].length;
  // A stored value never carries a resourceVersion, but one written by an older writer might:
  // only the fast path's output must not hold two.
  if (bytes.includes(RESOURCE_VERSION_KEY, at) && hasTopLevelResourceVersion(bytes.toString())) return reserialize(bytes, rv);
  const insert = `${RESOURCE_VERSION_KEY}"${rv}"${bytes[at] === 0x7d /* } */ ? '' : ','}`;
  const out = Buffer.allocUnsafe(bytes.length + insert.length);
  bytes.copy(out, 0, 0, at);
  out.write(insert, at, 'latin1');
  bytes.copy(out, at + insert.length, at);
  return out.toString();
}

function reserialize(bytes: Buffer, rv: string | number): string {
  return JSON.stringify(withResourceVersion(JSON.parse(bytes.toString()) as KubeObject, rv));
}

function hasTopLevelResourceVersion(text: string): boolean {
  const obj = JSON.parse(text) as KubeObject;
  return obj.metadata?.resourceVersion !== undefined;
}

/** The object without its resourceVersion, for comparing two states of one object. */
export function withoutResourceVersion(obj: KubeObject): KubeObject {
  const meta = obj.metadata ?? {};
  const { resourceVersion: _omit, ...rest } = meta;
  return { ...obj, metadata: rest };
}
