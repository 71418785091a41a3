// The shape of a schema as skiff keeps it: apiextensions' JSONSchemaProps (what a CRD carries)
// plus the `x-kubernetes-*` extensions that type leaves out, which OpenAPI documents, strategic
// merge patches and server-side apply read.

import type { JSONSchemaProps } from 'kubernetes-types/apiextensions/v1.js';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface SchemaExtensions {
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-patch-strategy'?: string;
  /** Absent on a list means atomic, as upstream. */
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  /** `atomic`: the struct or map is owned and replaced as a whole. */
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-group-version-kind'?: GroupVersionKind[];
}

/** A schema with its extensions; children are plain JSONSchemaProps, read through `ext`. */
export type Schema = JSONSchemaProps & SchemaExtensions;

/** The extensions of any schema node (a JSONSchemaProps may carry them at run time). */
export function ext(schema: JSONSchemaProps): Schema {
  return schema as Schema;
}

/** The prefix of every `$ref` in skiff's schemas, as in an OpenAPI v3 document. */
export const REF_PREFIX = '#/components/schemas/';

export function refTo(definition: string): string {
  return `${REF_PREFIX}${definition}`;
}

/** The definition a `$ref` names (`io.k8s.api.core.v1.Pod`); v2 `#/definitions/` refs too. */
export function definitionOf(ref: string): string {
  const slash = ref.lastIndexOf('/');
  return slash < 0 ? ref : ref.slice(slash + 1);
}

/** The schema a possibly-boolean `additionalProperties`/`items` holds; undefined for `true`/absent. */
export function subschema(value: JSONSchemaProps | boolean | JSONSchemaProps[] | undefined): JSONSchemaProps | undefined {
  if (value === undefined || typeof value === 'boolean') return undefined;
  return Array.isArray(value) ? value[0] : value;
}
