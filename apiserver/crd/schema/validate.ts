// Validation of a custom object against its version's structural schema: types, nullable,
// int-or-string, enum, required, string/number/array/object bounds, pattern, a few cheap
// formats, list-type set/map uniqueness and the logical junctors. Every failing field is
// one StatusCause with its path, worded as kube-apiserver words them.

import { isDeepStrictEqual } from 'node:util';
import { isDNS1123Subdomain } from '../../../api/names.js';
import type { StatusCause } from '../../../api/types.js';
import { labels } from '../../../api/validation/common.js';
import { Path } from '../../../api/validation/field.js';
import { childPath, fieldSchema, isPlainObject, itemPath, itemsSchema, type Schema } from './schema.js';

type Cause = Required<Pick<StatusCause, 'reason' | 'field' | 'message'>>;

/** A value as upstream prints it in messages. */
function shown(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  return typeof value === 'string' ? JSON.stringify(value) : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function invalid(field: string, value: unknown, detail: string): Cause {
  return { reason: 'FieldValueInvalid', field, message: `Invalid value: ${shown(value)}: ${detail}` };
}

function typeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case 'object':
      return isPlainObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}

// Formats worth checking cheaply; others (as upstream does for unknown ones) pass.
const FORMATS: Record<string, (s: string) => boolean> = {
  'date-time': (s) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)),
  date: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)),
  uuid: (s) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s),
  byte: (s) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s),
  ipv4: (s) => /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(s),
  hostname: (s) => s.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/i.test(s),
  email: (s) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s),
};

const patternCache = new Map<string, RegExp>();
function compiled(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'u');
    patternCache.set(pattern, re);
  }
  return re;
}

/** Every problem of `value` at `path` under `schema`; empty when it conforms. */
export function validateValue(schema: Schema, value: unknown, path: string): Cause[] {
  const out: Cause[] = [];
  check(schema, value, path, out);
  return out;
}

function check(schema: Schema, value: unknown, path: string, out: Cause[]): void {
  if (value === null) {
    if (!schema.nullable && schema.type !== undefined) out.push({ reason: 'FieldValueTypeInvalid', field: path, message: `Invalid value: "null": ${path || 'body'} in body must be of type ${schema.type}: "null"` });
    return;
  }
  if (schema['x-kubernetes-int-or-string']) {
    if (!(typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)))) {
      out.push({ reason: 'FieldValueTypeInvalid', field: path, message: `Invalid value: "${jsonType(value)}": ${path} in body must be of type integer,string: "${jsonType(value)}"` });
      return;
    }
  } else if (schema.type !== undefined && !typeMatches(schema.type, value)) {
    out.push({ reason: 'FieldValueTypeInvalid', field: path, message: `Invalid value: "${jsonType(value)}": ${path || 'body'} in body must be of type ${schema.type}: "${jsonType(value)}"` });
    return;
  }
  if (schema.enum && !schema.enum.some((e) => isDeepStrictEqual(e, value))) {
    out.push({ reason: 'FieldValueNotSupported', field: path, message: `Unsupported value: ${shown(value)}: supported values: ${schema.enum.map(shown).join(', ')}` });
  }
  if (typeof value === 'string') checkString(schema, value, path, out);
  else if (typeof value === 'number') checkNumber(schema, value, path, out);
  else if (Array.isArray(value)) checkArray(schema, value, path, out);
  else if (isPlainObject(value)) checkObject(schema, value, path, out);
  checkJunctors(schema, value, path, out);
}

function checkString(schema: Schema, value: string, path: string, out: Cause[]): void {
  const length = [...value].length;
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    out.push({ reason: 'FieldValueTooLong', field: path, message: `Too long: may not be more than ${schema.maxLength} bytes` });
  }
  if (schema.minLength !== undefined && length < schema.minLength) out.push(invalid(path, value, `${path} in body should be at least ${schema.minLength} chars long`));
  if (schema.pattern !== undefined && !compiled(schema.pattern).test(value)) out.push(invalid(path, value, `${path} in body should match '${schema.pattern}'`));
  const format = schema.format ? FORMATS[schema.format] : undefined;
  if (format && !format(value)) out.push(invalid(path, value, `${path} in body must be of type ${schema.format}: ${JSON.stringify(value)}`));
}

function checkNumber(schema: Schema, value: number, path: string, out: Cause[]): void {
  if (schema.minimum !== undefined) {
    const bad = schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum;
    if (bad) out.push(invalid(path, value, `${path} in body should be greater than ${schema.exclusiveMinimum ? '' : 'or equal to '}${schema.minimum}`));
  }
  if (schema.maximum !== undefined) {
    const bad = schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum;
    if (bad) out.push(invalid(path, value, `${path} in body should be less than ${schema.exclusiveMaximum ? '' : 'or equal to '}${schema.maximum}`));
  }
  if (schema.multipleOf !== undefined && schema.multipleOf > 0 && !Number.isInteger(value / schema.multipleOf)) {
    out.push(invalid(path, value, `${path} in body should be a multiple of ${schema.multipleOf}`));
  }
}

function checkArray(schema: Schema, value: unknown[], path: string, out: Cause[]): void {
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    out.push({ reason: 'FieldValueTooMany', field: path, message: `Too many: ${value.length}: must have at most ${schema.maxItems} items` });
  }
  if (schema.minItems !== undefined && value.length < schema.minItems) out.push(invalid(path, value.length, `${path} in body should have at least ${schema.minItems} items`));
  const items = itemsSchema(schema);
  if (items) value.forEach((item, i) => check(items, item, itemPath(path, i), out));
  checkListType(schema, value, path, out);
}

/** `x-kubernetes-list-type: set` items are unique; `map` items are unique by their keys. */
function checkListType(schema: Schema, value: unknown[], path: string, out: Cause[]): void {
  const listType = schema['x-kubernetes-list-type'];
  if (listType !== 'set' && listType !== 'map') return;
  const keyOf = (item: unknown) => {
    if (listType === 'set') return JSON.stringify(item);
    const keys = schema['x-kubernetes-list-map-keys'] ?? [];
    return isPlainObject(item) ? JSON.stringify(keys.map((k) => item[k] ?? null)) : JSON.stringify(item);
  };
  const seen = new Set<string>();
  value.forEach((item, i) => {
    const key = keyOf(item);
    if (seen.has(key)) out.push({ reason: 'FieldValueDuplicate', field: itemPath(path, i), message: `Duplicate value: ${listType === 'set' ? shown(item) : key}` });
    seen.add(key);
  });
}

function checkObject(schema: Schema, value: Record<string, unknown>, path: string, out: Cause[]): void {
  for (const req of schema.required ?? []) {
    if (value[req] === undefined) out.push({ reason: 'FieldValueRequired', field: childPath(path, req), message: 'Required value' });
  }
  const count = Object.keys(value).length;
  if (schema.maxProperties !== undefined && count > schema.maxProperties) {
    out.push({ reason: 'FieldValueTooMany', field: path, message: `Too many: ${count}: must have at most ${schema.maxProperties} items` });
  }
  if (schema.minProperties !== undefined && count < schema.minProperties) out.push(invalid(path, count, `${path} in body should have at least ${schema.minProperties} properties`));
  if (schema['x-kubernetes-embedded-resource']) {
    for (const field of ['apiVersion', 'kind'] as const) {
      if (typeof value[field] !== 'string' || value[field] === '') out.push({ reason: 'FieldValueRequired', field: childPath(path, field), message: 'Required value: must not be empty' });
    }
    embeddedMetadata(value.metadata, childPath(path, 'metadata'), out);
  }
  for (const [key, v] of Object.entries(value)) {
    const child = fieldSchema(schema, key);
    if (child) check(child, v, childPath(path, key), out);
  }
}

/** An embedded resource's metadata: an object whose name, labels and annotations are well-formed. */
function embeddedMetadata(meta: unknown, path: string, out: Cause[]): void {
  if (meta === undefined || meta === null) return;
  if (!isPlainObject(meta)) {
    out.push({ reason: 'FieldValueTypeInvalid', field: path, message: `Invalid value: "${jsonType(meta)}": ${path} in body must be of type object: "${jsonType(meta)}"` });
    return;
  }
  if (meta.name !== undefined) {
    if (typeof meta.name !== 'string') out.push({ reason: 'FieldValueTypeInvalid', field: childPath(path, 'name'), message: `Invalid value: ${shown(meta.name)}: must be a string` });
    else for (const m of isDNS1123Subdomain(meta.name)) out.push(invalid(childPath(path, 'name'), meta.name, m));
  }
  out.push(...labels(meta.labels, Path.root(childPath(path, 'labels'))));
  const annotations = meta.annotations;
  if (annotations !== undefined && annotations !== null) {
    if (!isPlainObject(annotations)) out.push({ reason: 'FieldValueTypeInvalid', field: childPath(path, 'annotations'), message: `Invalid value: ${shown(annotations)}: must be a map of strings` });
    else for (const [k, v] of Object.entries(annotations)) if (typeof v !== 'string') out.push({ reason: 'FieldValueTypeInvalid', field: `${childPath(path, 'annotations')}[${k}]`, message: `Invalid value: ${shown(v)}: must be a string` });
  }
}

/** allOf / anyOf / oneOf / not: value validations only (structural schemas keep types outside them). */
function checkJunctors(schema: Schema, value: unknown, path: string, out: Cause[]): void {
  for (const s of schema.allOf ?? []) check(s, value, path, out);
  if (schema.anyOf && !schema.anyOf.some((s) => validateValue(s, value, path).length === 0)) {
    out.push(invalid(path, value, `${path || 'body'} in body must match at least one schema in anyOf`));
  }
  if (schema.oneOf && schema.oneOf.filter((s) => validateValue(s, value, path).length === 0).length !== 1) {
    out.push(invalid(path, value, `${path || 'body'} in body must match exactly one schema in oneOf`));
  }
  if (schema.not && validateValue(schema.not, value, path).length === 0) out.push(invalid(path, value, `${path || 'body'} in body must not match the schema in not`));
}

const bodies = new WeakMap<Schema, Schema>();

/** The root schema without apiVersion, kind and metadata (the server checks those itself); made once per schema. */
function bodySchema(root: Schema): Schema {
  let body = bodies.get(root);
  if (!body) {
    const { apiVersion: _a, kind: _k, metadata: _m, ...properties } = root.properties ?? {};
    body = { ...root, properties, required: (root.required ?? []).filter((r) => r !== 'metadata' && r !== 'apiVersion' && r !== 'kind') };
    bodies.set(root, body);
  }
  return body;
}

/**
 * The problems of a whole custom object: its fields other than apiVersion/kind/metadata
 * against the root schema, and metadata.name / generateName against the restrictions the
 * schema may put on them (the only metadata a CRD schema may constrain).
 */
export function validateCustomObject(root: Schema, obj: Record<string, unknown>): Cause[] {
  const out: Cause[] = [];
  const { apiVersion: _a, kind: _k, metadata, ...rest } = obj;
  check(bodySchema(root), rest, '', out);
  const metaSchema = root.properties?.metadata;
  if (metaSchema && isPlainObject(metadata)) {
    for (const field of ['name', 'generateName'] as const) {
      const s = metaSchema.properties?.[field];
      if (s && metadata[field] !== undefined) check(s, metadata[field], `metadata.${field}`, out);
    }
  }
  return out;
}
