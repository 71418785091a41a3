// `/openapi/v2` as client-go asks for it: the swagger 2.0 document as a gnostic `openapi.v2.Document`
// protobuf (media type application/com.github.proto-openapi.spec.v2@v1.0+protobuf). client-go
// only ever parses that form (`kubectl explain --output=plaintext-openapiv2`, and any client
// without v3), so the JSON document is re-encoded here, message by message, with gnostic's
// field numbers. Vendor extensions travel as YAML text (JSON is YAML), as gnostic writes them.
// Schema keywords swagger 2.0 has no field for (oneOf, anyOf, not, nullable) are left out, as
// kube-apiserver leaves them out of v2.

type Json = Record<string, unknown>;

/** What client-go asks for. */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
/** What the answer is labelled: Go's media-type parser refuses the `@`, so kube-apiserver sends a dot. */
export const OPENAPI_V2_PROTOBUF_RETURNED = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/** One-byte buffers for the small varints (keys, short lengths) that make up most of a document. */
const BYTE = Array.from({ length: 0x80 }, (_, i) => Buffer.from([i]));

/** One protobuf message being written: fields appended in order, then taken as bytes. */
class Message {
  private readonly parts: Buffer[] = [];

  private key(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  /** A varint; negative numbers as their 64-bit two's complement (ten bytes), as protobuf does. */
  private varint(v: number): void {
    if (v >= 0 && v < 0x80) {
      this.parts.push(BYTE[v]!);
      return;
    }
    const bytes: number[] = [];
    if (v >= 0 && Number.isSafeInteger(v)) {
      while (v >= 0x80) {
        bytes.push((v % 0x80) | 0x80);
        v = Math.floor(v / 0x80);
      }
      bytes.push(v);
    } else {
      let n = BigInt.asUintN(64, BigInt(v));
      while (n >= 0x80n) {
        bytes.push(Number(n & 0x7fn) | 0x80);
        n >>= 7n;
      }
      bytes.push(Number(n));
    }
    this.parts.push(Buffer.from(bytes));
  }

  bytes(field: number, value: Uint8Array): this {
    this.key(field, 2);
    this.varint(value.length);
    this.parts.push(Buffer.from(value));
    return this;
  }

  string(field: number, value: unknown): this {
    return typeof value === 'string' && value !== '' ? this.bytes(field, Buffer.from(value, 'utf8')) : this;
  }

  strings(field: number, values: unknown): this {
    if (Array.isArray(values)) for (const v of values) if (typeof v === 'string') this.bytes(field, Buffer.from(v, 'utf8'));
    return this;
  }

  bool(field: number, value: unknown): this {
    if (value !== true) return this;
    this.key(field, 0);
    this.varint(1);
    return this;
  }

  /** A bool inside a oneof: present even when false. */
  oneofBool(field: number, value: boolean): this {
    this.key(field, 0);
    this.varint(value ? 1 : 0);
    return this;
  }

  int64(field: number, value: unknown): this {
    if (typeof value !== 'number' || !Number.isInteger(value)) return this;
    this.key(field, 0);
    this.varint(value);
    return this;
  }

  double(field: number, value: unknown): this {
    if (typeof value !== 'number') return this;
    this.key(field, 1);
    const b = Buffer.alloc(8);
    b.writeDoubleLE(value);
    this.parts.push(b);
    return this;
  }

  message(field: number, m: Message | undefined): this {
    return m ? this.bytes(field, m.done()) : this;
  }

  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** gnostic's Any: the value as YAML text. */
function any(value: unknown): Message {
  return new Message().string(2, JSON.stringify(value));
}

/** `x-` keys as repeated NamedAny at `field`. */
function vendorExtensions(m: Message, field: number, obj: Json): Message {
  for (const [k, v] of Object.entries(obj)) if (k.startsWith('x-')) m.message(field, new Message().string(1, k).message(2, any(v)));
  return m;
}

function schema(s: Json): Message {
  const m = new Message()
    .string(1, s.$ref)
    .string(2, s.format)
    .string(3, s.title)
    .string(4, s.description);
  if (s.default !== undefined) m.message(5, any(s.default));
  m.double(6, s.multipleOf).double(7, s.maximum).bool(8, s.exclusiveMaximum).double(9, s.minimum).bool(10, s.exclusiveMinimum);
  m.int64(11, s.maxLength).int64(12, s.minLength).string(13, s.pattern).int64(14, s.maxItems).int64(15, s.minItems).bool(16, s.uniqueItems);
  m.int64(17, s.maxProperties).int64(18, s.minProperties).strings(19, s.required);
  if (Array.isArray(s.enum)) for (const e of s.enum) m.message(20, any(e));
  if (isObject(s.additionalProperties)) m.message(21, new Message().message(1, schema(s.additionalProperties)));
  // A member of a oneof is written even when false: its presence is the information.
  else if (typeof s.additionalProperties === 'boolean') m.message(21, new Message().oneofBool(2, s.additionalProperties));
  if (typeof s.type === 'string') m.message(22, new Message().string(1, s.type));
  if (isObject(s.items)) m.message(23, new Message().message(1, schema(s.items)));
  if (Array.isArray(s.allOf)) for (const a of s.allOf) if (isObject(a)) m.message(24, schema(a));
  if (isObject(s.properties)) {
    const props = new Message();
    for (const [name, p] of Object.entries(s.properties)) if (isObject(p)) props.message(1, new Message().string(1, name).message(2, schema(p)));
    m.message(25, props);
  }
  m.bool(27, s.readOnly);
  if (s.example !== undefined) m.message(30, any(s.example));
  return vendorExtensions(m, 31, s);
}

function parameter(p: Json): Message {
  if (p.in === 'body') {
    const body = new Message().string(1, p.description).string(2, p.name).string(3, p.in).bool(4, p.required);
    if (isObject(p.schema)) body.message(5, schema(p.schema));
    return new Message().message(1, new Message().message(1, body));
  }
  // Query and path sub-schemas share their first fields: required, in, description, name; then
  // query has allow_empty_value (5) before type, path does not.
  const query = p.in === 'query';
  const sub = new Message().bool(1, p.required).string(2, p.in).string(3, p.description).string(4, p.name);
  sub.string(query ? 6 : 5, p.type).bool(query ? 20 : 19, p.uniqueItems);
  const nonBody = new Message().message(query ? 3 : 4, sub);
  return new Message().message(1, new Message().message(2, nonBody));
}

function operation(op: Json): Message {
  const m = new Message().strings(1, op.tags).string(3, op.description).string(5, op.operationId).strings(6, op.produces).strings(7, op.consumes);
  if (Array.isArray(op.parameters)) for (const p of op.parameters) if (isObject(p)) m.message(8, parameter(p));
  if (isObject(op.responses)) {
    const responses = new Message();
    for (const [code, r] of Object.entries(op.responses)) {
      if (!isObject(r)) continue;
      const response = new Message().string(1, r.description);
      if (isObject(r.schema)) response.message(2, new Message().message(1, schema(r.schema)));
      responses.message(1, new Message().string(1, code).message(2, new Message().message(1, response)));
    }
    m.message(9, responses);
  }
  m.strings(10, op.schemes);
  return vendorExtensions(m, 13, op);
}

const METHODS: Record<string, number> = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 };

function pathItem(item: Json): Message {
  const m = new Message();
  for (const [method, field] of Object.entries(METHODS)) if (isObject(item[method])) m.message(field, operation(item[method]));
  if (Array.isArray(item.parameters)) for (const p of item.parameters) if (isObject(p)) m.message(9, parameter(p));
  return vendorExtensions(m, 10, item);
}

/** The gnostic protobuf of a swagger 2.0 document. */
export function encodeOpenAPIV2(doc: Json): Buffer {
  const m = new Message().string(1, doc.swagger);
  if (isObject(doc.info)) m.message(2, new Message().string(1, doc.info.title).string(2, doc.info.version));
  if (isObject(doc.paths)) {
    const paths = new Message();
    for (const [path, item] of Object.entries(doc.paths)) if (isObject(item)) paths.message(2, new Message().string(1, path).message(2, pathItem(item)));
    m.message(8, paths);
  }
  if (isObject(doc.definitions)) {
    const defs = new Message();
    for (const [name, s] of Object.entries(doc.definitions)) if (isObject(s)) defs.message(1, new Message().string(1, name).message(2, schema(s)));
    m.message(9, defs);
  }
  if (Array.isArray(doc.security)) {
    for (const req of doc.security) {
      if (!isObject(req)) continue;
      const r = new Message();
      for (const [name, scopes] of Object.entries(req)) r.message(1, new Message().string(1, name).message(2, new Message().strings(1, scopes)));
      m.message(12, r);
    }
  }
  if (isObject(doc.securityDefinitions)) {
    const defs = new Message();
    for (const [name, d] of Object.entries(doc.securityDefinitions)) {
      if (!isObject(d) || d.type !== 'apiKey') continue;
      const key = new Message().string(1, d.type).string(2, d.name).string(3, d.in).string(4, d.description);
      defs.message(1, new Message().string(1, name).message(2, new Message().message(2, key)));
    }
    m.message(13, defs);
  }
  return m.done();
}
