// Field selectors (`?fieldSelector=spec.nodeName=n1,status.phase!=Failed`) and the fields
// each kind lets clients select on, as Kubernetes exposes them. The kubelet lists its pods
// with `spec.nodeName`, kubectl filters events by `involvedObject.name`, and so on.

import type { ResourceType } from './resources.js';
import type { KubeObject } from './types.js';

export type FieldOperator = 'Equals' | 'DoubleEquals' | 'NotEquals';

export interface FieldRequirement {
  field: string;
  operator: FieldOperator;
  value: string;
}

export class FieldSelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldSelectorError';
  }
}

export class FieldSelector {
  constructor(readonly requirements: FieldRequirement[]) {}

  /** A field the object does not have counts as the empty string, as upstream. */
  matches(fields: Record<string, string>): boolean {
    return this.requirements.every((r) => {
      const actual = Object.hasOwn(fields, r.field) ? fields[r.field] : '';
      return r.operator === 'NotEquals' ? actual !== r.value : actual === r.value;
    });
  }

  isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  /** The value required by `field=value` or `field==value`, if the selector has one. */
  requiredValue(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.operator !== 'NotEquals')?.value;
  }

  toString(): string {
    const op = { Equals: '=', DoubleEquals: '==', NotEquals: '!=' } as const;
    return this.requirements.map((r) => `${r.field}${op[r.operator]}${escapeFieldValue(r.value)}`).join(',');
  }
}

/** Escapes `\`, `,` and `=` in a value so it survives inside a selector string. */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** Undoes escapeFieldValue; an unescaped `,`/`=` or an unknown escape is an error, as upstream. */
function unescapeFieldValue(value: string, term: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\') {
      const n = value[i + 1];
      if (n !== '\\' && n !== ',' && n !== '=') throw new FieldSelectorError(`invalid field selector "${term}": invalid escape sequence at position ${i}`);
      out += n;
      i++;
    } else if (c === ',' || c === '=') {
      throw new FieldSelectorError(`invalid field selector "${term}": unescaped '${c}' in value at position ${i}`);
    } else {
      out += c;
    }
  }
  return out;
}

/** Splits on characters not preceded by a backslash escape. */
function splitUnescaped(text: string, sep: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === sep) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

const OPERATORS: [string, FieldOperator][] = [
  ['!=', 'NotEquals'],
  ['==', 'DoubleEquals'],
  ['=', 'Equals'],
];

function parseTerm(term: string): FieldRequirement {
  for (let i = 0; i < term.length; i++) {
    if (term[i] === '\\') {
      i++;
      continue;
    }
    const op = OPERATORS.find(([s]) => term.startsWith(s, i));
    if (op) {
      const field = term.slice(0, i).trim();
      if (!field) throw new FieldSelectorError(`invalid field selector "${term}": missing field name`);
      return { field, operator: op[1], value: unescapeFieldValue(term.slice(i + op[0].length), term) };
    }
  }
  throw new FieldSelectorError(`invalid selector: '${term}'; can't understand '${term}'`);
}

/** Parses `a=b,c!=d`; the empty string selects everything. */
export function parseFieldSelector(text: string): FieldSelector {
  if (text.trim() === '') return new FieldSelector([]);
  return new FieldSelector(splitUnescaped(text, ',').map(parseTerm));
}

/** A selector requiring each field to equal the value: `{ 'spec.nodeName': 'n1' }`. */
export function fieldSelectorFromSet(fields: Record<string, string>): FieldSelector {
  return new FieldSelector(Object.entries(fields).map(([field, value]) => ({ field, operator: 'Equals', value })));
}

// ---- selectable fields per kind ------------------------------------------------------

type Extractor = (obj: Record<string, unknown>) => string;

/** Reads a dotted path; absent values become '', booleans and numbers their text. */
function at(path: string): Extractor {
  const parts = path.split('.');
  return (obj) => {
    let cur: unknown = obj;
    for (const p of parts) {
      if (cur === null || typeof cur !== 'object') return '';
      cur = (cur as Record<string, unknown>)[p];
    }
    return cur === undefined || cur === null ? '' : typeof cur === 'object' ? '' : String(cur);
  };
}

/** Like `at`, but an absent boolean is `false`, as the Go zero value prints. */
function boolAt(path: string): Extractor {
  const get = at(path);
  return (obj) => get(obj) || 'false';
}

/** Like `at`, but an absent number is `0`. */
function intAt(path: string): Extractor {
  const get = at(path);
  return (obj) => get(obj) || '0';
}

const KIND_FIELDS: Record<string, Record<string, Extractor>> = {
  Pod: {
    'spec.nodeName': at('spec.nodeName'),
    'spec.restartPolicy': at('spec.restartPolicy'),
    'spec.schedulerName': at('spec.schedulerName'),
    'spec.serviceAccountName': at('spec.serviceAccountName'),
    'spec.hostNetwork': boolAt('spec.hostNetwork'),
    'status.phase': at('status.phase'),
    'status.podIP': at('status.podIP'),
    'status.nominatedNodeName': at('status.nominatedNodeName'),
  },
  Event: {
    'involvedObject.kind': at('involvedObject.kind'),
    'involvedObject.namespace': at('involvedObject.namespace'),
    'involvedObject.name': at('involvedObject.name'),
    'involvedObject.uid': at('involvedObject.uid'),
    'involvedObject.apiVersion': at('involvedObject.apiVersion'),
    'involvedObject.resourceVersion': at('involvedObject.resourceVersion'),
    'involvedObject.fieldPath': at('involvedObject.fieldPath'),
    reason: at('reason'),
    reportingComponent: at('reportingComponent'),
    source: at('source.component'),
    type: at('type'),
  },
  Node: { 'spec.unschedulable': boolAt('spec.unschedulable') },
  Secret: { type: at('type') },
  Namespace: { 'status.phase': at('status.phase') },
  ReplicaSet: { 'status.replicas': intAt('status.replicas') },
  Job: { 'status.successful': intAt('status.succeeded') },
};

function extractorsFor(type: ResourceType): Record<string, Extractor> {
  return KIND_FIELDS[type.kind] ?? {};
}

/** The names of the fields a kind can be selected by. */
export function selectableFields(type: ResourceType): string[] {
  const base = ['metadata.name'];
  if (type.namespaced) base.push('metadata.namespace');
  return [...base, ...Object.keys(extractorsFor(type))];
}

/** The selectable fields of an object, as a flat map for FieldSelector.matches. */
export function fieldsOf(type: ResourceType, obj: KubeObject): Record<string, string> {
  const fields: Record<string, string> = { 'metadata.name': obj.metadata?.name ?? '' };
  if (type.namespaced) fields['metadata.namespace'] = obj.metadata?.namespace ?? '';
  for (const [name, get] of Object.entries(extractorsFor(type))) fields[name] = get(obj as Record<string, unknown>);
  return fields;
}

/** Fields the selector names that the kind does not support; the server answers 400 for them. */
export function unsupportedFields(type: ResourceType, selector: FieldSelector): string[] {
  const supported = new Set(selectableFields(type));
  return [...new Set(selector.requirements.map((r) => r.field).filter((f) => !supported.has(f)))];
}
