import { describe, expect, it } from 'vitest';
import type { ManagedFieldsEntry } from '../../api/types.js';
import { FieldSet } from './fieldset.js';
import { capUpdateManagers, decodeManagedFields, encodeManagedFields, isReset, managerId, startingManagers, type Manager } from './managers.js';

const fields = { 'f:spec': { 'f:replicas': {} } };
const entry = (manager: string, operation: 'Apply' | 'Update', time: string, extra: Partial<ManagedFieldsEntry> = {}): ManagedFieldsEntry => ({
  manager,
  operation,
  apiVersion: 'apps/v1',
  time,
  fieldsType: 'FieldsV1',
  fieldsV1: fields,
  ...extra,
});

describe('managedFields entries', () => {
  it('round-trips and sorts appliers first, then oldest to newest', () => {
    const entries = [entry('b', 'Update', '2026-01-02T00:00:00Z'), entry('a', 'Update', '2026-01-01T00:00:00Z', { subresource: 'status' }), entry('z', 'Apply', '2026-01-03T00:00:00Z')];
    const out = encodeManagedFields(decodeManagedFields(entries));
    expect(out.map((e) => e.manager)).toEqual(['z', 'a', 'b']);
    expect(out[1]).toEqual(entries[1]);
  });

  it('drops managers that own nothing', () => {
    const m: Manager = { manager: 'x', operation: 'Update', apiVersion: 'v1', subresource: '', fields: new FieldSet() };
    expect(encodeManagedFields([m])).toEqual([]);
  });

  it.each([
    ['an unknown operation', { ...entry('a', 'Update', ''), operation: 'Patch' }],
    ['an unknown fieldsType', entry('a', 'Update', '', { fieldsType: 'FieldsV2' })],
    ['fieldsV1 that is not a tree', entry('a', 'Update', '', { fieldsV1: { 'f:a': 1 } })],
  ])('refuses %s', (_name, e) => {
    expect(() => decodeManagedFields([e as ManagedFieldsEntry])).toThrow();
  });

  it('identifies appliers without their apiVersion and updaters with it', () => {
    const base = { manager: 'm', subresource: '' };
    expect(managerId({ ...base, operation: 'Apply', apiVersion: 'v1' })).toBe(managerId({ ...base, operation: 'Apply', apiVersion: 'v2' }));
    expect(managerId({ ...base, operation: 'Update', apiVersion: 'v1' })).not.toBe(managerId({ ...base, operation: 'Update', apiVersion: 'v2' }));
    expect(managerId({ ...base, operation: 'Update', apiVersion: 'v1' })).not.toBe(managerId({ ...base, operation: 'Update', apiVersion: 'v1', subresource: 'status' }));
  });
});

describe('startingManagers', () => {
  const live = [entry('live', 'Update', '2026-01-01T00:00:00Z')];
  const sent = [entry('sent', 'Apply', '2026-01-01T00:00:00Z')];
  it.each([
    ['none sent: the stored ones', undefined, '', ['live']],
    ['[] sent: the stored ones (not a reset)', [], '', ['live']],
    ['[{}] sent: cleared', [{}], '', []],
    ['valid entries sent: taken', sent, '', ['sent']],
    ['entries that do not decode: the stored ones', [{ ...entry('bad', 'Update', ''), operation: 'Nope' }], '', ['live']],
    ['a subresource write: always the stored ones', sent, 'status', ['live']],
  ] as const)('%s', (_name, given, subresource, want) => {
    expect(startingManagers(live, given as ManagedFieldsEntry[] | undefined, subresource).map((m) => m.manager)).toEqual(want);
  });

  it.each([
    [[{}], true],
    [[{ manager: '' }], true],
    [[{ manager: 'x' }], false],
    [[{}, {}], false],
    [[], false],
  ])('isReset(%j) is %s', (entries, want) => {
    expect(isReset(entries)).toBe(want);
  });
});

describe('capUpdateManagers', () => {
  it('merges the oldest Update managers into ancient-changes beyond the limit', () => {
    const managers: Manager[] = Array.from({ length: 12 }, (_, i) => ({
      manager: `m${i}`,
      operation: 'Update' as const,
      apiVersion: 'v1',
      subresource: '',
      time: `2026-01-${String(i + 1).padStart(2, '0')}T00:00:00Z`,
      fields: FieldSet.fromFieldsV1({ [`f:k${i}`]: {} }),
    }));
    const capped = capUpdateManagers(managers, 10);
    expect(capped).toHaveLength(10);
    const ancient = capped.find((m) => m.manager === 'ancient-changes')!;
    expect(ancient.fields.paths().map((p) => p.join('/')).sort()).toEqual(['f:k0', 'f:k1', 'f:k2']);
    expect(capped.some((m) => m.manager === 'm11')).toBe(true);
    expect(capUpdateManagers(managers.slice(0, 10), 10)).toHaveLength(10);
  });
});
