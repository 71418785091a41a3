// Which fields of an object a write is accountable for, and how an Update moves ownership.
// Server-owned metadata is never tracked (upstream's strip set); a write to the main resource of
// a kind with a status subresource leaves status alone, and a write to `/status` touches only
// status, so neither is charged with fields it cannot change.

import { compareValues, fieldsOfValue, isObject, type JsonObject } from './fields-of.js';
import type { FieldSet } from './fieldset.js';
import { capUpdateManagers, managerId, type Manager } from './managers.js';
import type { ApplyType } from './schema.js';

/** Metadata fields the server sets; no manager owns them. */
const UNTRACKED_METADATA = ['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds'];

export interface WriteScope {
  /** `status`, `scale` or empty for the main resource. */
  subresource: string;
  /** Whether the kind has a status subresource (then main-resource writes leave status alone). */
  statusSubresource: boolean;
}

/** The part of `obj` a write in `scope` is accountable for (a shallow view; `obj` is not changed). */
export function trackedView(obj: unknown, scope: WriteScope): JsonObject {
  if (!isObject(obj)) return {};
  if (scope.subresource === 'status') return Object.hasOwn(obj, 'status') ? { status: obj.status } : {};
  const { apiVersion: _a, kind: _k, metadata, status, ...rest } = obj;
  const view: JsonObject = rest;
  if (isObject(metadata)) {
    const meta: JsonObject = { ...metadata };
    for (const k of UNTRACKED_METADATA) delete meta[k];
    if (Object.keys(meta).length > 0) view.metadata = meta;
  }
  if (status !== undefined && !scope.statusSubresource) view.status = status;
  return view;
}

export interface Writer {
  manager: string;
  apiVersion: string;
  subresource: string;
  /** RFC 3339 time of the write. */
  now: string;
}

/**
 * The managers after an Update by `writer` from `before` (undefined on create) to `after`:
 * the writer gains the fields it added or changed and every manager loses the fields it
 * changed or removed; managers left owning nothing are dropped.
 */
export function recordUpdate(managers: readonly Manager[], before: object | undefined, after: object, writer: Writer, type: ApplyType, scope: WriteScope): Manager[] {
  const afterView = trackedView(after, scope);
  let changed: FieldSet;
  let removed: FieldSet | undefined;
  if (before === undefined) {
    changed = fieldsOfValue(afterView, type);
  } else {
    const cmp = compareValues(trackedView(before, scope), afterView, type);
    changed = cmp.changed;
    removed = cmp.removed;
  }
  const touched = removed ? changed.union(removed) : changed;
  const id = managerId({ ...writer, operation: 'Update' });
  let own: Manager | undefined;
  const out: Manager[] = [];
  for (const m of managers) {
    if (managerId(m) === id) {
      own = m;
      continue;
    }
    out.push(touched.isEmpty() ? m : { ...m, fields: m.fields.difference(touched) });
  }
  if (changed.isEmpty() && (removed === undefined || removed.isEmpty())) {
    if (own) out.push(own);
    return out.filter((m) => !m.fields.isEmpty());
  }
  const fields = own ? (removed ? own.fields.difference(removed) : own.fields).union(changed) : changed;
  out.push({ manager: writer.manager, operation: 'Update', apiVersion: writer.apiVersion, subresource: writer.subresource, time: writer.now, fields });
  return capUpdateManagers(out.filter((m) => !m.fields.isEmpty()));
}
