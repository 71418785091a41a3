import { describe, expect, it } from 'vitest';
import { applySchemaDefaults, hasDefaults, pruneNonNullableNulls } from './defaults.js';
import type { Schema } from './schema.js';

const root: Schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      default: {},
      properties: {
        replicas: { type: 'integer', default: 1 },
        mode: { type: 'string', default: 'fast' },
        opt: { type: 'string', nullable: true, default: 'x' },
        ports: { type: 'array', items: { type: 'object', properties: { protocol: { type: 'string', default: 'TCP' } } } },
        byName: { type: 'object', additionalProperties: { type: 'object', properties: { weight: { type: 'integer', default: 10 } } } },
        nested: { type: 'object', default: { inner: {} }, properties: { inner: { type: 'object', properties: { deep: { type: 'boolean', default: true } } } } },
      },
    },
  },
};

describe('applySchemaDefaults', () => {
  const cases: Array<{ name: string; obj: Record<string, unknown>; want: Record<string, unknown> }> = [
    { name: 'a missing object gets its default, then its fields theirs', obj: {}, want: { spec: { replicas: 1, mode: 'fast', opt: 'x', nested: { inner: { deep: true } } } } },
    { name: 'set values stay', obj: { spec: { replicas: 3, mode: 'slow', opt: 'y', nested: {} } }, want: { spec: { replicas: 3, mode: 'slow', opt: 'y', nested: {} } } },
    { name: 'null in a non-nullable field is defaulted', obj: { spec: { replicas: null } }, want: { spec: { replicas: 1, mode: 'fast', opt: 'x', nested: { inner: { deep: true } } } } },
    { name: 'null in a nullable field stays', obj: { spec: { opt: null } }, want: { spec: { replicas: 1, mode: 'fast', opt: null, nested: { inner: { deep: true } } } } },
    {
      name: 'array items and map values',
      obj: { spec: { ports: [{}, { protocol: 'UDP' }], byName: { a: {}, b: { weight: 1 } } } },
      want: { spec: { replicas: 1, mode: 'fast', opt: 'x', ports: [{ protocol: 'TCP' }, { protocol: 'UDP' }], byName: { a: { weight: 10 }, b: { weight: 1 } }, nested: { inner: { deep: true } } } },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const obj = structuredClone(c.obj);
      applySchemaDefaults(root, obj);
      expect(obj).toEqual(c.want);
    });
  }

  it('copies defaults, never shares them between objects', () => {
    const a: Record<string, unknown> = {};
    const b: Record<string, unknown> = {};
    applySchemaDefaults(root, a);
    applySchemaDefaults(root, b);
    (a.spec as Record<string, unknown>).mode = 'changed';
    expect((b.spec as Record<string, unknown>).mode).toBe('fast');
    expect((root.properties!.spec.default as Record<string, unknown>).mode).toBeUndefined();
  });

  it('prunes nulls the schema does not allow and cannot default, keeps the rest', () => {
    const obj = { spec: { replicas: null, opt: null, mode: null, ports: [{ protocol: null }], byName: { a: null }, unknown: null } };
    const schema: Schema = structuredClone(root);
    schema.properties!.spec.properties!.mode = { type: 'string' };
    pruneNonNullableNulls(schema, obj);
    // replicas and protocol have defaults (left for defaulting), opt is nullable, unknown is pruning's job.
    expect(obj).toEqual({ spec: { replicas: null, opt: null, ports: [{ protocol: null }], byName: {}, unknown: null } });
  });

  it('hasDefaults finds defaults at any depth', () => {
    expect(hasDefaults(root)).toBe(true);
    expect(hasDefaults({ type: 'object', properties: { a: { type: 'array', items: { type: 'string' } } } })).toBe(false);
    expect(hasDefaults({ type: 'object', properties: { a: { type: 'array', items: { type: 'object', properties: { b: { type: 'string', default: 'x' } } } } } })).toBe(true);
  });
});
