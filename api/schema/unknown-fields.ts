// Which fields of an object its kind's schema does not declare (`spec.containers[0].imagee`),
// for built-in and custom kinds alike, walking the catalog's schema. With `prune` they are also
// removed, as upstream's decoder drops them for built-in kinds and prunes them for CRDs.
// Values of the wrong type are left to validation.

import type { JSONSchemaProps } from 'kubernetes-types/apiextensions/v1.js';
import type { SchemaCatalog } from './catalog.js';
import { ext, subschema } from './schema.js';

/** What an embedded resource (`x-kubernetes-embedded-resource`) always declares. */
const EMBEDDED = new Set(['apiVersion', 'kind', 'metadata']);

function child(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/**
 * A schema node reduced to what the walk asks, each child compiled on first use and kept (the
 * walk runs on every write, so it must cost about a Map lookup per object).
 */
type Shape =
  | { kind: 'opaque' }
  | { kind: 'array'; items: Child }
  | { kind: 'map'; values: Child }
  /** `fields` undefined: an object that declares nothing, so holds nothing unless `preserve`. */
  | { kind: 'object'; fields: Map<string, Child> | undefined; preserve: boolean; embedded: boolean };

interface Child {
  node: JSONSchemaProps;
  shape?: Shape;
}

const OPAQUE: Shape = { kind: 'opaque' };

type Resolver = Pick<SchemaCatalog, 'resolve'>;

/** Root shapes per catalog and schema object; a changed custom schema is a new object. */
const roots = new WeakMap<Resolver, WeakMap<JSONSchemaProps, Child>>();

function rootOf(catalog: Resolver, node: JSONSchemaProps): Child {
  let cache = roots.get(catalog);
  if (!cache) roots.set(catalog, (cache = new WeakMap()));
  let root = cache.get(node);
  if (!root) cache.set(node, (root = { node }));
  return root;
}

function shapeOf(catalog: Resolver, c: Child): Shape {
  return (c.shape ??= buildShape(ext(catalog.resolve(c.node))));
}

function buildShape(schema: ReturnType<typeof ext>): Shape {
  if (schema['x-kubernetes-int-or-string']) return OPAQUE;
  if (schema.type === 'array') {
    const items = subschema(schema.items);
    return items ? { kind: 'array', items: { node: items } } : OPAQUE;
  }
  if (schema.type !== undefined && schema.type !== 'object') return OPAQUE;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = schema['x-kubernetes-embedded-resource'] === true;
  if (schema.properties !== undefined) {
    const fields = new Map(Object.entries(schema.properties).map(([k, node]) => [k, { node }]));
    return { kind: 'object', fields, preserve, embedded };
  }
  const values = subschema(schema.additionalProperties);
  if (values) return { kind: 'map', values: { node: values } };
  if (preserve || schema.additionalProperties === true || schema.type === undefined) return OPAQUE;
  return { kind: 'object', fields: undefined, preserve, embedded };
}

interface Walk {
  catalog: Resolver;
  found: string[];
  prune: boolean;
}

/** Walks `value` (an object or array) against `c`. */
function walk(w: Walk, c: Child, value: object, path: string): void {
  const shape = shapeOf(w.catalog, c);
  switch (shape.kind) {
    case 'opaque':
      return;
    case 'array':
      if (!Array.isArray(value)) return;
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (item !== null && typeof item === 'object') walk(w, shape.items, item, `${path}[${i}]`);
      }
      return;
    case 'map':
      if (Array.isArray(value)) return;
      for (const [key, v] of Object.entries(value)) if (v !== null && typeof v === 'object') walk(w, shape.values, v, child(path, key));
      return;
    case 'object': {
      if (Array.isArray(value)) return;
      const obj = value as Record<string, unknown>;
      for (const key in obj) {
        const prop = shape.fields?.get(key);
        if (prop) {
          const v = obj[key];
          if (v !== null && typeof v === 'object') walk(w, prop, v, child(path, key));
        } else if (!shape.preserve && !(shape.embedded && EMBEDDED.has(key))) {
          w.found.push(child(path, key));
          if (w.prune) delete obj[key];
        }
      }
    }
  }
}

/**
 * Paths of the fields in `obj` its schema does not declare, in document order. No schema
 * (a kind the catalog does not know) means nothing to check against.
 */
export function unknownFieldsIn(
  catalog: Pick<SchemaCatalog, 'resolve'>,
  schema: JSONSchemaProps | undefined,
  obj: unknown,
  opts: { prune?: boolean } = {},
): string[] {
  if (!schema || obj === null || typeof obj !== 'object') return [];
  const w: Walk = { catalog, found: [], prune: opts.prune === true };
  walk(w, rootOf(catalog, schema), obj, '');
  return w.found;
}
