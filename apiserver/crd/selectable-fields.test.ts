import { describe, expect, it } from 'vitest';
import type { Schema } from './schema/schema.js';
import { selectableFieldProblems, selectableFieldsOf, selectablePath } from './selectable-fields.js';

const schema: Schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: { color: { type: 'string' }, replicas: { type: 'integer' }, on: { type: 'boolean' }, tags: { type: 'array', items: { type: 'string' } }, nested: { type: 'object', properties: { deep: { type: 'string' } } } },
    },
  },
};

describe('selectablePath', () => {
  it.each([
    ['.spec.color', ['spec', 'color']],
    ['.spec.nested.deep', ['spec', 'nested', 'deep']],
    ['spec.color', undefined],
    ['.spec.tags[0]', undefined],
    ['.spec..x', undefined],
  ])('%s', (path, want) => expect(selectablePath(path)).toEqual(want));
});

describe('selectableFieldProblems', () => {
  const cases: Array<{ name: string; fields: Array<{ jsonPath: string }>; want: string[] }> = [
    { name: 'scalar fields', fields: [{ jsonPath: '.spec.color' }, { jsonPath: '.spec.replicas' }, { jsonPath: '.spec.on' }, { jsonPath: '.spec.nested.deep' }], want: [] },
    { name: 'not in the schema', fields: [{ jsonPath: '.spec.size' }], want: ['p[0].jsonPath FieldValueInvalid'] },
    { name: 'not a scalar', fields: [{ jsonPath: '.spec.tags' }], want: ['p[0].jsonPath FieldValueInvalid'] },
    { name: 'metadata is always selectable already', fields: [{ jsonPath: '.metadata.name' }], want: ['p[0].jsonPath FieldValueForbidden'] },
    { name: 'duplicates', fields: [{ jsonPath: '.spec.color' }, { jsonPath: '.spec.color' }], want: ['p[1].jsonPath FieldValueDuplicate'] },
    { name: 'at most 8', fields: Array.from({ length: 9 }, () => ({ jsonPath: '.spec.color' })), want: ['p FieldValueTooMany', ...Array.from({ length: 8 }, (_, i) => `p[${i + 1}].jsonPath FieldValueDuplicate`)] },
  ];
  for (const c of cases) it(c.name, () => expect(selectableFieldProblems(c.fields, schema, 'p').map((p) => `${p.field} ${p.reason}`)).toEqual(c.want));
});

describe('selectableFieldsOf', () => {
  it('names metadata fields and the version\'s paths, and reads values as selector text', () => {
    const s = selectableFieldsOf([{ jsonPath: '.spec.color' }, { jsonPath: '.spec.replicas' }, { jsonPath: '.spec.on' }], true);
    expect(s.names).toEqual(['metadata.name', 'metadata.namespace', 'spec.color', 'spec.replicas', 'spec.on']);
    expect(s.valuesOf({ metadata: { name: 'a', namespace: 'ns' }, spec: { replicas: 3, on: false } })).toEqual({
      'metadata.name': 'a',
      'metadata.namespace': 'ns',
      'spec.color': '',
      'spec.replicas': '3',
      'spec.on': 'false',
    });
    expect(selectableFieldsOf([], false).names).toEqual(['metadata.name']);
  });
});
