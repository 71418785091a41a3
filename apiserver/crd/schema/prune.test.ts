import { describe, expect, it } from 'vitest';
import { unknownCustomFields } from './prune.js';
import type { Schema } from './schema.js';

const root: Schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        a: { type: 'string' },
        list: { type: 'array', items: { type: 'object', properties: { k: { type: 'string' } } } },
        map: { type: 'object', additionalProperties: { type: 'object', properties: { v: { type: 'integer' } } } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { typed: { type: 'object', properties: { x: { type: 'integer' } } } } },
        anything: { type: 'object', additionalProperties: true },
        template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', properties: { z: { type: 'string' } } } } },
      },
    },
  },
};

describe('unknownCustomFields', () => {
  const cases: Array<{ name: string; obj: Record<string, unknown>; unknown: string[]; after: Record<string, unknown> }> = [
    { name: 'declared fields stay', obj: { spec: { a: 'x' } }, unknown: [], after: { spec: { a: 'x' } } },
    { name: 'apiVersion, kind and metadata are implicit at the root', obj: { apiVersion: 'v', kind: 'K', metadata: { name: 'n', whatever: 1 } }, unknown: [], after: { apiVersion: 'v', kind: 'K', metadata: { name: 'n', whatever: 1 } } },
    { name: 'an unknown top-level field', obj: { spec: {}, extra: 1 }, unknown: ['extra'], after: { spec: {} } },
    { name: 'unknown nested field', obj: { spec: { a: 'x', b: 2 } }, unknown: ['spec.b'], after: { spec: { a: 'x' } } },
    { name: 'inside array items', obj: { spec: { list: [{ k: 'x', j: 1 }] } }, unknown: ['spec.list[0].j'], after: { spec: { list: [{ k: 'x' }] } } },
    { name: 'inside map values', obj: { spec: { map: { one: { v: 1, w: 2 } } } }, unknown: ['spec.map.one.w'], after: { spec: { map: { one: { v: 1 } } } } },
    {
      name: 'preserve-unknown-fields keeps unknowns but walks declared fields',
      obj: { spec: { free: { any: { deep: true }, typed: { x: 1, y: 2 } } } },
      unknown: ['spec.free.typed.y'],
      after: { spec: { free: { any: { deep: true }, typed: { x: 1 } } } },
    },
    { name: 'additionalProperties true keeps all', obj: { spec: { anything: { a: { b: 1 } } } }, unknown: [], after: { spec: { anything: { a: { b: 1 } } } } },
    {
      name: 'embedded resources keep their apiVersion, kind and metadata',
      obj: { spec: { template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { z: 'a', q: 1 } } } },
      unknown: ['spec.template.spec.q'],
      after: { spec: { template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { z: 'a' } } } },
    },
    {
      name: 'an embedded resource\'s metadata keeps ObjectMeta fields only',
      obj: { spec: { template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { a: 'b' }, colour: 'red' } } } },
      unknown: ['spec.template.metadata.colour'],
      after: { spec: { template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { a: 'b' } } } } },
    },
    { name: 'the root\'s metadata is left to the server', obj: { metadata: { name: 'n', colour: 'red' } }, unknown: [], after: { metadata: { name: 'n', colour: 'red' } } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const kept = structuredClone(c.obj);
      expect(unknownCustomFields(root, kept)).toEqual(c.unknown);
      expect(kept).toEqual(c.obj);
      const pruned = structuredClone(c.obj);
      expect(unknownCustomFields(root, pruned, { prune: true })).toEqual(c.unknown);
      expect(pruned).toEqual(c.after);
    });
  }
});
