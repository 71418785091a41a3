// Field selectors on custom kinds (CRD `selectableFields`, GA in Kubernetes 1.32):
// `metadata.name`, `metadata.namespace` (namespaced kinds) and each JSONPath a CRD version
// names, selected by its path without the leading dot (`spec.color=red`). The paths must
// reach a string, integer or boolean field of the schema; at most 8 per version.

import type { SelectableField } from 'kubernetes-types/apiextensions/v1.js';
import type { StatusCause } from '../../api/types.js';
import { isPlainObject, type Schema } from './schema/schema.js';

type Cause = Required<Pick<StatusCause, 'reason' | 'field' | 'message'>>;

export const MAX_SELECTABLE_FIELDS = 8;
const SCALARS = new Set(['string', 'integer', 'boolean']);

/** `.spec.color` → ['spec', 'color']; undefined for anything but a plain dotted path. */
export function selectablePath(jsonPath: string): string[] | undefined {
  if (!/^(\.[A-Za-z0-9_-]+)+$/.test(jsonPath)) return undefined;
  return jsonPath.slice(1).split('.');
}

/** The schema node at `keys`, following properties (and additionalProperties). */
function schemaAt(root: Schema, keys: string[]): Schema | undefined {
  let node: Schema | undefined = root;
  for (const k of keys) {
    if (!node) return undefined;
    node = node.properties?.[k] ?? (isPlainObject(node.additionalProperties) ? (node.additionalProperties as Schema) : undefined);
  }
  return node;
}

/** The problems of one version's selectableFields (`path`: `spec.versions[i].selectableFields`). */
export function selectableFieldProblems(fields: readonly SelectableField[], schema: Schema | undefined, path: string): Cause[] {
  const out: Cause[] = [];
  if (fields.length > MAX_SELECTABLE_FIELDS) out.push({ reason: 'FieldValueTooMany', field: path, message: `Too many: ${fields.length}: must have at most ${MAX_SELECTABLE_FIELDS} items` });
  const seen = new Set<string>();
  fields.forEach((f, i) => {
    const field = `${path}[${i}].jsonPath`;
    const keys = typeof f?.jsonPath === 'string' ? selectablePath(f.jsonPath) : undefined;
    if (!keys) {
      out.push({ reason: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(f?.jsonPath ?? null)}: must be a simple path like .spec.field` });
      return;
    }
    if (seen.has(f.jsonPath)) out.push({ reason: 'FieldValueDuplicate', field, message: `Duplicate value: ${JSON.stringify(f.jsonPath)}` });
    seen.add(f.jsonPath);
    if (keys[0] === 'metadata') {
      out.push({ reason: 'FieldValueForbidden', field, message: 'Forbidden: must not select metadata fields (metadata.name and metadata.namespace are always selectable)' });
      return;
    }
    const node = schema ? schemaAt(schema, keys) : undefined;
    if (!node) out.push({ reason: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(f.jsonPath)}: is not a field of the schema` });
    else if (!SCALARS.has(node.type ?? '')) out.push({ reason: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(f.jsonPath)}: must point to a field of type string, boolean or integer` });
  });
  return out;
}

export interface SelectableFieldsOf {
  /** The names a field selector may use. */
  names: string[];
  /** The object's selectable fields as selector values (absent: ''). */
  valuesOf(obj: unknown): Record<string, string>;
}

export function selectableFieldsOf(fields: readonly SelectableField[], namespaced: boolean): SelectableFieldsOf {
  const custom = fields.flatMap((f) => {
    const keys = selectablePath(f.jsonPath);
    return keys ? [{ name: keys.join('.'), keys }] : [];
  });
  const base = namespaced ? ['metadata.name', 'metadata.namespace'] : ['metadata.name'];
  return {
    names: [...base, ...custom.map((c) => c.name)],
    valuesOf(obj) {
      const read = (keys: string[]): string => {
        let v: unknown = obj;
        for (const k of keys) v = isPlainObject(v) ? v[k] : undefined;
        return v === undefined || v === null || typeof v === 'object' ? '' : String(v);
      };
      const values: Record<string, string> = { 'metadata.name': read(['metadata', 'name']) };
      if (namespaced) values['metadata.namespace'] = read(['metadata', 'namespace']);
      for (const c of custom) values[c.name] = read(c.keys);
      return values;
    },
  };
}
