// Merging an applied configuration into the live object, by the schema's list and map types:
// granular objects merge key by key, map-lists item by item (by key), set-lists as unions,
// everything else (scalars, atomic lists and objects) is replaced by the applied value.
// Items of the live list keep their places; new items follow in the applied order.
// And removing paths of a field set from an object, for fields an applier stopped applying.

import { keyElement, type FieldSet } from './fieldset.js';
import { isObject, keyedItems, setItems, type JsonObject } from './fields-of.js';
import type { ApplyType } from './schema.js';

/** `live` with `config` merged in; neither is changed. */
export function mergeApplied(live: unknown, config: unknown, type: ApplyType): unknown {
  if (isObject(live) && isObject(config) && type.mapType === 'granular') {
    const out: JsonObject = { ...live };
    for (const [k, v] of Object.entries(config)) {
      if (v === null) {
        // An explicit null in an applied configuration clears the field.
        delete out[k];
        continue;
      }
      define(out, k, Object.hasOwn(live, k) ? mergeApplied(live[k], v, type.field(k)) : structuredClone(v));
    }
    return out;
  }
  if (Array.isArray(live) && Array.isArray(config)) {
    const liveItems = keyedItems(live, type);
    const applied = liveItems && keyedItems(config, type);
    if (liveItems && applied) {
      const itemType = type.items();
      const out = live.map((item) => {
        const mine = applied.get(keyElement(item as JsonObject, type.listKeys, type.keyDefaults()));
        return mine ? mergeApplied(item, mine, itemType) : item;
      });
      for (const [key, item] of applied) if (!liveItems.has(key)) out.push(structuredClone(item));
      return out;
    }
    const liveSet = setItems(live, type);
    const appliedSet = liveSet && setItems(config, type);
    if (liveSet && appliedSet) return [...live, ...[...appliedSet].filter(([k]) => !liveSet.has(k)).map(([, v]) => v)];
  }
  return structuredClone(config);
}

/** Removes every member path of `paths` from `obj` (in place); paths that are absent are skipped. */
export function removePaths(obj: unknown, paths: FieldSet, type: ApplyType): void {
  for (const [element, node] of paths.children()) {
    if (isObject(obj) && element.startsWith('f:')) {
      const name = element.slice(2);
      if (!Object.hasOwn(obj, name)) continue;
      if (node.member) delete obj[name];
      else removePaths(obj[name], node, type.field(name));
      continue;
    }
    if (!Array.isArray(obj)) continue;
    const index = indexOf(obj, element, type);
    if (index < 0) continue;
    if (node.member) obj.splice(index, 1);
    else removePaths(obj[index], node, type.items());
  }
}

/** The index of the item a path element names in `list` (of type `type`), or -1. */
function indexOf(list: unknown[], element: string, type: ApplyType): number {
  if (element.startsWith('k:')) {
    const want = JSON.parse(element.slice(2)) as JsonObject;
    const keys = Object.keys(want);
    const defaults = type.keyDefaults();
    return list.findIndex((item) => isObject(item) && keys.every((k) => (item[k] ?? defaults[k]) === want[k]));
  }
  if (element.startsWith('v:')) {
    const want: unknown = JSON.parse(element.slice(2));
    return list.findIndex((item) => item === want);
  }
  if (element.startsWith('i:')) {
    const i = Number(element.slice(2));
    return i < list.length ? i : -1;
  }
  return -1;
}

/** The value at a member path, for checks; undefined when absent. */
export function valueAt(obj: unknown, path: readonly string[], type: ApplyType): unknown {
  let value = obj;
  let t = type;
  for (const element of path) {
    if (isObject(value) && element.startsWith('f:')) {
      const name = element.slice(2);
      value = Object.hasOwn(value, name) ? value[name] : undefined;
      t = t.field(name);
    } else if (Array.isArray(value)) {
      const i = indexOf(value, element, t);
      value = i < 0 ? undefined : value[i];
      t = t.items();
    } else {
      return undefined;
    }
  }
  return value;
}

function define(obj: JsonObject, key: string, value: unknown): void {
  // A key such as `__proto__` in a body must stay an own property.
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
