// What server-side apply needs to know of a kind's schema, field by field: whether a list is
// atomic (replaced whole), a set of scalars, or a map keyed by some of its items' fields, and
// whether an object is merged key by key (granular) or replaced whole (atomic). The shape of a
// value (object, list, scalar) comes from the value itself; anything the schema does not
// describe is granular for objects and atomic for lists, as upstream's deduced type is.
//
// Two sources: an OpenAPI v3 schema (`x-kubernetes-list-type`, `x-kubernetes-list-map-keys`,
// `x-kubernetes-map-type`, `$ref`) and, for built-in kinds without one, the strategic-merge
// table in api/patch-meta.ts (`merge` + merge key = map-list, `merge` alone = set, `replace` =
// atomic object).

import { PatchMeta, patchMetaFor, type FieldPatchMeta } from '../../api/patch-meta.js';
import type { ResourceType } from '../../api/resources.js';

export type ListType = 'atomic' | 'set' | 'map';

export interface ApplyType {
  readonly listType: ListType;
  /** The key fields of a map-list's items. */
  readonly listKeys: readonly string[];
  readonly mapType: 'granular' | 'atomic';
  /** A map-list's key fields that have a default, with it: an item without one is keyed by the default. */
  keyDefaults(): Readonly<Record<string, unknown>>;
  /** The type of an object's field. */
  field(name: string): ApplyType;
  /** The type of a list's items. */
  items(): ApplyType;
}

const NO_DEFAULTS: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * Kubernetes' own kinds key some lists by a field with a default (`protocol`, TCP, of
 * container and service ports: keys [containerPort, protocol] and [port, protocol]); upstream's
 * OpenAPI says so with `default`, skiff's generated definitions do not carry it.
 */
const BUILTIN_KEY_DEFAULTS: Readonly<Record<string, unknown>> = Object.freeze({ protocol: 'TCP' });

/** No schema: objects merge key by key, lists are replaced whole. */
export const DEDUCED: ApplyType = {
  listType: 'atomic',
  listKeys: [],
  mapType: 'granular',
  keyDefaults: () => NO_DEFAULTS,
  field: () => DEDUCED,
  items: () => DEDUCED,
};

/** A view of api/patch-meta's table for one field (its own tags) and the type it holds. */
class PatchMetaType implements ApplyType {
  readonly listType: ListType;
  readonly listKeys: readonly string[];
  readonly mapType: 'granular' | 'atomic';

  constructor(
    private readonly meta: PatchMeta,
    tags: FieldPatchMeta,
  ) {
    const merges = tags.strategy === 'merge' || tags.strategy === 'merge,retainKeys';
    this.listType = merges ? (tags.mergeKey ? 'map' : 'set') : 'atomic';
    this.listKeys = tags.mergeKey ? [tags.mergeKey] : [];
    this.mapType = tags.strategy === 'replace' ? 'atomic' : 'granular';
  }

  keyDefaults(): Readonly<Record<string, unknown>> {
    // Merge keys of the strategic-merge table are single fields that are always set.
    return NO_DEFAULTS;
  }

  field(name: string): ApplyType {
    return new PatchMetaType(this.meta.child(name), this.meta.field(name));
  }

  items(): ApplyType {
    return new PatchMetaType(this.meta, {});
  }
}

export function patchMetaType(meta: PatchMeta): ApplyType {
  return new PatchMetaType(meta, {});
}

/** The subset of an OpenAPI v3 schema object that apply reads. */
export interface ApplySchemaProps {
  $ref?: string;
  type?: string;
  properties?: Record<string, ApplySchemaProps>;
  additionalProperties?: ApplySchemaProps | boolean;
  items?: ApplySchemaProps;
  allOf?: ApplySchemaProps[];
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
  default?: unknown;
}

export type ResolveRef = (ref: string) => ApplySchemaProps | undefined;

/** A view of an OpenAPI v3 schema, following `$ref` (also inside a single `allOf`, as upstream documents wrap them). */
class OpenApiType implements ApplyType {
  readonly listType: ListType;
  readonly listKeys: readonly string[];
  readonly mapType: 'granular' | 'atomic';
  private readonly props: ApplySchemaProps;

  constructor(
    props: ApplySchemaProps,
    private readonly resolve: ResolveRef,
  ) {
    this.props = deref(props, resolve);
    const listType = this.props['x-kubernetes-list-type'];
    const keys = this.props['x-kubernetes-list-map-keys'] ?? [];
    this.listType = listType === 'map' && keys.length > 0 ? 'map' : listType === 'set' ? 'set' : 'atomic';
    this.listKeys = this.listType === 'map' ? keys : [];
    this.mapType = this.props['x-kubernetes-map-type'] === 'atomic' ? 'atomic' : 'granular';
  }

  keyDefaults(): Readonly<Record<string, unknown>> {
    if (this.listType !== 'map' || !this.props.items) return NO_DEFAULTS;
    const ref = this.props.items.$ref ?? this.props.items.allOf?.[0]?.$ref ?? '';
    const builtin = ref.slice(ref.lastIndexOf('/') + 1).startsWith('io.k8s.');
    const items = deref(this.props.items, this.resolve);
    const out: Record<string, unknown> = {};
    for (const k of this.listKeys) {
      const declared = items.properties && Object.hasOwn(items.properties, k) ? items.properties[k]!.default : undefined;
      const value = declared ?? (builtin && Object.hasOwn(BUILTIN_KEY_DEFAULTS, k) ? BUILTIN_KEY_DEFAULTS[k] : undefined);
      if (value !== undefined) out[k] = value;
    }
    return out;
  }

  field(name: string): ApplyType {
    const declared = this.props.properties && Object.hasOwn(this.props.properties, name) ? this.props.properties[name] : undefined;
    if (declared) return new OpenApiType(declared, this.resolve);
    const extra = this.props.additionalProperties;
    return extra && typeof extra === 'object' ? new OpenApiType(extra, this.resolve) : DEDUCED;
  }

  items(): ApplyType {
    return this.props.items ? new OpenApiType(this.props.items, this.resolve) : DEDUCED;
  }
}

function deref(props: ApplySchemaProps, resolve: ResolveRef): ApplySchemaProps {
  let current = props;
  for (let hops = 0; hops < 16; hops++) {
    const ref = current.$ref ?? (current.allOf?.length === 1 ? current.allOf[0]!.$ref : undefined);
    if (!ref) return current;
    const target = resolve(ref);
    if (!target) return current;
    // Extensions beside the reference (a list type on a field whose items are a $ref) win.
    const { $ref: _r, allOf: _a, ...local } = current;
    current = { ...target, ...local };
  }
  return current;
}

export function openApiType(props: ApplySchemaProps, resolve: ResolveRef): ApplyType {
  return new OpenApiType(props, resolve);
}

/** Where apply finds a kind's OpenAPI schema: the server's schema catalog (api/schema/catalog.ts). */
export interface ApplySchemaSource {
  schemaOf(group: string, version: string, kind: string): unknown;
  /** A definition by name, what a `$ref` (`#/components/schemas/<name>`) points at. */
  definition(name: string): unknown;
}

/** The apply type of a served kind: its schema from `schemas` when known, else the strategic-merge table, else deduced. */
export function applyTypeFor(type: Pick<ResourceType, 'group' | 'version' | 'kind'>, schemas?: ApplySchemaSource): ApplyType {
  const schema = schemas?.schemaOf(type.group, type.version, type.kind) as ApplySchemaProps | undefined;
  if (schema) return openApiType(schema, (ref) => schemas!.definition(ref.slice(ref.lastIndexOf('/') + 1)) as ApplySchemaProps | undefined);
  const meta = patchMetaFor(type);
  return meta ? patchMetaType(meta) : DEDUCED;
}
