// Strategic merge patch (`application/strategic-merge-patch+json`), as the Kubernetes API server
// applies it (apimachinery strategicpatch, server side): maps merge recursively and `null`
// deletes a key; lists whose field has strategy `merge` merge element-wise by the field's merge
// key (or as a set, for primitives); other lists are replaced. Directives:
//   {"$patch": "replace"|"delete"} in a map, or as an element of a merging list;
//   "$setElementOrder/<list>": [...]   the order of the merged list;
//   "$deleteFromPrimitiveList/<list>": [...]   values to remove from a primitive list;
//   "$retainKeys": [...]   keep only these keys of the map (unions: Deployment strategy, volumes).
// Anything else beginning with `$` is refused, as is `$patch: merge` in a list (upstream has
// never implemented it). Kinds without patch metadata (custom resources) get 415.

import type { PatchMeta } from '../../api/patch-meta.js';
import { ApiError, errors } from '../errors.js';

type JsonObject = Record<string, unknown>;

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** An own property only: a patch key such as `__proto__` must not reach the prototype. */
function own(obj: JsonObject, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

function put(obj: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function describe(v: unknown): string {
  return JSON.stringify(v);
}

/**
 * Applies a strategic merge patch to `original` with the metadata of the object's kind and
 * returns the result; neither argument is changed. Throws 400 for malformed patches and 415
 * when `meta` is undefined (a kind without patch metadata).
 */
export function strategicMergePatch(original: unknown, patch: unknown, meta: PatchMeta | undefined): JsonObject {
  if (meta === undefined) {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json (strategic merge patch is not supported for custom resources)',
    );
  }
  if (!isObject(patch)) throw errors.badRequest('a strategic merge patch must be a JSON object');
  return mergeMap(isObject(original) ? structuredClone(original) : {}, structuredClone(patch), meta);
}

/** Merges `patch` into `original` (which it may change) and returns the merged map. */
function mergeMap(original: JsonObject, patch: JsonObject, meta: PatchMeta): JsonObject {
  if (Object.hasOwn(patch, DIRECTIVE)) {
    const { [DIRECTIVE]: directive, ...rest } = patch;
    if (directive === 'replace') return mergeMap({}, rest, meta);
    if (directive === 'delete') return {};
    throw errors.badRequest(`unknown patch type: ${describe(directive)} in map: ${describe(patch)}`);
  }
  applyRetainKeys(original, patch);
  const ordered = applyElementOrders(original, patch, meta);

  for (const [key, value] of Object.entries(patch)) {
    if (key === RETAIN_KEYS || key.startsWith(SET_ELEMENT_ORDER) || ordered.has(key)) continue;
    if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      deleteFromPrimitiveList(original, fieldOf(key, DELETE_FROM_PRIMITIVE_LIST), value);
      continue;
    }
    if (key.startsWith('$')) throw errors.badRequest(`unknown strategic merge patch directive "${key}"`);
    if (value === null) {
      delete original[key];
      continue;
    }
    const current = own(original, key);
    const field = meta.field(key);
    if (isObject(current) && isObject(value)) {
      put(original, key, field.strategy === 'replace' ? materialize(value, meta.child(key)) : mergeMap(current, value, meta.child(key)));
    } else if (Array.isArray(current) && Array.isArray(value)) {
      put(original, key, mergeList(current, value, key, meta));
    } else {
      // Absent, or of another JSON type: the patch value is taken, less its directives and nulls.
      const fresh = materialize(value, meta.child(key));
      if (fresh === undefined) delete original[key];
      else put(original, key, fresh);
    }
  }
  return original;
}

/**
 * A patch value that lands where the original has nothing to merge with: nulls inside maps
 * are dropped, a map carrying `$patch: delete` disappears, list elements that are directives
 * are dropped, and directives inside maps are applied against an empty map.
 */
function materialize(value: unknown, meta: PatchMeta): unknown {
  if (isObject(value)) {
    if (value[DIRECTIVE] === 'delete') return undefined;
    return mergeMap({}, value, meta);
  }
  if (Array.isArray(value)) {
    return value.filter((el) => !(isObject(el) && Object.hasOwn(el, DIRECTIVE))).map((el) => (isObject(el) ? mergeMap({}, el, meta) : el));
  }
  return value;
}

/** `$retainKeys`: fields of the original not listed are cleared; the patch may set only listed fields. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const retain = patch[RETAIN_KEYS];
  if (!Array.isArray(retain)) throw errors.badRequest(`invalid patch: ${RETAIN_KEYS} must be a list of field names`);
  const keep = new Set(retain);
  for (const [key, value] of Object.entries(patch)) {
    if (key === RETAIN_KEYS || value === null || key.startsWith(SET_ELEMENT_ORDER) || key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) continue;
    if (!keep.has(key)) throw errors.badRequest(`invalid patch: field "${key}" is set but not in ${RETAIN_KEYS} ${describe(retain)}`);
  }
  for (const key of Object.keys(original)) if (!keep.has(key)) delete original[key];
}

function fieldOf(key: string, prefix: string): string {
  const field = key.slice(prefix.length);
  if (field === '') throw errors.badRequest(`invalid patch: "${key}" names no field`);
  return field;
}

function deleteFromPrimitiveList(original: JsonObject, field: string, values: unknown): void {
  if (!Array.isArray(values)) throw errors.badRequest(`invalid patch: ${DELETE_FROM_PRIMITIVE_LIST}${field} must be a list`);
  const current = own(original, field);
  // Nothing to delete from: the list is not created.
  if (!Array.isArray(current)) return;
  if (current.some(isObject) || values.some(isObject)) throw errors.badRequest(`invalid patch: ${DELETE_FROM_PRIMITIVE_LIST}${field} applies to lists of primitives only`);
  const gone = new Set(values);
  put(original, field, current.filter((v) => !gone.has(v)));
}

/** A list field present in both: merged when its strategy says so, replaced otherwise. */
function mergeList(current: unknown[], patch: unknown[], field: string, meta: PatchMeta): unknown[] {
  const { strategy, mergeKey } = meta.field(field);
  if (strategy !== 'merge' && strategy !== 'merge,retainKeys') return materialize(patch, meta.child(field)) as unknown[];
  if (current.length === 0 && patch.length === 0) return current;

  if (elementKind(field, current, patch) !== 'object') {
    const merged = [...new Set([...current, ...patch])];
    return enforceOrder(merged, patch, current, undefined);
  }
  if (!mergeKey) throw errors.badRequest(`cannot merge lists without merge key for ${meta.name}.${field}`);
  const elemMeta = meta.child(field);

  let base = current as JsonObject[];
  const elements: JsonObject[] = [];
  let replace = false;
  for (const el of patch as JsonObject[]) {
    if (!Object.hasOwn(el, DIRECTIVE)) {
      elements.push(el);
      continue;
    }
    const directive = el[DIRECTIVE];
    if (directive === 'delete') {
      const keyValue = keyOf(el, mergeKey, field);
      base = base.filter((o) => o[mergeKey] !== keyValue);
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw errors.badRequest(`merging lists cannot yet be specified in the patch (${field}: {"$patch": "merge"})`);
    } else {
      throw errors.badRequest(`unknown patch type: ${describe(directive)} in list ${field} element ${describe(el)}`);
    }
  }
  if (replace) return elements.map((el) => mergeMap({}, el, elemMeta));

  const merged = [...base];
  for (const el of elements) {
    const keyValue = keyOf(el, mergeKey, field);
    const at = merged.findIndex((o) => o[mergeKey] === keyValue);
    if (at >= 0) merged[at] = mergeMap(merged[at]!, el, elemMeta);
    else merged.push(mergeMap({}, el, elemMeta));
  }
  return enforceOrder(merged, elements, base, mergeKey);
}

function keyOf(el: JsonObject, mergeKey: string, field: string): unknown {
  if (!Object.hasOwn(el, mergeKey)) throw errors.badRequest(`map: ${describe(el)} does not contain declared merge key: ${mergeKey} (in ${field})`);
  return el[mergeKey];
}

/** The one JSON type all elements share; lists of lists and mixed lists cannot be merged. */
function elementKind(field: string, ...lists: unknown[][]): string {
  let kind: string | undefined;
  for (const el of lists.flat()) {
    if (Array.isArray(el)) throw errors.badRequest(`lists of lists are not supported (in ${field})`);
    const k = el === null ? 'null' : typeof el;
    if (kind !== undefined && k !== kind) throw errors.badRequest(`list element types are not identical in ${field}`);
    kind = k;
  }
  return kind ?? 'object';
}

/** `$setElementOrder/<list>` for each list the patch orders; returns the list fields it handled. */
function applyElementOrders(original: JsonObject, patch: JsonObject, meta: PatchMeta): Set<string> {
  const handled = new Set<string>();
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const field = fieldOf(key, SET_ELEMENT_ORDER);
    if (!Array.isArray(order)) throw errors.badRequest(`invalid patch: ${key} must be a list`);
    const current = listOrAbsent(original, field);
    const patched = listOrAbsent(patch, field);
    const { mergeKey } = meta.field(field);
    if (patched) checkOrderMatches(patched, order, mergeKey, key);
    handled.add(field);

    let merged: unknown[];
    if (current && patched) merged = mergeList(current, patched, field, meta);
    else if (patched) merged = materialize(patched, meta.child(field)) as unknown[];
    else if (current) merged = current;
    else continue;
    put(original, field, enforceOrder(merged, order, current ?? [], mergeKey));
  }
  return handled;
}

function listOrAbsent(obj: JsonObject, field: string): unknown[] | undefined {
  const v = own(obj, field);
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw errors.badRequest(`invalid patch: ${SET_ELEMENT_ORDER}${field} orders a field that is not a list`);
  return v;
}

/** The elements the patch sets must appear in `$setElementOrder` in the same relative order. */
function checkOrderMatches(patched: unknown[], order: unknown[], mergeKey: string | undefined, key: string): void {
  const identity = (v: unknown): unknown => {
    if (!mergeKey) return v;
    if (!isObject(v) || !Object.hasOwn(v, mergeKey)) throw errors.badRequest(`invalid patch: ${describe(v)} in ${key} or its list has no merge key ${mergeKey}`);
    return v[mergeKey];
  };
  const wanted = patched.filter((el) => !(isObject(el) && Object.hasOwn(el, DIRECTIVE))).map(identity);
  const listed = order.map(identity);
  let at = 0;
  for (const v of listed) if (at < wanted.length && wanted[at] === v) at++;
  if (at < wanted.length) throw errors.badRequest(`the order in the patch list ${describe(patched)} does not match ${key} ${describe(order)}`);
}

/**
 * Kubernetes' order for a merged list: the elements named by `patchOrder` (the patch list or
 * `$setElementOrder`) in that order, with the elements only the server has interleaved where
 * they stood in `serverOrder` (the live list) relative to the patched ones. A patched element
 * the live list does not know goes before the remaining server-only ones.
 */
function enforceOrder(merged: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string | undefined): unknown[] {
  const identity = (v: unknown): unknown => (mergeKey && isObject(v) ? v[mergeKey] : v);
  const indexIn = (list: unknown[]): Map<unknown, number> => {
    const at = new Map<unknown, number>();
    list.forEach((v, i) => {
      if (!at.has(identity(v))) at.set(identity(v), i);
    });
    return at;
  };
  const patchAt = indexIn(patchOrder);
  const serverAt = indexIn(serverOrder);
  // Elements an order does not name keep their relative place after those it names.
  const byIndex = (at: Map<unknown, number>) => (a: unknown, b: unknown) =>
    (at.get(identity(a)) ?? Number.MAX_SAFE_INTEGER) - (at.get(identity(b)) ?? Number.MAX_SAFE_INTEGER);

  const patched = merged.filter((v) => patchAt.has(identity(v))).sort(byIndex(patchAt));
  const serverOnly = merged.filter((v) => !patchAt.has(identity(v))).sort(byIndex(serverAt));

  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < patched.length) {
    if (j >= patched.length) out.push(serverOnly[i++]);
    else if (i >= serverOnly.length) out.push(patched[j++]);
    else {
      const left = serverAt.get(identity(serverOnly[i]));
      const right = serverAt.get(identity(patched[j]));
      if (left !== undefined && right !== undefined && left < right) out.push(serverOnly[i++]);
      else out.push(patched[j++]);
    }
  }
  return out;
}
