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

// The head of a value in the layout encodeObject writes (plain strings, no escapes).
const LAYOUT_HEAD = /^\{(?:"apiVersion":"[^"\\]*",)?(?:"kind":"[^"\\]*",)?"metadata":\{/;

/** The object's JSON with its resourceVersion set: the form lists and watch events are written in. */
export function serializeAt(value: Buffer | string, rv: string | number): string {
  const text = typeof value === 'string' ? value : value.toString();
  const head = LAYOUT_HEAD.exec(text.slice(0, 512));
  if (!head) return JSON.stringify(withResourceVersion(JSON.parse(text) as KubeObject, rv));
  const at = head[0].length;
  // A stored value never carries a resourceVersion, but one written by an older writer might:
  // only the fast path's output must not hold two.
  if (text.includes('"resourceVersion":', at) && hasTopLevelResourceVersion(text)) {
    return JSON.stringify(withResourceVersion(JSON.parse(text) as KubeObject, rv));
  }
  const separator = text[at] === '}' ? '' : ',';
  return `${text.slice(0, at)}"resourceVersion":"${rv}"${separator}${text.slice(at)}`;
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
