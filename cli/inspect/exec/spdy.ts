// The SPDY/3.1 framing a remote-command client needs (the session kubectl opens to exec):
// control frames (SYN_STREAM, SYN_REPLY, RST_STREAM, SETTINGS, PING, GOAWAY, WINDOW_UPDATE)
// and data frames, read from a byte stream that may split or join frames anywhere.

import zlib from 'node:zlib';

export const VERSION = 3;
export const FLAG_FIN = 0x01;

export const SYN_STREAM = 1;
export const SYN_REPLY = 2;
export const RST_STREAM = 3;
export const SETTINGS = 4;
export const PING = 6;
export const GOAWAY = 7;
export const HEADERS = 8;
export const WINDOW_UPDATE = 9;



const HEADER_BYTES = 8;
const MAX_LENGTH = 0xffffff;

export type Frame =
  | { kind: 'data'; streamId: number; flags: number; data: Buffer }
  | { kind: 'control'; type: number; flags: number; data: Buffer };

/** A data frame: 31-bit stream id, flags, 24-bit length, payload. */
export function encodeData(streamId: number, data: Uint8Array, flags = 0): Buffer {
  if (data.length > MAX_LENGTH) throw new Error(`SPDY data frame too long: ${data.length} bytes`);
  const head = Buffer.alloc(HEADER_BYTES);
  head.writeUInt32BE(streamId & 0x7fffffff, 0);
  head.writeUInt32BE((((flags & 0xff) << 24) | data.length) >>> 0, 4);
  return Buffer.concat([head, data]);
}

/** A control frame: the control bit, version 3, type, flags, 24-bit length, payload. */
export function encodeControl(type: number, payload: Uint8Array, flags = 0): Buffer {
  const head = Buffer.alloc(HEADER_BYTES);
  head.writeUInt16BE(0x8000 | VERSION, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE((((flags & 0xff) << 24) | payload.length) >>> 0, 4);
  return Buffer.concat([head, payload]);
}

/** SYN_STREAM: stream id, no associated stream, priority 0, then the (compressed) header block. */
export function encodeSynStream(streamId: number, headerBlock: Uint8Array, flags = 0): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt32BE(streamId & 0x7fffffff, 0);
  return encodeControl(SYN_STREAM, Buffer.concat([fixed, headerBlock]), flags);
}

export function encodePing(id: number): Buffer {
  const p = Buffer.alloc(4);
  p.writeUInt32BE(id >>> 0, 0);
  return encodeControl(PING, p);
}

export function encodeGoaway(lastGoodStreamId: number, status = 0): Buffer {
  const p = Buffer.alloc(8);
  p.writeUInt32BE(lastGoodStreamId & 0x7fffffff, 0);
  p.writeUInt32BE(status, 4);
  return encodeControl(GOAWAY, p);
}

/** The uncompressed name/value block: a count, then length-prefixed names and values. */
export function encodeHeaderPairs(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  const count = Buffer.alloc(4);
  count.writeUInt32BE(Object.keys(headers).length, 0);
  parts.push(count);
  for (const [name, value] of Object.entries(headers)) {
    for (const text of [name.toLowerCase(), value]) {
      const bytes = Buffer.from(text, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(bytes.length, 0);
      parts.push(len, bytes);
    }
  }
  return Buffer.concat(parts);
}

/**
 * The sending side of the connection's header compression: SPDY runs every header block of
 * a direction through one zlib stream, each block ended by a sync flush so the receiver can
 * read it whole. No preset dictionary is used (the stream's header says so), which every
 * receiver accepts; compression ratio does not matter for the few streams of an exec.
 */
export class HeaderCompressor {
  private readonly deflate = zlib.createDeflate();
  private chain: Promise<unknown> = Promise.resolve();

  compress(headers: Record<string, string>): Promise<Buffer> {
    const pairs = encodeHeaderPairs(headers);
    const next = this.chain.then(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          const out: Buffer[] = [];
          const onData = (d: Buffer) => out.push(d);
          this.deflate.on('data', onData);
          this.deflate.write(pairs);
          this.deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
            this.deflate.off('data', onData);
            resolve(Buffer.concat(out));
          });
          this.deflate.once('error', reject);
        }),
    );
    this.chain = next;
    return next;
  }

  close(): void {
    this.deflate.close();
  }
}

/** The stream id a SYN_REPLY, RST_STREAM or WINDOW_UPDATE is about (its first 31 bits). */
export function streamIdOf(control: Buffer): number {
  return control.length >= 4 ? control.readUInt32BE(0) & 0x7fffffff : 0;
}

/** Splits a byte stream into frames; bytes of an unfinished frame wait for the next push. */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Frame[] = [];
    while (this.pending.length >= HEADER_BYTES) {
      const word = this.pending.readUInt32BE(4);
      const length = word & MAX_LENGTH;
      if (this.pending.length < HEADER_BYTES + length) break;
      const flags = word >>> 24;
      const data = this.pending.subarray(HEADER_BYTES, HEADER_BYTES + length);
      const first = this.pending.readUInt32BE(0);
      if (first & 0x80000000) {
        const version = (first >>> 16) & 0x7fff;
        if (version !== VERSION) throw new Error(`SPDY version ${version} is not supported`);
        frames.push({ kind: 'control', type: first & 0xffff, flags, data });
      } else {
        frames.push({ kind: 'data', streamId: first & 0x7fffffff, flags, data });
      }
      this.pending = this.pending.subarray(HEADER_BYTES + length);
    }
    return frames;
  }
}
