import { describe, expect, it } from 'vitest';
import type { Schema } from './schema.js';
import { validateCustomObject, validateValue } from './validate.js';

const fields = (causes: Array<{ field: string; reason: string }>) => causes.map((c) => `${c.field} ${c.reason}`);

describe('validateValue', () => {
  const cases: Array<{ name: string; schema: Schema; value: unknown; want: string[] }> = [
    { name: 'integer ok', schema: { type: 'integer' }, value: 3, want: [] },
    { name: 'integer refuses a fraction', schema: { type: 'integer' }, value: 1.5, want: ['x FieldValueTypeInvalid'] },
    { name: 'number takes a fraction', schema: { type: 'number' }, value: 1.5, want: [] },
    { name: 'string refuses a number', schema: { type: 'string' }, value: 1, want: ['x FieldValueTypeInvalid'] },
    { name: 'boolean', schema: { type: 'boolean' }, value: 'true', want: ['x FieldValueTypeInvalid'] },
    { name: 'null refused unless nullable', schema: { type: 'string' }, value: null, want: ['x FieldValueTypeInvalid'] },
    { name: 'nullable takes null', schema: { type: 'string', nullable: true }, value: null, want: [] },
    { name: 'int-or-string takes both', schema: { 'x-kubernetes-int-or-string': true }, value: 'http', want: [] },
    { name: 'int-or-string takes an integer', schema: { 'x-kubernetes-int-or-string': true }, value: 80, want: [] },
    { name: 'int-or-string refuses a fraction', schema: { 'x-kubernetes-int-or-string': true }, value: 1.5, want: ['x FieldValueTypeInvalid'] },
    { name: 'enum', schema: { type: 'string', enum: ['a', 'b'] }, value: 'c', want: ['x FieldValueNotSupported'] },
    { name: 'minimum inclusive', schema: { type: 'integer', minimum: 1 }, value: 1, want: [] },
    { name: 'minimum exclusive', schema: { type: 'integer', minimum: 1, exclusiveMinimum: true }, value: 1, want: ['x FieldValueInvalid'] },
    { name: 'maximum', schema: { type: 'integer', maximum: 10 }, value: 11, want: ['x FieldValueInvalid'] },
    { name: 'multipleOf', schema: { type: 'integer', multipleOf: 5 }, value: 12, want: ['x FieldValueInvalid'] },
    { name: 'maxLength counts characters', schema: { type: 'string', maxLength: 2 }, value: 'éé', want: [] },
    { name: 'maxLength', schema: { type: 'string', maxLength: 2 }, value: 'abc', want: ['x FieldValueTooLong'] },
    { name: 'minLength', schema: { type: 'string', minLength: 2 }, value: 'a', want: ['x FieldValueInvalid'] },
    { name: 'pattern', schema: { type: 'string', pattern: '^[a-z]+$' }, value: 'A1', want: ['x FieldValueInvalid'] },
    { name: 'format date-time', schema: { type: 'string', format: 'date-time' }, value: '2024-01-02T03:04:05Z', want: [] },
    { name: 'format date-time refused', schema: { type: 'string', format: 'date-time' }, value: 'yesterday', want: ['x FieldValueInvalid'] },
    { name: 'unknown format passes', schema: { type: 'string', format: 'whatever' }, value: 'x', want: [] },
    { name: 'minItems', schema: { type: 'array', items: { type: 'string' }, minItems: 1 }, value: [], want: ['x FieldValueInvalid'] },
    { name: 'maxItems', schema: { type: 'array', items: { type: 'string' }, maxItems: 1 }, value: ['a', 'b'], want: ['x FieldValueTooMany'] },
    { name: 'items checked with their index', schema: { type: 'array', items: { type: 'integer' } }, value: [1, 'two'], want: ['x[1] FieldValueTypeInvalid'] },
    { name: 'list-type set', schema: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' }, value: ['a', 'a'], want: ['x[1] FieldValueDuplicate'] },
    {
      name: 'list-type map by key',
      schema: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } }, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] },
      value: [{ name: 'a' }, { name: 'b' }, { name: 'a' }],
      want: ['x[2] FieldValueDuplicate'],
    },
    { name: 'required', schema: { type: 'object', required: ['a'], properties: { a: { type: 'string' } } }, value: {}, want: ['x.a FieldValueRequired'] },
    { name: 'nested path', schema: { type: 'object', properties: { a: { type: 'object', properties: { b: { type: 'integer' } } } } }, value: { a: { b: 'x' } }, want: ['x.a.b FieldValueTypeInvalid'] },
    { name: 'additionalProperties schema', schema: { type: 'object', additionalProperties: { type: 'integer' } }, value: { k: 'v' }, want: ['x.k FieldValueTypeInvalid'] },
    { name: 'maxProperties', schema: { type: 'object', maxProperties: 1, additionalProperties: { type: 'string' } }, value: { a: '1', b: '2' }, want: ['x FieldValueTooMany'] },
    { name: 'anyOf none matches', schema: { type: 'integer', anyOf: [{ minimum: 10 }, { maximum: 1 }] }, value: 5, want: ['x FieldValueInvalid'] },
    { name: 'anyOf one matches', schema: { type: 'integer', anyOf: [{ minimum: 10 }, { maximum: 1 }] }, value: 0, want: [] },
    { name: 'oneOf two match', schema: { type: 'integer', oneOf: [{ minimum: 0 }, { maximum: 10 }] }, value: 5, want: ['x FieldValueInvalid'] },
    { name: 'allOf', schema: { type: 'integer', allOf: [{ minimum: 0 }, { maximum: 3 }] }, value: 5, want: ['x FieldValueInvalid'] },
    { name: 'not', schema: { type: 'string', not: { enum: ['forbidden'] } }, value: 'forbidden', want: ['x FieldValueInvalid'] },
    {
      name: 'embedded resource needs apiVersion and kind',
      schema: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
      value: { metadata: {} },
      want: ['x.apiVersion FieldValueRequired', 'x.kind FieldValueRequired'],
    },
    {
      name: 'embedded metadata: name and labels well-formed',
      schema: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
      value: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'Bad_Name', labels: { 'a b': 'c' }, annotations: { n: 1 } } },
      want: ['x.metadata.name FieldValueInvalid', 'x.metadata.labels FieldValueInvalid', 'x.metadata.annotations[n] FieldValueTypeInvalid'],
    },
    {
      name: 'embedded metadata must be an object',
      schema: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
      value: { apiVersion: 'v1', kind: 'Pod', metadata: 'x' },
      want: ['x.metadata FieldValueTypeInvalid'],
    },
    { name: 'wrong type stops the walk below', schema: { type: 'object', required: ['a'] }, value: 'str', want: ['x FieldValueTypeInvalid'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(fields(validateValue(c.schema, c.value, 'x'))).toEqual(c.want);
    });
  }

  it('words messages as kube-apiserver does', () => {
    expect(validateValue({ type: 'integer', maximum: 10 }, 20, 'spec.replicas')[0].message).toBe('Invalid value: 20: spec.replicas in body should be less than or equal to 10');
    expect(validateValue({ type: 'integer' }, 'two', 'spec.replicas')[0].message).toBe('Invalid value: "string": spec.replicas in body must be of type integer: "string"');
    expect(validateValue({ type: 'string', enum: ['a', 'b'] }, 'c', 'spec.x')[0].message).toBe('Unsupported value: "c": supported values: "a", "b"');
  });
});

describe('validateCustomObject', () => {
  const root: Schema = {
    type: 'object',
    required: ['spec'],
    properties: {
      metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 5 } } },
      spec: { type: 'object', properties: { n: { type: 'integer' } } },
    },
  };
  it('leaves apiVersion, kind and metadata to the server but checks restricted names', () => {
    expect(fields(validateCustomObject(root, { apiVersion: 'x/v1', kind: 'K', metadata: { name: 'toolong', labels: { a: 'b' } }, spec: { n: 1 } }))).toEqual(['metadata.name FieldValueTooLong']);
  });
  it('reports required top-level fields with their own path', () => {
    expect(fields(validateCustomObject(root, { apiVersion: 'x/v1', kind: 'K', metadata: { name: 'a' } }))).toEqual(['spec FieldValueRequired']);
  });
});
