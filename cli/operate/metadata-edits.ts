// The argument grammar of `skiff label` / `annotate` (`KIND NAME... key=value key2-`) and the
// pure step from an object's current labels or annotations to the merge patch that edits them.

import { isLabelValue, isQualifiedName } from '../../api/names.js';

export type MetadataField = 'labels' | 'annotations';

export interface MetadataChanges {
  /** key → new value */
  set: Map<string, string>;
  /** keys to remove (`key-`) */
  remove: string[];
}

export interface SplitArgs {
  /** The kind and names (`deploy web` or `deploy/web`). */
  objects: string[];
  changes: MetadataChanges;
}

/**
 * Splits the arguments into objects and changes: a change is `key=value` or `key-`; the
 * objects come first. Validates keys (and label values) as the API server would, so a typo
 * fails before anything is written.
 */
export function splitArgs(args: string[], field: MetadataField): SplitArgs {
  const objects: string[] = [];
  const changes: MetadataChanges = { set: new Map(), remove: [] };
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq > 0) {
      const key = arg.slice(0, eq);
      const value = arg.slice(eq + 1);
      checkKey(key, field);
      if (field === 'labels') {
        const bad = isLabelValue(value);
        if (bad.length) throw new Error(`invalid label value "${key}=${value}": ${bad.join('; ')}`);
      }
      if (changes.set.has(key) && changes.set.get(key) !== value) throw new Error(`${key} is given twice with different values`);
      changes.set.set(key, value);
    } else if (arg.endsWith('-') && arg.length > 1) {
      // Object names never end in '-', so this is always a removal, as kubectl reads it.
      const key = arg.slice(0, -1);
      checkKey(key, field);
      changes.remove.push(key);
    } else if (eq === 0) {
      throw new Error(`"${arg}": ${field === 'labels' ? 'a label' : 'an annotation'} needs a key before "="`);
    } else {
      if (changes.set.size || changes.remove.length) throw new Error(`"${arg}": give the objects first, then the ${field} (key=value, key-)`);
      objects.push(arg);
    }
  }
  for (const key of changes.remove) if (changes.set.has(key)) throw new Error(`can not both modify and remove the ${singular(field)} "${key}" in the same command`);
  if (!changes.set.size && !changes.remove.length) throw new Error(`at least one ${singular(field)} update is required: key=value to set, key- to remove`);
  return { objects, changes };
}

const singular = (field: MetadataField) => (field === 'labels' ? 'label' : 'annotation');

function checkKey(key: string, field: MetadataField): void {
  const bad = isQualifiedName(key);
  if (bad.length) throw new Error(`invalid ${singular(field)} key "${key}": ${bad.join('; ')}`);
}

export type EditOutcome =
  | { kind: 'patch'; patch: Record<string, unknown>; missing: string[] }
  | { kind: 'unchanged'; missing: string[] }
  | { kind: 'refused'; message: string };

/**
 * The merge patch for `changes` on an object whose field holds `current`, or why not: a key
 * that already has another value needs `overwrite`, as kubectl insists. `missing` lists keys
 * asked to be removed that are not there (kubectl warns about them).
 */
export function planEdit(current: Record<string, string> | undefined, changes: MetadataChanges, overwrite: boolean, field: MetadataField, resourceVersion?: string): EditOutcome {
  const have = current ?? {};
  const edits: Record<string, string | null> = {};
  for (const [key, value] of changes.set) {
    if (key in have && have[key] !== value && !overwrite) {
      return { kind: 'refused', message: `'${key}' already has a value (${have[key]}), and --overwrite is false` };
    }
    if (have[key] !== value) edits[key] = value;
  }
  const missing: string[] = [];
  for (const key of changes.remove) {
    if (key in have) edits[key] = null;
    else missing.push(key);
  }
  if (!Object.keys(edits).length) return { kind: 'unchanged', missing };
  // The resourceVersion makes the server refuse the patch if the object changed since the check.
  const metadata: Record<string, unknown> = { [field]: edits };
  if (resourceVersion) metadata.resourceVersion = resourceVersion;
  return { kind: 'patch', patch: { metadata }, missing };
}
