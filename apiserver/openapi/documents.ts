// OpenAPI documents of what the server serves, from the schema catalog and the resource
// registry: v3 per group-version (`/openapi/v3/apis/apps/v1`, with `components.schemas`
// holding every definition its kinds reach) and one v2 document (`definitions`). Both carry
// the catalog's `x-kubernetes-*` extensions, so kubectl computes strategic merge patches and
// `kubectl explain` reads descriptions from them.

import { createHash } from 'node:crypto';
import { groupVersionPath, type ResourceRegistry, type ResourceType } from '../../api/resources.js';
import { patchMetaFor } from '../../api/patch-meta.js';
import type { SchemaCatalog } from '../../api/schema/catalog.js';
import { definitionOf, refTo, type Schema } from '../../api/schema/schema.js';
import { definitionsNamed, pathsOf, type PathItem } from './operations.js';
import { renderV2, renderV3, type Json } from './render.js';
import { encodeOpenAPIV2 } from './v2-protobuf.js';

const LIST_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta';

interface ServedKind {
  type: ResourceType;
  kindDef: string;
  listDef: string;
}

/** A served group-version's document key, as kubectl finds it in the index: `api/v1`, `apis/apps/v1`. */
export function gvKey(t: Pick<ResourceType, 'group' | 'version'>): string {
  return groupVersionPath(t).slice(1);
}

/** Every `$ref` target below a schema node. */
function refsIn(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) for (const n of node) refsIn(n, out);
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.add(definitionOf(v));
      else if (typeof v === 'object') refsIn(v, out);
    }
  }
}

/** A custom kind's List, as upstream publishes one for every CRD version. */
function listOf(kindDef: string, t: ResourceType): Schema {
  return {
    description: `${t.kind}List is a list of ${t.kind}`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.' },
      items: { type: 'array', description: `List of ${t.resource}.`, items: { $ref: refTo(kindDef) } },
      kind: { type: 'string', description: 'Kind is a string value representing the REST resource this object represents.' },
      metadata: { $ref: refTo(LIST_META), description: "Standard list metadata." },
    },
    'x-kubernetes-group-version-kind': [{ group: t.group, version: t.version, kind: `${t.kind}List` }],
  };
}

/** A snapshot of what is served: kinds with schemas, and the definitions they reach. */
class Snapshot {
  readonly kinds: ServedKind[] = [];
  private readonly extra = new Map<string, Schema>();

  constructor(
    registry: ResourceRegistry,
    private readonly catalog: SchemaCatalog,
  ) {
    for (const t of registry.all()) {
      const kindDef = catalog.definitionName(t.group, t.version, t.kind);
      // Kinds without a schema (metrics.k8s.io) are served but not described.
      if (kindDef === undefined) continue;
      let listDef = catalog.definitionName(t.group, t.version, `${t.kind}List`);
      if (listDef === undefined) {
        listDef = `${kindDef}List`;
        this.extra.set(listDef, listOf(kindDef, t));
      }
      this.kinds.push({ type: t, kindDef, listDef });
    }
  }

  definition(name: string): Schema | undefined {
    return this.extra.get(name) ?? this.catalog.definition(name);
  }

  /** The definitions `roots` reach, sorted by name. */
  closure(roots: Iterable<string>): Map<string, Schema> {
    const out = new Map<string, Schema>();
    const todo = [...roots];
    while (todo.length > 0) {
      const name = todo.pop()!;
      if (out.has(name)) continue;
      const def = this.definition(name);
      if (!def) throw new Error(`OpenAPI: no definition ${name}`);
      out.set(name, def);
      const refs = new Set<string>();
      refsIn(def, refs);
      todo.push(...refs);
    }
    return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  pathsOf(kinds: ServedKind[]): PathItem[] {
    return kinds.flatMap((k) => pathsOf(k.type, k.kindDef, k.listDef, patchMetaFor(k.type) !== undefined));
  }

  /** What a document must define: its kinds, their lists, and whatever its operations name. */
  rootsOf(kinds: ServedKind[], paths: PathItem[]): string[] {
    return [...kinds.flatMap((k) => [k.kindDef, k.listDef]), ...definitionsNamed(paths)];
  }
}

function openAPIV3(snapshot: Snapshot, key: string): Json | undefined {
  const kinds = snapshot.kinds.filter((k) => gvKey(k.type) === key);
  if (kinds.length === 0) return undefined;
  const paths = snapshot.pathsOf(kinds);
  return renderV3(paths, snapshot.closure(snapshot.rootsOf(kinds, paths)));
}

function openAPIV2(snapshot: Snapshot): Json {
  const paths = snapshot.pathsOf(snapshot.kinds);
  return renderV2(paths, snapshot.closure(snapshot.rootsOf(snapshot.kinds, paths)));
}

/** A rendered document: its JSON text (or protobuf bytes) and the content hash kubectl caches it under. */
export interface Rendered<Body extends string | Buffer = string> {
  body: Body;
  hash: string;
}

/** Content hash as kube-apiserver computes it for `?hash=`: SHA-512, upper-case hex. */
export function documentHash(body: string | Buffer): string {
  return createHash('sha512').update(body).digest('hex').toUpperCase();
}

function rendered(doc: unknown): Rendered {
  const body = JSON.stringify(doc);
  return { body, hash: documentHash(body) };
}

/**
 * The server's OpenAPI documents, rendered once and kept until what is served changes: a
 * kind added to or removed from the registry, or a custom schema set or removed (the
 * catalog's generation), so a new CRD shows up in the next request's documents.
 */
export class OpenAPIDocuments {
  private key = '';
  private snapshot: Snapshot | undefined;
  private v3 = new Map<string, Rendered | undefined>();
  private v3Index: Rendered | undefined;
  private v2: Rendered | undefined;
  private v2Protobuf: Rendered<Buffer> | undefined;

  constructor(
    private readonly registry: ResourceRegistry,
    private readonly catalog: SchemaCatalog,
  ) {}

  private current(): Snapshot {
    const key = `${this.catalog.generation}|${this.registry
      .all()
      .map((t) => `${t.group}/${t.version}/${t.resource}/${t.kind}/${t.namespaced}/${t.verbs.join('+')}/${t.subresources.join('+')}`)
      .join(',')}`;
    if (key !== this.key || !this.snapshot) {
      this.key = key;
      this.snapshot = new Snapshot(this.registry, this.catalog);
      this.v3 = new Map();
      this.v3Index = undefined;
      this.v2 = undefined;
      this.v2Protobuf = undefined;
    }
    return this.snapshot;
  }

  /** `/openapi/v3/{key}`; undefined for a group-version with no described kinds. */
  groupVersion(key: string): Rendered | undefined {
    const snapshot = this.current();
    if (!this.v3.has(key)) {
      const doc = openAPIV3(snapshot, key);
      this.v3.set(key, doc && rendered(doc));
    }
    return this.v3.get(key);
  }

  /** `/openapi/v3`: each group-version's URL with its document's hash. */
  index(): Rendered {
    const snapshot = this.current();
    if (!this.v3Index) {
      const keys = [...new Set(snapshot.kinds.map((k) => gvKey(k.type)))].sort();
      const paths = Object.fromEntries(keys.map((key) => [key, { serverRelativeURL: `/openapi/v3/${key}?hash=${this.groupVersion(key)!.hash}` }]));
      this.v3Index = rendered({ paths });
    }
    return this.v3Index;
  }

  /** `/openapi/v2`: one document of everything. */
  swagger(): Rendered {
    const snapshot = this.current();
    this.v2 ??= rendered(openAPIV2(snapshot));
    return this.v2;
  }

  /** `/openapi/v2` as gnostic protobuf, the only form client-go parses. */
  swaggerProtobuf(): Rendered<Buffer> {
    const json = this.swagger();
    if (!this.v2Protobuf) {
      const body = encodeOpenAPIV2(JSON.parse(json.body) as Json);
      this.v2Protobuf = { body, hash: documentHash(body) };
    }
    return this.v2Protobuf;
  }
}
