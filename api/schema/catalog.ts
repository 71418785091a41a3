// The one place any part of the server asks for a kind's schema: built-in kinds from the
// generated definitions (api/schema/definitions.ts), custom kinds from their CRDs. Field
// validation, OpenAPI documents, `kubectl explain` and server-side apply all read it, so
// built-in and custom kinds go through one path.

import type { JSONSchemaProps } from 'kubernetes-types/apiextensions/v1.js';
import { builtinDefinitions, gvkKey, kindIndex, type Definitions } from './definitions.js';
import { definitionOf, refTo, type Schema } from './schema.js';

export interface SchemaCatalog {
  /** The schema of a served kind's objects (built-in: generated; custom: from its CRD), `$ref`s resolvable with `resolve`. */
  schemaOf(group: string, version: string, kind: string): Schema | undefined;
  /** Follows one `$ref` (`#/components/schemas/io.k8s.api.core.v1.PodSpec`); identity for a schema without one. */
  resolve(schema: JSONSchemaProps): Schema;
  /** A custom kind's schema, set by the CRD code when a CRD version is established; removed when it goes. */
  setCustom(group: string, version: string, kind: string, schema: JSONSchemaProps): void;
  removeCustom(group: string, version: string, kind: string): void;
  /** Bumped on every setCustom/removeCustom, so OpenAPI documents and their hashes are rebuilt. */
  readonly generation: number;
  /** The definition name of a kind, as upstream names it (`io.k8s.api.apps.v1.Deployment`, `com.example.v1.Widget`). */
  definitionName(group: string, version: string, kind: string): string | undefined;
  /** A definition by name (what a `$ref` points at), built-in or custom. */
  definition(name: string): Schema | undefined;
}

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
/** A built-in kind whose apiVersion, kind and metadata descriptions every object shares. */
const ANY_KIND = 'io.k8s.api.core.v1.ConfigMap';

/** Upstream's definition name of a custom kind: the group reversed, then version and kind. */
export function customDefinitionName(group: string, version: string, kind: string): string {
  return [...group.split('.').reverse(), version, kind].join('.');
}

/**
 * A CRD's schema as the server uses it: apiVersion, kind and metadata declared (upstream adds
 * them too: a CRD schema may not constrain metadata beyond name), tagged with its kind.
 */
function completeCustom(builtin: Definitions, group: string, version: string, kind: string, schema: JSONSchemaProps): Schema {
  const copy = structuredClone(schema) as Schema;
  const common = builtin.get(ANY_KIND)?.properties ?? {};
  copy.type ??= 'object';
  copy.properties = {
    apiVersion: { type: 'string', description: common.apiVersion?.description },
    kind: { type: 'string', description: common.kind?.description },
    ...copy.properties,
    metadata: { $ref: refTo(OBJECT_META), description: common.metadata?.description },
  };
  copy['x-kubernetes-group-version-kind'] = [{ group, version, kind }];
  return copy;
}

class Catalog implements SchemaCatalog {
  private readonly builtinKinds: Map<string, string>;
  private readonly customKinds = new Map<string, string>();
  private readonly customDefs = new Map<string, Schema>();
  private gen = 0;
  private resolved = new Map<string, Schema>();

  constructor(private readonly builtin: Definitions) {
    this.builtinKinds = kindIndex(builtin);
  }

  get generation(): number {
    return this.gen;
  }

  definitionName(group: string, version: string, kind: string): string | undefined {
    const key = gvkKey({ group, version, kind });
    return this.builtinKinds.get(key) ?? this.customKinds.get(key);
  }

  definition(name: string): Schema | undefined {
    return this.builtin.get(name) ?? this.customDefs.get(name);
  }

  schemaOf(group: string, version: string, kind: string): Schema | undefined {
    const name = this.definitionName(group, version, kind);
    return name === undefined ? undefined : this.definition(name);
  }

  resolve(schema: JSONSchemaProps): Schema {
    const ref = schema.$ref;
    if (ref === undefined) return schema;
    // By the whole `$ref` string: the unknown-field walk resolves on every object of every write.
    let target = this.resolved.get(ref);
    if (target) return target;
    target = this.definition(definitionOf(ref));
    if (!target) throw new Error(`unresolvable schema reference ${ref}`);
    this.resolved.set(ref, target);
    return target;
  }

  setCustom(group: string, version: string, kind: string, schema: JSONSchemaProps): void {
    const key = gvkKey({ group, version, kind });
    // Built-in kinds are never shadowed (their groups are protected from CRDs upstream too).
    if (this.builtinKinds.has(key)) throw new Error(`${key} is a built-in kind`);
    const name = customDefinitionName(group, version, kind);
    this.customKinds.set(key, name);
    this.customDefs.set(name, completeCustom(this.builtin, group, version, kind, schema));
    this.resolved = new Map();
    this.gen++;
  }

  removeCustom(group: string, version: string, kind: string): void {
    const key = gvkKey({ group, version, kind });
    const name = this.customKinds.get(key);
    if (name === undefined) return;
    this.customKinds.delete(key);
    this.customDefs.delete(name);
    this.resolved = new Map();
    this.gen++;
  }
}

/** A catalog of the built-in kinds (shared read-only definitions), ready for custom kinds. */
export function builtinSchemaCatalog(): SchemaCatalog {
  return new Catalog(builtinDefinitions());
}
