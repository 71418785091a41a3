import { describe, expect, it } from 'vitest';
import type { Schema } from './schema.js';
import { structuralProblems } from './structural.js';

const P = 'spec.versions[0].schema.openAPIV3Schema';
const withSpec = (spec: Schema): Schema => ({ type: 'object', properties: { spec } });

describe('structuralProblems', () => {
  const cases: Array<{ name: string; schema: Schema; want: string[] }> = [
    { name: 'a structural schema', schema: withSpec({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'array', items: { type: 'integer' } } } }), want: [] },
    { name: 'the root must be an object', schema: { type: 'string' }, want: [`${P}.type FieldValueInvalid`] },
    { name: 'a field without a type', schema: withSpec({ properties: { a: { type: 'string' } } }), want: [`${P}.properties[spec].type FieldValueRequired`] },
    { name: 'int-or-string needs no type', schema: withSpec({ type: 'object', properties: { port: { 'x-kubernetes-int-or-string': true } } }), want: [] },
    { name: 'int-or-string with a type', schema: withSpec({ type: 'object', properties: { port: { type: 'string', 'x-kubernetes-int-or-string': true } } }), want: [`${P}.properties[spec].properties[port].type FieldValueInvalid`] },
    { name: 'preserve-unknown-fields needs no type', schema: withSpec({ 'x-kubernetes-preserve-unknown-fields': true }), want: [] },
    { name: 'an unknown type', schema: withSpec({ type: 'map' }), want: [`${P}.properties[spec].type FieldValueNotSupported`] },
    {
      name: 'properties with additionalProperties',
      schema: withSpec({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } }),
      want: [`${P}.properties[spec].additionalProperties FieldValueForbidden`],
    },
    { name: 'an array without items', schema: withSpec({ type: 'array' }), want: [`${P}.properties[spec].items FieldValueRequired`] },
    { name: 'items as a list', schema: withSpec({ type: 'array', items: [{ type: 'string' }] }), want: [`${P}.properties[spec].items FieldValueForbidden`] },
    { name: '$ref is forbidden', schema: withSpec({ type: 'object', $ref: '#/x' }), want: [`${P}.properties[spec].$ref FieldValueForbidden`] },
    { name: 'uniqueItems true is forbidden', schema: withSpec({ type: 'array', items: { type: 'string' }, uniqueItems: true }), want: [`${P}.properties[spec].uniqueItems FieldValueForbidden`] },
    {
      name: 'a junctor may not declare a type',
      schema: withSpec({ type: 'object', properties: { a: { type: 'string' } }, anyOf: [{ type: 'object', properties: { a: { minLength: 1 } } }] }),
      want: [`${P}.properties[spec].anyOf[0].type FieldValueForbidden`],
    },
    {
      name: 'a junctor may not name a field the node lacks',
      schema: withSpec({ type: 'object', properties: { a: { type: 'string' } }, oneOf: [{ properties: { b: {} } }] }),
      want: [`${P}.properties[spec].oneOf[0].properties[b] FieldValueForbidden`],
    },
    {
      name: 'the int-or-string pattern of junctors is structural',
      schema: withSpec({ type: 'object', properties: { p: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] } } }),
      want: [],
    },
    {
      name: 'other types in junctors under int-or-string are not',
      schema: withSpec({ type: 'object', properties: { p: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'boolean' }] } } }),
      want: [`${P}.properties[spec].properties[p].anyOf[0].type FieldValueForbidden`],
    },
    {
      name: 'metadata may restrict name only',
      schema: { type: 'object', properties: { metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 10 }, labels: { type: 'object' } } } } },
      want: [`${P}.properties[metadata].properties[labels] FieldValueForbidden`],
    },
    { name: 'a default that fails its own schema', schema: withSpec({ type: 'object', properties: { n: { type: 'integer', minimum: 1, default: 0 } } }), want: [`${P}.properties[spec].properties[n].default FieldValueInvalid`] },
    {
      name: 'a default with fields pruning would drop',
      schema: withSpec({ type: 'object', default: { a: 'x', b: 'y' }, properties: { a: { type: 'string' } } }),
      want: [`${P}.properties[spec].default FieldValueInvalid`],
    },
    { name: 'a bad pattern', schema: withSpec({ type: 'string', pattern: '([a-z' }), want: [`${P}.properties[spec].pattern FieldValueInvalid`] },
    {
      name: 'an embedded resource must be an object with properties or preserve-unknown-fields',
      schema: withSpec({ type: 'object', 'x-kubernetes-embedded-resource': true }),
      want: [`${P}.properties[spec].properties FieldValueRequired`],
    },
    {
      name: 'list-type map needs keys that are item properties',
      schema: withSpec({ type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object', properties: { id: { type: 'string' } } } }),
      want: [`${P}.properties[spec].x-kubernetes-list-map-keys FieldValueInvalid`],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(structuralProblems(c.schema, P).map((p) => `${p.field} ${p.reason}`)).toEqual(c.want);
    });
  }
});
