// Writing OpenAPI documents: one neutral description (paths with their operations, and the
// definitions they reach) rendered as OpenAPI v3 or as swagger 2.0, the way kube-apiserver
// publishes each: v3 wraps a `$ref` that has siblings (a description) in `allOf` and publishes
// int-or-string and quantities as a oneOf of their JSON types; v2 keeps the siblings, points
// refs at `#/definitions/` and publishes both as strings.

import type { JSONSchemaProps } from 'kubernetes-types/apiextensions/v1.js';
import { definitionOf, REF_PREFIX, type Schema } from '../../api/schema/schema.js';
import { KUBE_MAJOR, KUBE_MINOR } from '../version.js';
import type { Operation, Param, PathItem } from './operations.js';

export type Json = Record<string, unknown>;

/**
 * How upstream publishes the two scalar types the catalog marks int-or-string: v3 as a oneOf
 * of their JSON types (kube-openapi's OpenAPIV3OneOfTypes), v2 as strings.
 */
const PUBLISHED: Record<2 | 3, Record<string, Json>> = {
  2: {
    'io.k8s.apimachinery.pkg.api.resource.Quantity': { type: 'string' },
    'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { type: 'string', format: 'int-or-string' },
  },
  3: {
    'io.k8s.apimachinery.pkg.api.resource.Quantity': { oneOf: [{ type: 'string' }, { type: 'number' }] },
    'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] },
  },
};

const INFO = { title: 'Kubernetes', version: `v${KUBE_MAJOR}.${KUBE_MINOR}.0` };

/** A definition as published: v3 wraps a `$ref` with siblings in `allOf`; v2 points refs at `#/definitions/`. */
function publish(name: string, def: Schema, version: 2 | 3): Json {
  const published = PUBLISHED[version][name];
  const base = published ? { ...(def.description ? { description: def.description } : {}), ...published } : def;
  return rewrite(base, version) as Json;
}

function rewrite(node: unknown, version: 2 | 3): unknown {
  if (Array.isArray(node)) return node.map((n) => rewrite(n, version));
  if (node === null || typeof node !== 'object') return node;
  const src = node as JSONSchemaProps & Json;
  const out: Json = {};
  for (const [k, v] of Object.entries(src)) {
    // Below `properties` keys are field names, not keywords: rewrite each value only.
    if (k === 'properties' && v && typeof v === 'object') out[k] = Object.fromEntries(Object.entries(v).map(([f, s]) => [f, rewrite(s, version)]));
    else if (k === '$ref' && typeof v === 'string') out[k] = version === 2 ? `#/definitions/${definitionOf(v)}` : v;
    else out[k] = rewrite(v, version);
  }
  if (version === 3 && typeof src.$ref === 'string' && Object.keys(src).length > 1) {
    const { $ref, ...rest } = out;
    return { allOf: [{ $ref }], ...rest };
  }
  return out;
}

function ref(def: string, version: 2 | 3): Json {
  return { $ref: version === 2 ? `#/definitions/${def}` : `${REF_PREFIX}${def}` };
}

function param(p: Param, version: 2 | 3): Json {
  const base: Json = { name: p.name, in: p.in, description: p.description, ...(p.required ? { required: true } : {}) };
  return version === 3 ? { ...base, schema: { type: p.type, uniqueItems: true } } : { ...base, type: p.type, uniqueItems: true };
}

const PRODUCES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

function tagOf(op: Operation): string {
  return `${op.gvk.group === '' ? 'core' : op.gvk.group.replace(/\.k8s\.io$/, '').replace(/\./g, '_')}_${op.gvk.version}`;
}

function operation(op: Operation, version: 2 | 3): Json {
  const common = {
    tags: [tagOf(op)],
    description: op.description,
    operationId: op.operationId,
    'x-kubernetes-action': op.action,
    'x-kubernetes-group-version-kind': op.gvk,
  };
  const bodyRequired = op.method !== 'delete';
  if (version === 3) {
    return {
      ...common,
      parameters: op.query.map((p) => param(p, 3)),
      ...(op.body ? { requestBody: { content: Object.fromEntries((op.consumes ?? ['*/*']).map((ct) => [ct, { schema: ref(op.body!, 3) }])), ...(bodyRequired ? { required: true } : {}) } } : {}),
      responses: {
        '200': { description: 'OK', content: Object.fromEntries(PRODUCES.map((ct) => [ct, { schema: ref(op.response, 3) }])) },
        '401': { description: 'Unauthorized' },
      },
    };
  }
  return {
    ...common,
    consumes: op.consumes ?? ['*/*'],
    produces: PRODUCES,
    schemes: ['https'],
    parameters: [...op.query.map((p) => param(p, 2)), ...(op.body ? [{ name: 'body', in: 'body', ...(bodyRequired ? { required: true } : {}), schema: ref(op.body, 2) }] : [])],
    responses: { '200': { description: 'OK', schema: ref(op.response, 2) }, '401': { description: 'Unauthorized' } },
  };
}

function renderPaths(items: PathItem[], version: 2 | 3): Json {
  const paths: Json = {};
  for (const item of items) {
    const entry: Json = { parameters: item.params.map((p) => param(p, version)) };
    for (const op of item.operations) entry[op.method] = operation(op, version);
    paths[item.path] = entry;
  }
  return paths;
}

function renderDefinitions(defs: Map<string, Schema>, version: 2 | 3): Json {
  return Object.fromEntries([...defs].map(([name, def]) => [name, publish(name, def, version)]));
}

const SECURITY = { BearerToken: { type: 'apiKey', name: 'authorization', in: 'header', description: 'Bearer Token authentication' } };

export function renderV3(paths: PathItem[], definitions: Map<string, Schema>): Json {
  return {
    openapi: '3.0.0',
    info: INFO,
    paths: renderPaths(paths, 3),
    components: { schemas: renderDefinitions(definitions, 3), securitySchemes: SECURITY },
    security: [{ BearerToken: [] }],
  };
}

export function renderV2(paths: PathItem[], definitions: Map<string, Schema>): Json {
  return {
    swagger: '2.0',
    info: INFO,
    paths: renderPaths(paths, 2),
    definitions: renderDefinitions(definitions, 2),
    securityDefinitions: SECURITY,
    security: [{ BearerToken: [] }],
  };
}
