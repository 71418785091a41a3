import { describe, expect, it } from 'vitest';
import { customTable } from './table.js';

const now = new Date('2024-01-01T00:10:00Z');
const obj = {
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'w1', creationTimestamp: '2024-01-01T00:00:00Z' },
  spec: { replicas: 3, tags: ['a', 'b'], ready: true },
  status: { lastSeen: '2024-01-01T00:09:30Z' },
};

interface T {
  columnDefinitions: Array<{ name: string; type: string; priority: number }>;
  rows: Array<{ cells: unknown[]; object?: { kind?: string } }>;
}

describe('customTable', () => {
  it('shows NAME and AGE when the version declares no columns', () => {
    const t = customTable([], [obj], { includeObject: 'None', now }) as unknown as T;
    expect(t.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Age']);
    expect(t.rows[0].cells).toEqual(['w1', '10m']);
    expect(t.rows[0].object).toBeUndefined();
  });

  const cases: Array<{ name: string; column: { name: string; type: string; jsonPath: string; priority?: number }; cell: unknown }> = [
    { name: 'integer', column: { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' }, cell: 3 },
    { name: 'boolean', column: { name: 'Ready', type: 'boolean', jsonPath: '.spec.ready' }, cell: true },
    { name: 'date as an age', column: { name: 'Seen', type: 'date', jsonPath: '.status.lastSeen' }, cell: '30s' },
    { name: 'a missing value is null', column: { name: 'Missing', type: 'string', jsonPath: '.spec.nothing' }, cell: null },
    { name: 'several values joined', column: { name: 'Tags', type: 'string', jsonPath: '.spec.tags[*]' }, cell: 'a,b' },
    { name: 'braces accepted', column: { name: 'R', type: 'integer', jsonPath: '{.spec.replicas}' }, cell: 3 },
    { name: 'an object as JSON', column: { name: 'Spec', type: 'string', jsonPath: '.status' }, cell: '{"lastSeen":"2024-01-01T00:09:30Z"}' },
  ];
  for (const c of cases) {
    it(`column: ${c.name}`, () => {
      const t = customTable([c.column], [obj], { includeObject: 'Metadata', now }) as unknown as T;
      expect(t.columnDefinitions.map((d) => d.name)).toEqual(['Name', c.column.name]);
      expect(t.rows[0].cells).toEqual(['w1', c.cell]);
      expect(t.rows[0].object?.kind).toBe('PartialObjectMetadata');
    });
  }

  it('keeps column priorities (wide columns)', () => {
    const t = customTable([{ name: 'R', type: 'integer', jsonPath: '.spec.replicas', priority: 1 }], [obj], { includeObject: 'Object', now }) as unknown as T;
    expect(t.columnDefinitions[1]).toMatchObject({ name: 'R', type: 'integer', priority: 1 });
    expect(t.rows[0].object?.kind).toBe('Widget');
  });
});
