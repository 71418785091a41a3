// The unknown-field check by kind, for callers that hold a kind but no catalog (the patch verb
// checks the stored object with it). Both it and field validation walk the catalog's schemas
// (api/schema/unknown-fields.ts); without a catalog this uses the built-in one, where custom
// kinds have no schema and are never checked.

import type { ResourceType } from './resources.js';
import { builtinSchemaCatalog, type SchemaCatalog } from './schema/catalog.js';
import { unknownFieldsIn } from './schema/unknown-fields.js';

let shared: SchemaCatalog | undefined;

/** One built-in catalog per process for callers without the server's (definitions are shared anyway). */
export function builtinCatalog(): SchemaCatalog {
  shared ??= builtinSchemaCatalog();
  return shared;
}

/**
 * Paths of the fields in `obj` its kind's schema does not declare, in document order
 * (`spec.template.spec.containers[0].imagee`). With `prune`, those fields are also removed.
 */
export function unknownFields(
  type: Pick<ResourceType, 'group' | 'version' | 'kind'>,
  obj: unknown,
  opts: { prune?: boolean } = {},
  catalog: SchemaCatalog = builtinCatalog(),
): string[] {
  return unknownFieldsIn(catalog, catalog.schemaOf(type.group, type.version, type.kind), obj, opts);
}
