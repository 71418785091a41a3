// The protobuf wire format, read without a schema: a message is a list of (field number,
// wire type, value) entries. Varints come back as bigint (int64 fields exceed 2^53),
// length-delimited values as byte slices the caller interprets with its schema.

export class WireError extends Error {}

export type WireValue = { wire: 'varint'; value: bigint } | { wire: 'bytes'; value: Uint8Array } | { wire: 'fixed64' | 'fixed32'; value: Uint8Array };

export interface WireField {
  field: number;
  value: WireValue;
}

function readVarint(buf: Uint8Array, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new WireError('truncated varint');
    const b = buf[pos++];
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [result, pos];
    shift += 7n;
  }
  throw new WireError('varint longer than 10 bytes');
}

/** Splits one message into its fields, in wire order. */
export function readMessage(buf: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [key, afterKey] = readVarint(buf, pos);
    pos = afterKey;
    const field = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (field === 0) throw new WireError('field number 0');
    switch (wireType) {
      case 0: {
        const [v, next] = readVarint(buf, pos);
        fields.push({ field, value: { wire: 'varint', value: v } });
        pos = next;
        break;
      }
      case 1:
        if (pos + 8 > buf.length) throw new WireError('truncated fixed64');
        fields.push({ field, value: { wire: 'fixed64', value: buf.subarray(pos, pos + 8) } });
        pos += 8;
        break;
      case 2: {
        const [len, next] = readVarint(buf, pos);
        const end = next + Number(len);
        if (len > BigInt(buf.length) || end > buf.length) throw new WireError('truncated length-delimited field');
        fields.push({ field, value: { wire: 'bytes', value: buf.subarray(next, end) } });
        pos = end;
        break;
      }
      case 5:
        if (pos + 4 > buf.length) throw new WireError('truncated fixed32');
        fields.push({ field, value: { wire: 'fixed32', value: buf.subarray(pos, pos + 4) } });
        pos += 4;
        break;
      default:
        throw new WireError(`unsupported wire type ${wireType}`);
    }
  }
  return fields;
}

/** Two's-complement int64 from a varint. */
export function toInt64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}
