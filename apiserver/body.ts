// Request bodies: read with a size limit (413 past it) and decoded from JSON, YAML or (for the
// kinds kubectl 1.32+ sends that way) Kubernetes protobuf, with the place a malformed body
// broke in the message (position for JSON, line/column for YAML).

import type { IncomingMessage } from 'node:http';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { ApiError, errors } from './errors.js';
import { decodeProtobufObject, PROTOBUF_MEDIA_TYPE } from './protobuf/decode.js';

/** Reads the whole body; rejects with 413 as soon as it passes `limit` bytes. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) throw errors.tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw errors.tooLarge(limit);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** The media type without parameters, lower-case: `application/json`. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

const JSON_TYPES = new Set(['application/json', '']);
const YAML_TYPES = new Set(['application/yaml', 'application/x-yaml', 'text/yaml']);

/** Decodes a JSON or YAML body that must be one object; 415 for other media types. */
export function decodeObject(body: Buffer, contentType: string | undefined, acceptYaml = true): Record<string, unknown> {
  return decodeBody(body, contentType, acceptYaml).obj;
}

/**
 * decodeObject, and the paths of keys a JSON body repeats (`spec.replicas`): JSON.parse keeps
 * the last silently, so they are found by a scan; whether they are refused is the caller's call.
 */
export function decodeBody(body: Buffer, contentType: string | undefined, acceptYaml = true): { obj: Record<string, unknown>; duplicates: string[] } {
  const type = mediaType(contentType);
  let value: unknown;
  let duplicates: string[] = [];
  if (JSON_TYPES.has(type)) {
    value = decodeJson(body);
    duplicates = duplicateJsonKeys(body.toString('utf8'));
  } else if (acceptYaml && YAML_TYPES.has(type)) ({ value, duplicates } = decodeYamlWithDuplicates(body));
  else if (type === PROTOBUF_MEDIA_TYPE) value = decodeProtobufObject(body);
  else throw errors.unsupportedMediaType(contentType ?? '');
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw errors.badRequest('the request body must be a JSON object');
  }
  checkNesting(value);
  return { obj: value as Record<string, unknown>, duplicates };
}

/** Parses JSON; the error names the byte position where it broke. */
export function decodeJson(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') throw errors.badRequest('the request body is empty');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ApiError(400, 'BadRequest', `the request body is not valid JSON: ${(err as Error).message}`);
  }
}

/** Parses one YAML document; the error names the line and column where it broke. */
export function decodeYaml(body: Buffer): unknown {
  return decodeYamlWithDuplicates(body).value;
}

/** decodeYaml, and the paths of repeated mapping keys (the last value wins, as in JSON). */
function decodeYamlWithDuplicates(body: Buffer): { value: unknown; duplicates: string[] } {
  const doc = parseDocument(body.toString('utf8'), { prettyErrors: true, uniqueKeys: false });
  const first = doc.errors[0];
  if (first) {
    // The parser's own first line already says what broke and where ("... at line 2, column 3:").
    const at = first.linePos?.[0];
    const what = first.message.split('\n')[0].replace(/:$/, '');
    const where = at && !what.includes('line ') ? ` at line ${at.line}, column ${at.col}` : '';
    throw new ApiError(400, 'BadRequest', `the request body is not valid YAML: ${what}${where}`);
  }
  try {
    return { value: doc.toJS({ maxAliasCount: 100 }), duplicates: duplicateYamlKeys(doc.contents) };
  } catch (err) {
    throw new ApiError(400, 'BadRequest', `the request body is not valid YAML: ${(err as Error).message}`);
  }
}

/** Repeated keys of a parsed YAML document, parents first (an explicit stack: depth is not yet checked). */
function duplicateYamlKeys(root: unknown): string[] {
  const found: string[] = [];
  const stack: Array<{ node: unknown; path: string }> = [{ node: root, path: '' }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    const children: Array<{ node: unknown; path: string }> = [];
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
        const at = path === '' ? key : `${path}.${key}`;
        if (seen.has(key)) found.push(at);
        seen.add(key);
        children.push({ node: pair.value, path: at });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => children.push({ node: item, path: `${path}[${i}]` }));
    }
    stack.push(...children.reverse());
  }
  return found;
}

/** Objects nest far less than this; deeper bodies are refused before any recursive walk sees them. */
export const MAX_NESTING_DEPTH = 512;

/** 400 when `value` nests deeper than MAX_NESTING_DEPTH (checked without recursion). */
export function checkNesting(value: unknown): void {
  const stack: Array<{ v: unknown; depth: number }> = [{ v: value, depth: 0 }];
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_NESTING_DEPTH) throw errors.badRequest(`the request body nests deeper than ${MAX_NESTING_DEPTH} levels`);
    for (const child of Object.values(v as object)) stack.push({ v: child, depth: depth + 1 });
  }
}

interface JsonFrame {
  path: string;
  /** Keys seen so far in an object; undefined in an array. */
  keys?: Set<string>;
  /** The key whose value comes next (objects), or the index of the current element (arrays). */
  key: string;
  index: number;
}

/**
 * Paths of repeated object keys in `text`, which must already be valid JSON (so the scan only
 * tracks strings, brackets and commas): `{"spec":{"replicas":1,"replicas":2}}` → `spec.replicas`.
 */
export function duplicateJsonKeys(text: string): string[] {
  const found: string[] = [];
  const stack: JsonFrame[] = [];
  let expectKey = false;
  const childPath = (top: JsonFrame | undefined): string => {
    if (!top) return '';
    if (top.keys) return top.path === '' ? top.key : `${top.path}.${top.key}`;
    return `${top.path}[${top.index}]`;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let end = i + 1;
      let escaped = false;
      for (; end < text.length; end++) {
        const d = text.charCodeAt(end);
        if (d === 0x5c /* \ */) { escaped = true; end++; } else if (d === 0x22) break;
      }
      const top = stack[stack.length - 1];
      if (expectKey && top?.keys) {
        const raw = text.slice(i + 1, end);
        const key = escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
        if (top.keys.has(key)) found.push(top.path === '' ? key : `${top.path}.${key}`);
        else top.keys.add(key);
        top.key = key;
        expectKey = false;
      }
      i = end;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const path = childPath(stack[stack.length - 1]);
      stack.push(c === 0x7b ? { path, keys: new Set(), key: '', index: 0 } : { path, key: '', index: 0 });
      expectKey = c === 0x7b;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.keys) expectKey = true;
      else if (top) top.index++;
    }
  }
  return found;
}
