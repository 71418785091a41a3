// Defaulting from a structural schema, as kube-apiserver applies it to custom objects: on
// create and update, and to objects read from etcd (so a default added to a CRD later shows
// up on old objects). A missing field whose schema has a `default` gets a copy of it; a null
// in a non-nullable field with a default is replaced by the default. Defaults apply inside
// the defaults themselves too, and in every array item and map value.

import { isPlainObject, itemsSchema, type Schema } from './schema.js';

/** Fills in `value`'s defaults in place (objects and arrays are changed, never replaced). */
export function applySchemaDefaults(schema: Schema, value: unknown): void {
  if (Array.isArray(value)) {
    const items = itemsSchema(schema);
    if (items) for (const item of value) applySchemaDefaults(items, item);
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const current = value[key];
    if (child.default !== undefined && (current === undefined || (current === null && !child.nullable))) {
      value[key] = structuredClone(child.default);
    }
    if (value[key] !== undefined) applySchemaDefaults(child, value[key]);
  }
  const extra = schema.additionalProperties;
  if (isPlainObject(extra)) {
    const declared = new Set(Object.keys(schema.properties ?? {}));
    for (const [key, v] of Object.entries(value)) if (!declared.has(key)) applySchemaDefaults(extra as Schema, v);
  }
}

/**
 * Drops nulls the schema does not allow and has no default for (upstream prunes them before
 * defaulting, so `replicas: null` means "unset", not a type error). Nulls with a default are
 * left for applySchemaDefaults.
 */
export function pruneNonNullableNulls(schema: Schema, value: unknown): void {
  if (Array.isArray(value)) {
    const items = itemsSchema(schema);
    if (items) for (const item of value) pruneNonNullableNulls(items, item);
    return;
  }
  if (!isPlainObject(value)) return;
  const extra = isPlainObject(schema.additionalProperties) ? (schema.additionalProperties as Schema) : undefined;
  for (const key of Object.keys(value)) {
    const child = schema.properties?.[key] ?? extra;
    if (!child) continue;
    if (value[key] === null && !child.nullable && child.default === undefined) delete value[key];
    else pruneNonNullableNulls(child, value[key]);
  }
}

/** Whether the schema declares any default anywhere (objects of kinds without any skip the walk on read). */
export function hasDefaults(schema: Schema): boolean {
  if (schema.default !== undefined) return true;
  const children = [...Object.values(schema.properties ?? {}), ...(isPlainObject(schema.additionalProperties) ? [schema.additionalProperties as Schema] : [])];
  const items = itemsSchema(schema);
  if (items) children.push(items);
  return children.some(hasDefaults);
}
