// One server-side apply, as structured-merge-diff does it: merge the applied configuration into
// the live object; remove the fields this manager applied last time and applies no more, unless
// another manager owns them; refuse (409) to change fields other managers own unless forced,
// and when forced take them over; the manager's Apply entry becomes exactly what it applied.

import { isDeepStrictEqual } from 'node:util';
import { conflictError, type Conflict } from './conflicts.js';
import { compareValues, fieldsOfValue, isObject, type JsonObject } from './fields-of.js';
import { FieldSet } from './fieldset.js';
import { managerId, type Manager } from './managers.js';
import { mergeApplied, removePaths, valueAt } from './merge.js';
import type { ApplyType } from './schema.js';
import { trackedView, type WriteScope, type Writer } from './tracking.js';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const LAST_APPLIED_PATH = ['f:metadata', 'f:annotations', `f:${LAST_APPLIED}`];
/** Only kubectl's own applies keep client-side apply's annotation in step (as upstream). */
const KUBECTL = 'kubectl';

export interface ApplyInput {
  /** The applied configuration, already checked to name this object. */
  config: JsonObject;
  writer: Writer;
  force: boolean;
  type: ApplyType;
  scope: WriteScope;
}

export interface ApplyOutput {
  object: JsonObject;
  managers: Manager[];
}

/** Applies `input.config` to `live` (undefined: the object is being created) owned by `managers`. */
export function applyConfig(live: JsonObject | undefined, managers: readonly Manager[], input: ApplyInput): ApplyOutput {
  const { config, writer, type, scope } = input;
  const id = managerId({ ...writer, operation: 'Apply' });
  const applied = fieldsOfValue(trackedView(config, scope), type);
  const own = managers.find((m) => managerId(m) === id);
  const others = managers.filter((m) => m !== own);

  const base = live ?? {};
  // A copy: pruning and the annotation change the result in place, and `live` may be shared.
  const merged = mergeApplied(structuredClone(base), config, type) as JsonObject;
  if (own) prune(merged, own.fields.difference(applied), others, type);

  const before = trackedView(base, scope);
  const cmp = compareValues(before, trackedView(merged, scope), type);
  let conflicts = findConflicts(others, cmp.changed);
  if (conflicts.length > 0 && !input.force && writer.manager === KUBECTL && live) {
    conflicts = conflicts.filter((c) => !ownedByLastApplied(live, c.path, type));
  }
  if (conflicts.length > 0 && !input.force) throw conflictError(conflicts);

  const taken = cmp.changed.union(cmp.removed);
  const next: Manager[] = [];
  for (const m of others) {
    const fields = m.fields.difference(taken);
    if (!fields.isEmpty()) next.push(fields === m.fields ? m : { ...m, fields });
  }
  const unchanged = own !== undefined && own.fields.equals(applied) && isDeepStrictEqual(base, merged);
  next.push({ manager: writer.manager, operation: 'Apply', apiVersion: writer.apiVersion, subresource: writer.subresource, time: unchanged && own.time ? own.time : writer.now, fields: applied });

  // Only an apply of the whole object is a configuration client-side apply could have made.
  if (writer.manager === KUBECTL && !scope.subresource) syncLastApplied(merged, config);
  return { object: merged, managers: next.filter((m) => !m.fields.isEmpty()) };
}

/** Removes what the applier gave up, except fields (or fields below them) another manager still owns. */
function prune(obj: JsonObject, givenUp: FieldSet, others: readonly Manager[], type: ApplyType): void {
  if (givenUp.isEmpty()) return;
  let owned = new FieldSet();
  for (const m of others) owned = owned.union(m.fields);
  const removal = new FieldSet();
  for (const path of givenUp.paths()) {
    // The annotation client-side apply reads is kept in step below, never dropped by an apply.
    if (isDeepStrictEqual(path, LAST_APPLIED_PATH)) continue;
    const theirs = owned.at(path);
    if (theirs && !theirs.isEmpty()) continue;
    removal.insert(path);
  }
  removePaths(obj, removal, type);
}

function findConflicts(others: readonly Manager[], changed: FieldSet): Conflict[] {
  const out: Conflict[] = [];
  if (changed.isEmpty()) return out;
  for (const m of others) {
    for (const path of m.fields.intersection(changed).paths()) out.push({ manager: m, path });
  }
  return out;
}

/**
 * Client-side apply's intent: a field kubectl applied client-side (in the last-applied
 * annotation, with the value still live) may be taken over by kubectl's server-side apply
 * without a conflict, as upstream's upgrade path allows.
 */
function ownedByLastApplied(live: JsonObject, path: string[], type: ApplyType): boolean {
  const annotations = (live.metadata as { annotations?: Record<string, string> } | undefined)?.annotations;
  const raw = annotations?.[LAST_APPLIED];
  if (!raw) return false;
  let lastApplied: unknown;
  try {
    lastApplied = JSON.parse(raw);
  } catch {
    return false;
  }
  const was = valueAt(lastApplied, path, type);
  return was !== undefined && isDeepStrictEqual(was, valueAt(live, path, type));
}

/** When the object carries client-side apply's annotation, it becomes the configuration kubectl just applied. */
function syncLastApplied(obj: JsonObject, config: JsonObject): void {
  const meta = obj.metadata;
  if (!isObject(meta) || !isObject(meta.annotations) || typeof meta.annotations[LAST_APPLIED] !== 'string') return;
  const copy = structuredClone(config);
  const copyMeta = copy.metadata;
  if (isObject(copyMeta) && isObject(copyMeta.annotations)) {
    delete copyMeta.annotations[LAST_APPLIED];
    if (Object.keys(copyMeta.annotations).length === 0) delete copyMeta.annotations;
  }
  meta.annotations = { ...meta.annotations, [LAST_APPLIED]: JSON.stringify(copy) };
}
