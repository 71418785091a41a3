// The structural check: is every field of the type the Kubernetes OpenAPI schema gives it
// (a list where a list belongs, an integer where a port number belongs)? Kubernetes refuses
// such bodies while decoding; skiff checks them first, with the schema validators
// kubernetes-models generates from the upstream OpenAPI, so that defaulting and the
// semantic rules only ever see well-typed objects. A `null` property counts as unset, as in
// Go's decoding.

import { ControllerRevision } from 'kubernetes-models/apps/v1/ControllerRevision';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ReplicaSet } from 'kubernetes-models/apps/v1/ReplicaSet';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Lease } from 'kubernetes-models/coordination.k8s.io/v1/Lease';
import { EndpointSlice } from 'kubernetes-models/discovery.k8s.io/v1/EndpointSlice';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { PriorityClass } from 'kubernetes-models/scheduling.k8s.io/v1/PriorityClass';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Endpoints } from 'kubernetes-models/v1/Endpoints';
import { Event } from 'kubernetes-models/v1/Event';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Node } from 'kubernetes-models/v1/Node';
import { Pod } from 'kubernetes-models/v1/Pod';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { ResourceType } from '../resources.js';
import type { KubeObject } from '../types.js';
import { type FieldError, Path, fieldErrors } from './field.js';

interface SchemaError {
  instancePath: string;
  keyword: string;
  params: { type?: string };
}

type Validator = { prototype: { validate(this: unknown): void } };

const MODELS: Record<string, Validator> = {
  '/Namespace': Namespace,
  '/Pod': Pod,
  '/Node': Node,
  '/Service': Service,
  '/Endpoints': Endpoints,
  '/Event': Event,
  '/ConfigMap': ConfigMap,
  '/Secret': Secret,
  '/ServiceAccount': ServiceAccount,
  'apps/Deployment': Deployment,
  'apps/ReplicaSet': ReplicaSet,
  'apps/DaemonSet': DaemonSet,
  'apps/ControllerRevision': ControllerRevision,
  'batch/Job': Job,
  'coordination.k8s.io/Lease': Lease,
  'discovery.k8s.io/EndpointSlice': EndpointSlice,
  'policy/PodDisruptionBudget': PodDisruptionBudget,
  'scheduling.k8s.io/PriorityClass': PriorityClass,
};

/** Fields that are maps in the schema: their keys print as `limits[cpu]`, as upstream's paths do. */
const MAP_FIELDS = new Set(['labels', 'annotations', 'data', 'binaryData', 'stringData', 'nodeSelector', 'matchLabels', 'limits', 'requests', 'overhead', 'capacity', 'allocatable']);

/** `/spec/containers/0/ports` → `spec.containers[0].ports`; `/spec/selector/app` of a Service → `spec.selector[app]`. */
function fieldPath(instancePath: string, kind: string): Path {
  let path = Path.root();
  let parent = '';
  for (const raw of instancePath.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const inMap = MAP_FIELDS.has(parent) || (kind === 'Service' && parent === 'selector');
    path = /^\d+$/.test(seg) && !inMap ? path.index(Number(seg)) : inMap ? path.key(seg) : path.child(seg);
    parent = inMap ? '' : seg;
  }
  return path;
}

function valueAt(obj: unknown, instancePath: string): unknown {
  let cur = obj;
  for (const raw of instancePath.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}

function isArrayElement(instancePath: string): boolean {
  return /\/\d+$/.test(instancePath);
}

/** The JSON type name of a value, for messages. */
function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/**
 * Fields whose value is not of the schema's type, as FieldValueTypeInvalid causes; empty
 * when the object is well-typed (or the kind has no schema, as custom resources).
 */
export function typeErrors(type: ResourceType, obj: KubeObject): FieldError[] {
  const model = MODELS[`${type.group}/${type.kind}`];
  if (!model) return [];
  // The schema requires apiVersion and kind; the server has set them, a direct caller may not.
  const subject = { ...obj, apiVersion: obj.apiVersion ?? 'v1', kind: obj.kind ?? type.kind };
  try {
    model.prototype.validate.call(subject);
    return [];
  } catch (err) {
    const errors = (err as { errors?: SchemaError[] }).errors;
    if (!Array.isArray(errors)) throw err;
    // An int-or-string or quantity field reports one error per alternative; when one
    // alternative failed on something other than the type (a format), the value has a
    // right type and the semantic rules judge it.
    const rightTypeWrongValue = new Set(errors.filter((e) => !['type', 'anyOf', 'oneOf', 'required'].includes(e.keyword)).map((e) => e.instancePath));
    const wanted = new Map<string, string[]>();
    for (const e of errors) {
      if (e.keyword !== 'type' || !e.params.type || rightTypeWrongValue.has(e.instancePath)) continue;
      const value = valueAt(subject, e.instancePath);
      if (value === null && !isArrayElement(e.instancePath)) continue;
      const list = wanted.get(e.instancePath) ?? [];
      if (!list.includes(e.params.type)) list.push(e.params.type);
      wanted.set(e.instancePath, list);
    }
    return [...wanted].map(([p, types]) =>
      fieldErrors.typeInvalid(fieldPath(p, type.kind), valueAt(subject, p), `expected ${types.join(' or ')}, got ${typeName(valueAt(subject, p))}`),
    );
  }
}

/** True when some object property anywhere in `value` is `null`. */
function hasNullProperty(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasNullProperty);
  if (value === null || typeof value !== 'object') return false;
  for (const v of Object.values(value)) if (v === null || hasNullProperty(v)) return true;
  return false;
}

/** Sets an own property, even one named `__proto__` (JSON may carry one as a plain key). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function stripNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripNulls);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) setOwn(out, k, stripNulls(v));
  return out;
}

/**
 * `obj` without null-valued properties (a copy only when it has any). Go decodes `null` as
 * unset, so `creationTimestamp: null` from kubectl means nothing; inside string maps
 * (labels, data) skiff drops the key where Go would keep an empty string.
 */
export function withoutNulls<T extends KubeObject>(obj: T): T {
  return hasNullProperty(obj) ? (stripNulls(obj) as T) : obj;
}

/** Removes null-valued properties in place (defaulting does this before anything else). */
export function removeNulls(obj: KubeObject): void {
  if (!hasNullProperty(obj)) return;
  const clean = stripNulls(obj) as Record<string, unknown>;
  const target = obj as unknown as Record<string, unknown>;
  for (const k of Object.keys(target)) delete target[k];
  for (const [k, v] of Object.entries(clean)) setOwn(target, k, v);
}
