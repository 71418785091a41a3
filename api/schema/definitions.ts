// The built-in definitions: the generated schemas (scripts/gen-schemas.mjs, from kubernetes-types)
// with the patch and list extensions added from api/patch-meta.ts. That table is the one source
// of merge keys, so the OpenAPI documents kubectl builds strategic merge patches from and the
// server's own strategic merge code cannot disagree.

import { readFileSync } from 'node:fs';
import type { JSONSchemaProps } from 'kubernetes-types/apiextensions/v1.js';
import { BUILTIN_RESOURCES } from '../resources.js';
import { PatchMeta, patchMetaFor } from '../patch-meta.js';
import { definitionOf, ext, type GroupVersionKind, type Schema, subschema } from './schema.js';

export type Definitions = ReadonlyMap<string, Schema>;

/**
 * Lists whose map keys upstream declares wider than the patch merge key (`+listMapKey` tags):
 * two ports may share a number with different protocols.
 */
const LIST_MAP_KEYS: Record<string, string[]> = {
  'io.k8s.api.core.v1.Container.ports': ['containerPort', 'protocol'],
  'io.k8s.api.core.v1.EphemeralContainer.ports': ['containerPort', 'protocol'],
  'io.k8s.api.core.v1.ServiceSpec.ports': ['port', 'protocol'],
  'io.k8s.api.core.v1.PodSpec.topologySpreadConstraints': ['topologyKey', 'whenUnsatisfiable'],
};

/** Structs upstream marks `+structType=atomic`: server-side apply owns them whole. */
const ATOMIC_STRUCTS = [
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
  'io.k8s.api.core.v1.NodeSelector',
  'io.k8s.api.core.v1.NodeSelectorTerm',
  'io.k8s.api.core.v1.LocalObjectReference',
  'io.k8s.api.core.v1.ObjectReference',
  'io.k8s.api.core.v1.ConfigMapKeySelector',
  'io.k8s.api.core.v1.SecretKeySelector',
  'io.k8s.api.core.v1.ObjectFieldSelector',
  'io.k8s.api.core.v1.ResourceFieldSelector',
  'io.k8s.api.core.v1.ConfigMapEnvSource',
  'io.k8s.api.core.v1.SecretEnvSource',
  'io.k8s.api.core.v1.TypedLocalObjectReference',
];

interface GeneratedFile {
  definitions: Record<string, Schema>;
}

function load(): Map<string, Schema> {
  const file = JSON.parse(readFileSync(new URL('./generated/definitions.json', import.meta.url), 'utf8')) as GeneratedFile;
  return new Map(Object.entries(file.definitions));
}

/** The definition a property's value (or each element of a list) is, if it is a `$ref`. */
function targetOf(prop: JSONSchemaProps): string | undefined {
  const node = prop.type === 'array' ? subschema(prop.items) : prop;
  return node?.$ref === undefined ? undefined : definitionOf(node.$ref);
}

function setOnce(where: string, prop: Schema, key: keyof Schema & string, value: unknown): void {
  const had = prop[key];
  if (had !== undefined && JSON.stringify(had) !== JSON.stringify(value)) {
    throw new Error(`patch metadata disagrees at ${where}: ${String(key)} ${JSON.stringify(had)} vs ${JSON.stringify(value)}`);
  }
  (prop as Record<string, unknown>)[key] = value;
}

/** Adds the extensions of one field's patch metadata to its property schema. */
function decorateField(defName: string, field: string, prop: Schema, meta: ReturnType<PatchMeta['field']>): void {
  const where = `${defName}.${field}`;
  if (meta.strategy === undefined) return;
  setOnce(where, prop, 'x-kubernetes-patch-strategy', meta.strategy);
  if (meta.mergeKey !== undefined) setOnce(where, prop, 'x-kubernetes-patch-merge-key', meta.mergeKey);
  if (prop.type !== 'array' || !meta.strategy.split(',').includes('merge')) return;
  if (meta.mergeKey !== undefined) {
    setOnce(where, prop, 'x-kubernetes-list-type', 'map');
    setOnce(where, prop, 'x-kubernetes-list-map-keys', LIST_MAP_KEYS[where] ?? [meta.mergeKey]);
  } else {
    setOnce(where, prop, 'x-kubernetes-list-type', 'set');
  }
}

/** Walks a definition with the patch metadata it is reached with, decorating each tagged field. */
function decorate(defs: Map<string, Schema>, defName: string, meta: PatchMeta, seen: Set<string>): void {
  const visit = `${defName}|${meta.name}`;
  if (meta === PatchMeta.EMPTY || seen.has(visit)) return;
  seen.add(visit);
  const def = defs.get(defName);
  if (!def) throw new Error(`patch metadata names a type with no schema: ${defName}`);
  for (const [field, prop] of Object.entries(def.properties ?? {})) {
    decorateField(defName, field, ext(prop), meta.field(field));
    const target = targetOf(prop);
    if (target !== undefined) decorate(defs, target, meta.child(field), seen);
  }
}

/** The definition name of each kind the generated schemas tag with a group-version-kind. */
export function kindIndex(defs: Definitions): Map<string, string> {
  const index = new Map<string, string>();
  for (const [name, def] of defs) {
    for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) index.set(gvkKey(gvk), name);
  }
  return index;
}

export function gvkKey(gvk: GroupVersionKind): string {
  return `${gvk.group}/${gvk.version}/${gvk.kind}`;
}

let builtin: Definitions | undefined;

/** The built-in definitions, loaded and decorated once per process (read-only after). */
export function builtinDefinitions(): Definitions {
  if (builtin) return builtin;
  const defs = load();
  const kinds = kindIndex(defs);
  const seen = new Set<string>();
  for (const type of BUILTIN_RESOURCES) {
    const meta = patchMetaFor(type);
    const name = kinds.get(gvkKey(type));
    // A served kind without a generated schema is only not described (catalog.test.ts flags it).
    if (name && meta) decorate(defs, name, meta, seen);
  }
  for (const name of ATOMIC_STRUCTS) {
    const def = defs.get(name);
    if (!def) throw new Error(`no schema for atomic struct ${name}`);
    def['x-kubernetes-map-type'] = 'atomic';
  }
  builtin = defs;
  return defs;
}
