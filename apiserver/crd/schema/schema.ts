// The structural schema of a custom resource version: an OpenAPI v3 JSONSchemaProps plus the
// Kubernetes extensions CRDs use. Helpers here read it the same way for validation, pruning
// and defaulting, so the three agree on what a node declares.

import type { JSONSchemaProps } from 'kubernetes-types/apiextensions/v1.js';

/** A schema node with the `x-kubernetes-*` extensions kubernetes-types leaves out. */
export interface Schema extends Omit<JSONSchemaProps, 'properties' | 'items' | 'additionalProperties' | 'allOf' | 'anyOf' | 'oneOf' | 'not' | 'default' | 'enum'> {
  properties?: Record<string, Schema>;
  items?: Schema | Schema[];
  additionalProperties?: Schema | boolean;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  not?: Schema;
  default?: unknown;
  enum?: unknown[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `spec.foo`, `spec.items[2]`: the path style of upstream's field errors. */
export function childPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

export function itemPath(path: string, i: number): string {
  return `${path}[${i}]`;
}

/** The schema of an object's field, from `properties` or `additionalProperties`; undefined when not declared. */
export function fieldSchema(schema: Schema, key: string): Schema | undefined {
  const declared = schema.properties?.[key];
  if (declared) return declared;
  const extra = schema.additionalProperties;
  if (isPlainObject(extra)) return extra as Schema;
  return undefined;
}

/** Whether a node keeps fields it does not declare (preserve-unknown-fields or `additionalProperties: true`). */
export function keepsUnknown(schema: Schema): boolean {
  return schema['x-kubernetes-preserve-unknown-fields'] === true || schema.additionalProperties === true;
}

/** The schema of an array's items (structural schemas have one). */
export function itemsSchema(schema: Schema): Schema | undefined {
  return Array.isArray(schema.items) ? schema.items[0] : schema.items;
}

/**
 * The metadata an embedded resource (`x-kubernetes-embedded-resource`) or the root always
 * carries: apiVersion, kind and metadata are implicit, as upstream adds them to every schema.
 */
export const IMPLICIT_ROOT_FIELDS = ['apiVersion', 'kind', 'metadata'] as const;
