// The field sets of values: every field an object (or an applied configuration) sets, and what
// changed between two versions of an object. Members are the leaves (scalars, atomic lists and
// objects, empty objects and lists) and the items of map- and set-lists; objects merged key by
// key are only the way to their fields.

import { isDeepStrictEqual } from 'node:util';
import { fieldElement, FieldSet, keyElement, valueElement } from './fieldset.js';
import type { ApplyType } from './schema.js';

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A map-list's items all carry their key fields as scalars; otherwise the list is treated as atomic. */
export function keyedItems(list: unknown[], type: ApplyType): Map<string, JsonObject> | undefined {
  if (type.listType !== 'map') return undefined;
  const out = new Map<string, JsonObject>();
  for (const item of list) {
    if (!isObject(item)) return undefined;
    if (!type.listKeys.some((k) => item[k] !== undefined && item[k] !== null && typeof item[k] !== 'object')) return undefined;
    const key = keyElement(item, type.listKeys, type.keyDefaults());
    if (out.has(key)) return undefined;
    out.set(key, item);
  }
  return out;
}

/** Set-lists hold scalars only, each once. */
export function setItems(list: unknown[], type: ApplyType): Map<string, unknown> | undefined {
  if (type.listType !== 'set') return undefined;
  const out = new Map<string, unknown>();
  for (const item of list) {
    if (item !== null && typeof item === 'object') return undefined;
    out.set(valueElement(item), item);
  }
  return out;
}

/** Adds the fields `value` sets to `node` (the node of `value`'s own path). */
export function addFields(node: FieldSet, value: unknown, type: ApplyType): void {
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (type.mapType === 'atomic' || keys.length === 0) {
      node.member = true;
      return;
    }
    for (const k of keys) addFields(node.child(fieldElement(k)), value[k], type.field(k));
    return;
  }
  if (Array.isArray(value) && value.length > 0) {
    const keyed = keyedItems(value, type);
    if (keyed) {
      const itemType = type.items();
      for (const [key, item] of keyed) {
        const kid = node.child(key);
        kid.member = true;
        for (const k of Object.keys(item)) addFields(kid.child(fieldElement(k)), item[k], itemType.field(k));
      }
      return;
    }
    const set = setItems(value, type);
    if (set) {
      for (const key of set.keys()) node.child(key).member = true;
      return;
    }
  }
  node.member = true;
}

/** The set of fields `value` sets. */
export function fieldsOfValue(value: unknown, type: ApplyType): FieldSet {
  const set = new FieldSet();
  addFields(set, value, type);
  // The root path is the whole object, never a member of a manager's set.
  set.member = false;
  return set;
}

export interface Comparison {
  /** Fields added or changed in value. */
  changed: FieldSet;
  /** Fields (and everything below them) that are gone. */
  removed: FieldSet;
}

/** What differs between `before` and `after`: the fields `after` adds or changes, and those it drops. */
export function compareValues(before: unknown, after: unknown, type: ApplyType): Comparison {
  const cmp = { changed: new FieldSet(), removed: new FieldSet() };
  compareInto(cmp.changed, cmp.removed, before, after, type);
  cmp.changed.member = false;
  cmp.removed.member = false;
  return cmp;
}

function compareInto(changed: FieldSet, removed: FieldSet, before: unknown, after: unknown, type: ApplyType): void {
  if (isObject(before) && isObject(after) && type.mapType === 'granular' && Object.keys(after).length > 0) {
    for (const k of Object.keys(after)) {
      const element = fieldElement(k);
      if (!Object.hasOwn(before, k)) addFields(changed.child(element), after[k], type.field(k));
      else if (before[k] !== after[k]) compareInto(changed.child(element), removed.child(element), before[k], after[k], type.field(k));
    }
    for (const k of Object.keys(before)) {
      if (!Object.hasOwn(after, k)) addFields(removed.child(fieldElement(k)), before[k], type.field(k));
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && after.length > 0) {
    const was = keyedItems(before, type);
    const now = was && keyedItems(after, type);
    if (was && now) {
      const itemType = type.items();
      for (const [key, item] of now) {
        const old = was.get(key);
        if (!old) {
          addFields(changed.child(key), item, itemType);
          changed.child(key).member = true;
        } else {
          compareInto(changed.child(key), removed.child(key), old, item, itemType);
        }
      }
      for (const [key, item] of was) {
        if (now.has(key)) continue;
        addFields(removed.child(key), item, itemType);
        removed.child(key).member = true;
      }
      return;
    }
    const wasSet = setItems(before, type);
    const nowSet = wasSet && setItems(after, type);
    if (wasSet && nowSet) {
      for (const key of nowSet.keys()) if (!wasSet.has(key)) changed.child(key).member = true;
      for (const key of wasSet.keys()) if (!nowSet.has(key)) removed.child(key).member = true;
      return;
    }
  }
  if (!isDeepStrictEqual(before, after)) {
    // A change of shape (a map became a scalar, a keyed list became unkeyed): the old fields go.
    if (isObject(before) || Array.isArray(before)) {
      const old = new FieldSet();
      addFields(old, before, type);
      mergeInto(removed, old.difference(fieldsAt(after, type)));
    }
    addFields(changed, after, type);
  }
}

function fieldsAt(value: unknown, type: ApplyType): FieldSet {
  const set = new FieldSet();
  addFields(set, value, type);
  return set;
}

/** Adds the members of `from` into `into` (in place). */
export function mergeInto(into: FieldSet, from: FieldSet): void {
  if (from.member) into.member = true;
  for (const [element, kid] of from.children()) mergeInto(into.child(element), kid);
}
