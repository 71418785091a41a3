// Pruning: fields a structural schema does not declare are dropped, as kube-apiserver drops
// them from custom objects, except under `x-kubernetes-preserve-unknown-fields` (or
// `additionalProperties: true`). apiVersion, kind and metadata are implicit at the root and in
// embedded resources. The paths of what was (or would be) dropped feed fieldValidation.

import { childPath, fieldSchema, isPlainObject, itemPath, itemsSchema, keepsUnknown, type Schema } from './schema.js';

const IMPLICIT = new Set(['apiVersion', 'kind', 'metadata']);

/** ObjectMeta's fields: an embedded resource's metadata keeps only these (the root's is the server's). */
const OBJECT_META = new Set([
  'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp',
  'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields',
]);

/**
 * The paths of the fields of `obj` its schema does not declare, in document order. With
 * `prune` they are removed from `obj` too.
 */
export function unknownCustomFields(root: Schema, obj: Record<string, unknown>, opts: { prune?: boolean } = {}): string[] {
  const found: string[] = [];
  walkObject(root, obj, '', found, opts.prune === true, 'root');
  return found;
}

function walk(schema: Schema, value: unknown, path: string, found: string[], prune: boolean): void {
  if (Array.isArray(value)) {
    const items = itemsSchema(schema);
    if (items) value.forEach((item, i) => walk(items, item, itemPath(path, i), found, prune));
    return;
  }
  if (isPlainObject(value)) walkObject(schema, value, path, found, prune, schema['x-kubernetes-embedded-resource'] === true ? 'embedded' : undefined);
}

function walkObject(schema: Schema, value: Record<string, unknown>, path: string, found: string[], prune: boolean, resource?: 'root' | 'embedded'): void {
  const keep = keepsUnknown(schema);
  for (const key of Object.keys(value)) {
    if (resource === 'embedded' && key === 'metadata' && isPlainObject(value.metadata)) {
      const meta = value.metadata;
      for (const field of Object.keys(meta)) {
        if (OBJECT_META.has(field)) continue;
        found.push(childPath(childPath(path, 'metadata'), field));
        if (prune) delete meta[field];
      }
      continue;
    }
    if (resource && IMPLICIT.has(key)) continue;
    const child = fieldSchema(schema, key);
    if (child) {
      walk(child, value[key], childPath(path, key), found, prune);
    } else if (!keep) {
      found.push(childPath(path, key));
      if (prune) delete value[key];
    }
  }
}
