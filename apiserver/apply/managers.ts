// `metadata.managedFields` read into managers (who, by which operation, through which
// subresource, owning which fields) and written back. A manager is identified as upstream does:
// by name, operation and subresource, and for Update also by apiVersion (an applier keeps one
// entry whatever version it applies with).

import type { ManagedFieldsEntry } from '../../api/types.js';
import { FieldSet } from './fieldset.js';

export type Operation = 'Apply' | 'Update';

export interface Manager {
  manager: string;
  operation: Operation;
  apiVersion: string;
  /** `status` or `scale` for writes through those subresources; empty for the main resource. */
  subresource: string;
  time?: string;
  fields: FieldSet;
}

/** Upstream keeps at most this many Update managers; older ones merge into `ancient-changes`. */
export const MAX_UPDATE_MANAGERS = 10;
const ANCIENT_CHANGES = 'ancient-changes';

export function managerId(m: Pick<Manager, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  return JSON.stringify([m.manager, m.operation, m.operation === 'Apply' ? '' : m.apiVersion, m.subresource]);
}

/** Reads managedFields; throws when an entry is not one upstream would decode. */
export function decodeManagedFields(entries: readonly ManagedFieldsEntry[] | undefined): Manager[] {
  const out: Manager[] = [];
  for (const e of entries ?? []) {
    if (e.operation !== 'Apply' && e.operation !== 'Update') throw new Error(`operation must be Apply or Update, not ${JSON.stringify(e.operation)}`);
    if (e.fieldsType !== undefined && e.fieldsType !== 'FieldsV1') throw new Error(`unsupported fieldsType ${JSON.stringify(e.fieldsType)}`);
    out.push({
      manager: e.manager ?? '',
      operation: e.operation,
      apiVersion: e.apiVersion ?? '',
      subresource: e.subresource ?? '',
      ...(e.time ? { time: e.time } : {}),
      fields: FieldSet.fromFieldsV1(e.fieldsV1 ?? {}),
    });
  }
  return out;
}

/** Writes managers as managedFields: appliers first, then oldest to newest, as upstream sorts them. */
export function encodeManagedFields(managers: readonly Manager[]): ManagedFieldsEntry[] {
  const sorted = [...managers].filter((m) => !m.fields.isEmpty()).sort(compareManagers);
  return sorted.map((m) => ({
    manager: m.manager,
    operation: m.operation,
    apiVersion: m.apiVersion,
    ...(m.time ? { time: m.time } : {}),
    fieldsType: 'FieldsV1',
    fieldsV1: m.fields.toFieldsV1(),
    ...(m.subresource ? { subresource: m.subresource } : {}),
  }));
}

function compareManagers(a: Manager, b: Manager): number {
  if (a.operation !== b.operation) return a.operation < b.operation ? -1 : 1;
  const at = a.time ?? '';
  const bt = b.time ?? '';
  if (at !== bt) return at < bt ? -1 : 1;
  if (a.manager !== b.manager) return a.manager < b.manager ? -1 : 1;
  if (a.apiVersion !== b.apiVersion) return a.apiVersion < b.apiVersion ? -1 : 1;
  return a.subresource < b.subresource ? -1 : a.subresource > b.subresource ? 1 : 0;
}

/** `[{}]`: a client's way of clearing managedFields (an empty list means "not sent"). */
export function isReset(entries: readonly ManagedFieldsEntry[] | undefined): boolean {
  if (entries?.length !== 1) return false;
  const e = entries[0]! as Record<string, unknown>;
  return Object.values(e).every((v) => v === undefined || v === '' || v === null || (typeof v === 'object' && Object.keys(v).length === 0));
}

/**
 * The managers a write starts from, as upstream decides: a subresource write never changes
 * managedFields itself; `[{}]` clears them; entries the client sent that decode are taken as
 * given (kubectl's client-side-apply upgrade sends them); otherwise (none, `[]`, or not
 * decodable) the stored ones, so a client unaware of managedFields cannot drop them.
 */
export function startingManagers(live: readonly ManagedFieldsEntry[] | undefined, sent: readonly ManagedFieldsEntry[] | undefined, subresource: string): Manager[] {
  if (!subresource) {
    if (isReset(sent)) return [];
    if (sent && sent.length > 0) {
      try {
        return decodeManagedFields(sent);
      } catch {
        // fall back to the stored entries
      }
    }
  }
  try {
    return decodeManagedFields(live);
  } catch {
    return [];
  }
}

/** Merges the oldest Update managers into `ancient-changes` when there are too many. */
export function capUpdateManagers(managers: Manager[], max = MAX_UPDATE_MANAGERS): Manager[] {
  const updates = managers.filter((m) => m.operation === 'Update').sort(compareManagers);
  if (updates.length <= max) return managers;
  const ancient = updates.filter((m) => m.manager === ANCIENT_CHANGES);
  const rest = updates.filter((m) => m.manager !== ANCIENT_CHANGES);
  const excess = rest.slice(0, rest.length - (max - 1));
  const merged = [...ancient, ...excess];
  let fields = new FieldSet();
  for (const m of merged) fields = fields.union(m.fields);
  const gone = new Set(merged);
  const last = merged[merged.length - 1]!;
  return [
    ...managers.filter((m) => !gone.has(m)),
    { manager: ANCIENT_CHANGES, operation: 'Update', apiVersion: last.apiVersion, subresource: '', ...(last.time ? { time: last.time } : {}), fields },
  ];
}
