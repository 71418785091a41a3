// The rules that make a CRD schema structural, as apiextensions-apiserver checks them before
// it serves a version: a type on every node (except int-or-string and preserve-unknown-fields
// nodes), nothing inside allOf/anyOf/oneOf/not that is not also declared outside them and no
// type/default/nullable/description there, `properties` and `additionalProperties` never
// together, metadata restricted to name and generateName, no JSON-Schema features Kubernetes
// does not support, and defaults that are themselves valid and pruned.

import type { StatusCause } from '../../../api/types.js';
import { isPlainObject, itemsSchema, type Schema } from './schema.js';

/** A node is an object (checked without narrowing the Schema type). */
const isNode = (v: unknown): boolean => isPlainObject(v);
import { unknownCustomFields } from './prune.js';
import { validateValue } from './validate.js';

type Cause = Required<Pick<StatusCause, 'reason' | 'field' | 'message'>>;

const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);
const FORBIDDEN = ['$ref', '$schema', 'id', 'definitions', 'dependencies', 'additionalItems', 'patternProperties'] as const;
const NOT_IN_JUNCTORS = ['type', 'default', 'nullable', 'description', 'additionalProperties', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource'] as const;

const required = (field: string, detail: string): Cause => ({ reason: 'FieldValueRequired', field, message: `Required value: ${detail}` });
const forbidden = (field: string, detail: string): Cause => ({ reason: 'FieldValueForbidden', field, message: `Forbidden: ${detail}` });
const invalid = (field: string, value: unknown, detail: string): Cause => ({ reason: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(value)}: ${detail}` });

/** The problems of `root` (the `openAPIV3Schema` at `path`); empty when it is structural and usable. */
export function structuralProblems(root: Schema, path: string): Cause[] {
  const out: Cause[] = [];
  if (!isNode(root)) return [required(path, 'a schema is required')];
  if (root.type !== 'object') out.push(invalid(`${path}.type`, root.type ?? '', 'must be object at the root'));
  node(root, path, out, { root: true });
  const meta = root.properties?.metadata;
  if (meta) metadataRestrictions(meta, `${path}.properties[metadata]`, out);
  return out;
}

function node(s: Schema, path: string, out: Cause[], at: { root?: boolean; inJunctor?: boolean; intOrStringBranch?: boolean } = {}): void {
  if (!isNode(s)) {
    out.push(invalid(path, s, 'must be a schema object'));
    return;
  }
  for (const f of FORBIDDEN) if ((s as Record<string, unknown>)[f] !== undefined) out.push(forbidden(`${path}.${f}`, `${f} is not supported`));
  if (s.uniqueItems === true) out.push(forbidden(`${path}.uniqueItems`, 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  if (s['x-kubernetes-preserve-unknown-fields'] === false) out.push(invalid(`${path}.x-kubernetes-preserve-unknown-fields`, false, 'must be true or undefined'));
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  if (!at.inJunctor) {
    if (s.type === undefined || s.type === '') {
      if (!intOrString && !preserve) out.push(required(`${path}.type`, 'must not be empty for specified object fields'));
    } else if (!TYPES.has(s.type)) {
      out.push({ reason: 'FieldValueNotSupported', field: `${path}.type`, message: `Unsupported value: ${JSON.stringify(s.type)}: supported values: "array", "boolean", "integer", "number", "object", "string"` });
    }
    if (intOrString && s.type !== undefined) out.push(invalid(`${path}.type`, s.type, 'must be empty if x-kubernetes-int-or-string is true'));
  } else {
    for (const f of NOT_IN_JUNCTORS) {
      if ((s as Record<string, unknown>)[f] === undefined) continue;
      // The one exception: `anyOf: [{type: integer}, {type: string}]` under int-or-string.
      if (f === 'type' && at.intOrStringBranch && (s.type === 'integer' || s.type === 'string')) continue;
      out.push(forbidden(`${path}.${f}`, 'must be empty to be structural'));
    }
  }
  if (s['x-kubernetes-embedded-resource'] === true) {
    if (s.type !== 'object') out.push(invalid(`${path}.type`, s.type ?? '', 'must be object if x-kubernetes-embedded-resource is true'));
    if (!preserve && !s.properties) out.push(required(`${path}.properties`, 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields'));
  }
  if (s.properties && s.additionalProperties !== undefined && s.additionalProperties !== false) {
    out.push(forbidden(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'));
  }
  if (s.properties && s.type !== undefined && s.type !== 'object') out.push(invalid(`${path}.type`, s.type, 'must be object when properties are set'));
  for (const [name, child] of Object.entries(s.properties ?? {})) node(child, `${path}.properties[${name}]`, out, { inJunctor: at.inJunctor });
  if (isPlainObject(s.additionalProperties)) node(s.additionalProperties as Schema, `${path}.additionalProperties`, out, { inJunctor: at.inJunctor });
  if (Array.isArray(s.items)) out.push(forbidden(`${path}.items`, 'items must be a schema object and not an array'));
  else if (s.items) node(s.items, `${path}.items`, out, { inJunctor: at.inJunctor });
  else if (s.type === 'array' && !at.inJunctor) out.push(required(`${path}.items`, 'must be specified'));
  if (s['x-kubernetes-list-type'] === 'map') {
    const items = itemsSchema(s);
    const keys = s['x-kubernetes-list-map-keys'] ?? [];
    if (keys.length === 0) out.push(required(`${path}.x-kubernetes-list-map-keys`, 'must not be empty if x-kubernetes-list-type is map'));
    for (const k of keys) if (items && !items.properties?.[k]) out.push(invalid(`${path}.x-kubernetes-list-map-keys`, keys, `entries must all be names of item properties (${k} is not)`));
  }
  junctors(s, path, out);
  if (s.default !== undefined && !at.inJunctor) defaultValid(s, path, out);
  if (s.pattern !== undefined) {
    try {
      new RegExp(s.pattern, 'u');
    } catch (err) {
      out.push(invalid(`${path}.pattern`, s.pattern, `must be a valid regular expression: ${(err as Error).message}`));
    }
  }
}

/** Everything a junctor names must also be declared outside it (the structural rule). */
function junctors(s: Schema, path: string, out: Cause[]): void {
  const branches: Array<[string, Schema]> = [
    ...(s.allOf ?? []).map((b, i): [string, Schema] => [`${path}.allOf[${i}]`, b]),
    ...(s.anyOf ?? []).map((b, i): [string, Schema] => [`${path}.anyOf[${i}]`, b]),
    ...(s.oneOf ?? []).map((b, i): [string, Schema] => [`${path}.oneOf[${i}]`, b]),
    ...(s.not ? [[`${path}.not`, s.not] as [string, Schema]] : []),
  ];
  for (const [p, b] of branches) {
    node(b, p, out, { inJunctor: true, intOrStringBranch: s['x-kubernetes-int-or-string'] === true && !p.endsWith('.not') });
    if (!isNode(b)) continue;
    for (const name of Object.keys(b.properties ?? {})) {
      if (!s.properties?.[name]) out.push(forbidden(`${p}.properties[${name}]`, `must not be specified in a junctor without ${path}.properties[${name}]`));
    }
    if (b.items && !s.items) out.push(forbidden(`${p}.items`, `must not be specified in a junctor without ${path}.items`));
  }
}

/** Only metadata.name and metadata.generateName may be restricted, and only as strings. */
function metadataRestrictions(meta: Schema, path: string, out: Cause[]): void {
  for (const key of Object.keys(meta)) {
    if (key === 'type' || key === 'properties' || key === 'description') continue;
    out.push(forbidden(`${path}.${key}`, 'must not be specified for metadata'));
  }
  if (meta.type !== undefined && meta.type !== 'object') out.push(invalid(`${path}.type`, meta.type, 'must be object'));
  for (const name of Object.keys(meta.properties ?? {})) {
    if (name !== 'name' && name !== 'generateName') out.push(forbidden(`${path}.properties[${name}]`, 'only metadata.name and metadata.generateName may be restricted'));
    else if (meta.properties![name].type !== 'string') out.push(invalid(`${path}.properties[${name}].type`, meta.properties![name].type ?? '', 'must be string'));
  }
}

/** A default must conform to its own schema and have nothing pruning would drop. */
function defaultValid(s: Schema, path: string, out: Cause[]): void {
  const value = structuredClone(s.default);
  for (const c of validateValue(s, value, '')) out.push(invalid(`${path}.default${c.field ? `.${c.field}` : ''}`, s.default, c.message));
  if (isPlainObject(value) && !s['x-kubernetes-embedded-resource']) {
    const wrapper: Schema = { type: 'object', properties: { v: s } };
    for (const f of unknownCustomFields(wrapper, { v: value })) out.push(invalid(`${path}.default`, s.default, `must not have fields that would be pruned: ${f.slice(2)}`));
  }
}
