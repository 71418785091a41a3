// Which fields each built-in kind declares, read at run time from the generated models of
// @kubernetes/client-node (each class lists its JSON names and their types). Used to find
// fields a client sent that the schema does not declare: `spec.containers[0].imagee`.
// Custom resources have no model here and are never checked.

// Only the generated models (140 ms to load), not the whole client (600 ms); the version is pinned.
import * as models from '@kubernetes/client-node/dist/gen/models/all.js';
import type { ResourceType } from './resources.js';

interface Attribute {
  baseName: string;
  type: string;
}

interface ModelClass {
  getAttributeTypeMap(): Attribute[];
}

/** What a value of one schema type may hold. `opaque` stops the walk (scalars, IntOrString, `any`). */
type Shape =
  | { kind: 'opaque' }
  | { kind: 'object'; fields: Map<string, string> }
  | { kind: 'array'; items: string }
  | { kind: 'map'; values: string };

const OPAQUE: Shape = { kind: 'opaque' };
const ARRAY = /^Array<(.+)>$/;
const MAP = /^\{ \[key: string\]: (.+); \}$/;

const shapes = new Map<string, Shape>();
const modelIndex = models as unknown as Record<string, unknown>;

function isModelClass(v: unknown): v is ModelClass {
  return typeof v === 'function' && typeof (v as Partial<ModelClass>).getAttributeTypeMap === 'function';
}

/** The shape of a client-node type string, cached; child types resolve lazily (schemas recurse). */
function shapeOf(typeName: string): Shape {
  let shape = shapes.get(typeName);
  if (shape) return shape;
  const array = ARRAY.exec(typeName);
  const map = MAP.exec(typeName);
  const model = modelIndex[typeName];
  if (array) shape = { kind: 'array', items: array[1] };
  else if (map) shape = { kind: 'map', values: map[1] };
  else if (isModelClass(model)) {
    const attrs = model.getAttributeTypeMap();
    // A model without attributes is free-form (nothing to check against).
    shape = attrs.length === 0 ? OPAQUE : { kind: 'object', fields: new Map(attrs.map((a) => [a.baseName, a.type])) };
  } else shape = OPAQUE;
  shapes.set(typeName, shape);
  return shape;
}

const modelNames = new Map<string, string | undefined>();

/** Groups served by Kubernetes itself; a CRD's group always has a dot and never ends in .k8s.io (protected). */
function isBuiltinGroup(group: string): boolean {
  return group === '' || !group.includes('.') || group.endsWith('.k8s.io');
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The client-node model of a kind (`V1Pod`), or undefined for kinds it does not know. Kinds whose
 * name exists in several groups carry a group prefix there: `CoreV1Event`, `EventsV1Event`.
 */
export function modelNameFor(type: Pick<ResourceType, 'group' | 'version' | 'kind'>): string | undefined {
  const key = `${type.group}/${type.version}/${type.kind}`;
  if (modelNames.has(key)) return modelNames.get(key);
  let found: string | undefined;
  if (isBuiltinGroup(type.group)) {
    const version = capitalize(type.version);
    const prefix = type.group === '' ? 'Core' : capitalize(type.group.split('.')[0]);
    found = [`${prefix}${version}${type.kind}`, `${version}${type.kind}`].find((n) => isModelClass(modelIndex[n]));
  }
  modelNames.set(key, found);
  return found;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function child(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/**
 * Paths of the fields in `obj` its kind's schema does not declare, in document order
 * (`spec.template.spec.containers[0].imagee`). With `prune`, those fields are also removed,
 * as upstream's decoder drops them. Values of the wrong type are left to validation.
 */
export function unknownFields(type: Pick<ResourceType, 'group' | 'version' | 'kind'>, obj: unknown, opts: { prune?: boolean } = {}): string[] {
  const model = modelNameFor(type);
  if (model === undefined) return [];
  const found: string[] = [];
  walk(shapeOf(model), obj, '', found, opts.prune === true);
  return found;
}

function walk(shape: Shape, value: unknown, path: string, found: string[], prune: boolean): void {
  switch (shape.kind) {
    case 'opaque':
      return;
    case 'object':
      if (!isPlainObject(value)) return;
      for (const key of Object.keys(value)) {
        const fieldType = shape.fields.get(key);
        if (fieldType === undefined) {
          found.push(child(path, key));
          if (prune) delete value[key];
        } else if (value[key] !== null && typeof value[key] === 'object') {
          walk(shapeOf(fieldType), value[key], child(path, key), found, prune);
        }
      }
      return;
    case 'array': {
      if (!Array.isArray(value)) return;
      const items = shapeOf(shape.items);
      if (items.kind === 'opaque') return;
      value.forEach((item, i) => walk(items, item, `${path}[${i}]`, found, prune));
      return;
    }
    case 'map': {
      if (!isPlainObject(value)) return;
      const values = shapeOf(shape.values);
      if (values.kind === 'opaque') return;
      for (const [key, v] of Object.entries(value)) walk(values, v, child(path, key), found, prune);
      return;
    }
  }
}
