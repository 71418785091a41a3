import { describe, expect, it } from 'vitest';
import { conflictError, describeManager } from './conflicts.js';
import { FieldSet } from './fieldset.js';
import type { Manager } from './managers.js';

const manager = (name: string, operation: 'Apply' | 'Update', subresource = ''): Manager => ({ manager: name, operation, apiVersion: 'apps/v1', subresource, fields: new FieldSet() });

describe('describeManager', () => {
  it.each([
    [manager('kubectl', 'Apply'), '"kubectl"'],
    [manager('kubectl-client-side-apply', 'Update'), '"kubectl-client-side-apply" using apps/v1'],
    [manager('kubectl', 'Update', 'scale'), '"kubectl" with subresource "scale" using apps/v1'],
    [manager('ctl', 'Apply', 'status'), '"ctl" with subresource "status"'],
  ])('%j -> %s', (m, want) => {
    expect(describeManager(m)).toBe(want);
  });
});

describe('conflictError', () => {
  it('one conflict: one line naming the manager and the field', () => {
    const err = conflictError([{ manager: manager('kubectl-client-side-apply', 'Update'), path: ['f:spec', 'f:replicas'] }]);
    expect(err.code).toBe(409);
    expect(err.reason).toBe('Conflict');
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
    expect(err.details?.causes).toEqual([{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }]);
  });

  it('several: grouped by manager, managers sorted', () => {
    const b = manager('b', 'Apply');
    const a = manager('a', 'Apply');
    const err = conflictError([
      { manager: b, path: ['f:spec', 'f:replicas'] },
      { manager: a, path: ['f:metadata', 'f:labels', 'f:x'] },
      { manager: b, path: ['f:spec', 'f:paused'] },
    ]);
    expect(err.message).toBe('Apply failed with 3 conflicts: conflicts with "a":\n- .metadata.labels.x\nconflicts with "b":\n- .spec.replicas\n- .spec.paused');
    expect(err.details?.causes).toHaveLength(3);
  });
});
