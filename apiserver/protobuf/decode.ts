// Request bodies in Kubernetes' protobuf encoding (`application/vnd.kubernetes.protobuf`):
// the 4-byte magic `k8s\0`, then a runtime.Unknown {typeMeta{apiVersion=1, kind=2}=1, raw=2,
// contentEncoding=3, contentType=4} whose `raw` is the object's own message. Decoded into the
// JSON form through the schemas in ./schema.ts; kinds without one get a 415 asking for JSON.

import { ApiError, errors } from '../errors.js';
import { KIND_SCHEMAS, type FieldDef, type MessageSchema } from './schema.js';
import { readMessage, toInt64, WireError, type WireValue } from './wire.js';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

function unsupported(what: string): ApiError {
  return new ApiError(415, 'UnsupportedMediaType', `${what} cannot be sent as ${PROTOBUF_MEDIA_TYPE} to this server; send it as application/json`);
}

function bytes(v: WireValue, path: string): Uint8Array {
  if (v.wire !== 'bytes') throw errors.badRequest(`protobuf body: ${path} has the wrong wire type`);
  return v.value;
}

function varint(v: WireValue, path: string): bigint {
  if (v.wire !== 'varint') throw errors.badRequest(`protobuf body: ${path} has the wrong wire type`);
  return v.value;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function text(v: WireValue, path: string): string {
  try {
    return utf8.decode(bytes(v, path));
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw errors.badRequest(`protobuf body: ${path} is not valid UTF-8`);
  }
}

function timeOf(buf: Uint8Array, path: string): string | undefined {
  let seconds = 0n;
  let nanos = 0n;
  for (const f of readMessage(buf)) {
    if (f.field === 1) seconds = toInt64(varint(f.value, `${path}.seconds`));
    else if (f.field === 2) nanos = toInt64(varint(f.value, `${path}.nanos`));
  }
  if (seconds === 0n && nanos === 0n) return undefined;
  const ms = Number(seconds) * 1000 + Math.floor(Number(nanos) / 1e6);
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function intOrStringOf(buf: Uint8Array, path: string): number | string {
  let kind = 0n;
  let intVal = 0;
  let strVal = '';
  for (const f of readMessage(buf)) {
    if (f.field === 1) kind = varint(f.value, `${path}.type`);
    else if (f.field === 2) intVal = Number(BigInt.asIntN(32, varint(f.value, `${path}.intVal`)));
    else if (f.field === 3) strVal = text(f.value, `${path}.strVal`);
  }
  return kind === 1n ? strVal : intVal;
}

function quantityOf(buf: Uint8Array, path: string): string {
  let value = '';
  for (const f of readMessage(buf)) if (f.field === 1) value = text(f.value, `${path}.string`);
  return value;
}

function scalar(def: FieldDef, v: WireValue, path: string): unknown {
  switch (def.type) {
    case 'string':
      return text(v, path);
    case 'bytes':
      return Buffer.from(bytes(v, path)).toString('base64');
    case 'bool':
      return varint(v, path) !== 0n;
    case 'int32':
      return Number(BigInt.asIntN(32, varint(v, path)));
    case 'int64': {
      const n = toInt64(varint(v, path));
      if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) throw errors.badRequest(`protobuf body: ${path} is out of range`);
      return Number(n);
    }
    case 'time':
      return timeOf(bytes(v, path), path);
    case 'intOrString':
      return intOrStringOf(bytes(v, path), path);
    case 'quantity':
      return quantityOf(bytes(v, path), path);
    case 'ignored':
      bytes(v, path);
      return undefined;
    default:
      if ('message' in def.type) return decodeMessage(bytes(v, path), def.type.message, path);
      return undefined;
  }
}

function mapValue(kind: 'string' | 'bytes' | 'quantity', v: WireValue, path: string): string {
  if (kind === 'bytes') return Buffer.from(bytes(v, path)).toString('base64');
  if (kind === 'quantity') return quantityOf(bytes(v, path), path);
  return text(v, path);
}

function isZero(v: unknown): boolean {
  return v === undefined || v === '' || v === 0 || v === false || (typeof v === 'object' && v !== null && Object.keys(v).length === 0);
}

function decodeMessage(buf: Uint8Array, schema: MessageSchema, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let fields;
  try {
    fields = readMessage(buf);
  } catch (err) {
    if (err instanceof WireError) throw errors.badRequest(`protobuf body: ${path}: ${err.message}`);
    throw err;
  }
  for (const { field, value } of fields) {
    const def = schema[field];
    const at = `${path}.${def?.name ?? `#${field}`}`;
    if (!def) {
      // gogo writes unset scalars as zero values; only a field carrying something is a loss.
      if ((value.wire === 'bytes' && value.value.length === 0) || (value.wire === 'varint' && value.value === 0n)) continue;
      throw unsupported(`field ${field} of ${path}`);
    }
    if (typeof def.type === 'object' && 'map' in def.type) {
      let key = '';
      let val: unknown = '';
      for (const entry of readMessage(bytes(value, at))) {
        if (entry.field === 1) key = text(entry.value, `${at} key`);
        else if (entry.field === 2) val = mapValue(def.type.map, entry.value, `${at}[${key}]`);
      }
      const map = (out[def.name] ??= {}) as Record<string, unknown>;
      map[key] = val;
      continue;
    }
    const v = scalar(def, value, at);
    if (def.repeated) {
      ((out[def.name] ??= []) as unknown[]).push(v);
    } else if (def.keepZero || !isZero(v)) {
      out[def.name] = v;
    }
  }
  return out;
}

/** Decodes a protobuf request body into the object's JSON form (apiVersion and kind set). */
export function decodeProtobufObject(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw errors.badRequest('protobuf body: missing the k8s\\0 prefix');
  const envelope = decodeMessage(body.subarray(4), {
    1: { name: 'typeMeta', type: { message: { 1: { name: 'apiVersion', type: 'string' }, 2: { name: 'kind', type: 'string' } } } },
    2: { name: 'raw', type: 'bytes' },
    3: { name: 'contentEncoding', type: 'string' },
    4: { name: 'contentType', type: 'string' },
  }, 'Unknown');
  const typeMeta = (envelope.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  if (envelope.contentEncoding) throw unsupported(`a body with content encoding "${String(envelope.contentEncoding)}"`);
  const key = `${typeMeta.apiVersion ?? ''}/${typeMeta.kind ?? ''}`;
  const schema = KIND_SCHEMAS[key];
  if (!schema) throw unsupported(`${typeMeta.kind || 'an object'} (${typeMeta.apiVersion || 'no apiVersion'})`);
  const raw = Buffer.from(String(envelope.raw ?? ''), 'base64');
  return { apiVersion: typeMeta.apiVersion, kind: typeMeta.kind, ...decodeMessage(raw, schema, typeMeta.kind!) };
}
