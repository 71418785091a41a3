// JSON merge patch (RFC 7386) and JSON patch (RFC 6902) applied to plain objects. The fake
// client uses them to answer `patch()` the way the API server would for these two types.

import { statusErrors } from './errors.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * RFC 7386: objects merge key by key, `null` removes a key, anything else replaces. Neither
 * argument is changed. Used by the API server's PATCH and by the fake client.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
      continue;
    }
    const merged = applyMergePatch(Object.prototype.hasOwnProperty.call(result, key) ? result[key] : undefined, value);
    // Defined, not assigned: a `__proto__` key in a patch is data, never the object's prototype.
    Object.defineProperty(result, key, { value: merged, enumerable: true, writable: true, configurable: true });
  }
  return result;
}

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  from?: string;
}

/** RFC 6902, all six operations; a failed `test` or a missing path is a 422-style error. */
export function applyJsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw statusErrors.badRequest('json patch must be an array of operations');
  let doc = structuredClone(target) as Json;
  for (const raw of ops as JsonPatchOp[]) {
    const op = raw;
    switch (op.op) {
      case 'add': doc = add(doc, parsePointer(op.path), structuredClone(op.value) as Json); break;
      case 'remove': doc = remove(doc, parsePointer(op.path)); break;
      case 'replace': doc = add(remove(doc, parsePointer(op.path)), parsePointer(op.path), structuredClone(op.value) as Json); break;
      case 'move': {
        const from = parsePointer(op.from ?? '');
        const value = get(doc, from);
        doc = add(remove(doc, from), parsePointer(op.path), value);
        break;
      }
      case 'copy': doc = add(doc, parsePointer(op.path), structuredClone(get(doc, parsePointer(op.from ?? '')))); break;
      case 'test':
        if (!deepEqual(get(doc, parsePointer(op.path)), op.value)) {
          throw statusErrors.invalid('JSONPatch', '', op.path, 'test operation failed');
        }
        break;
      default: throw statusErrors.badRequest(`unknown json patch operation ${JSON.stringify((op as { op: unknown }).op)}`);
    }
  }
  return doc;
}

/** JSON equality: objects compare by their members, whatever the key order. */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw statusErrors.badRequest(`invalid json pointer ${JSON.stringify(pointer)}`);
  return pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function missing(tokens: string[]): Error {
  return statusErrors.invalid('JSONPatch', '', `/${tokens.join('/')}`, 'path not found');
}

function get(doc: Json, tokens: string[]): Json {
  let cur: Json = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (isPlainObject(cur) && t in cur) cur = cur[t];
    else throw missing(tokens);
    if (cur === undefined) throw missing(tokens);
  }
  return cur;
}

function add(doc: Json, tokens: string[], value: Json): Json {
  if (tokens.length === 0) return value;
  const parent = get(doc, tokens.slice(0, -1));
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) throw missing(tokens);
    parent.splice(index, 0, value);
  } else if (isPlainObject(parent)) {
    parent[last] = value;
  } else {
    throw missing(tokens);
  }
  return doc;
}

function remove(doc: Json, tokens: string[]): Json {
  if (tokens.length === 0) return null;
  const parent = get(doc, tokens.slice(0, -1));
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const index = Number(last);
    if (!Number.isInteger(index) || index < 0 || index >= parent.length) throw missing(tokens);
    parent.splice(index, 1);
  } else if (isPlainObject(parent) && last in parent) {
    delete parent[last];
  } else {
    throw missing(tokens);
  }
  return doc;
}
