// The SPDY/3.1 frame codec: frames written and read back, a byte stream split anywhere, and
// header blocks that a zlib reader of the same stream decodes to the pairs sent.

import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeControl, encodeData, encodeGoaway, encodePing, encodeSynStream, FLAG_FIN, FrameReader, GOAWAY, HeaderCompressor, PING, streamIdOf, SYN_STREAM, type Frame } from './spdy.js';

describe('SPDY frames', () => {
  const cases: { name: string; bytes: Buffer; frame: Frame }[] = [
    { name: 'data with FIN', bytes: encodeData(3, Buffer.from('hi'), FLAG_FIN), frame: { kind: 'data', streamId: 3, flags: FLAG_FIN, data: Buffer.from('hi') } },
    { name: 'empty data', bytes: encodeData(5, Buffer.alloc(0)), frame: { kind: 'data', streamId: 5, flags: 0, data: Buffer.alloc(0) } },
    { name: 'ping', bytes: encodePing(0xfffffffe), frame: { kind: 'control', type: PING, flags: 0, data: Buffer.from([0xff, 0xff, 0xff, 0xfe]) } },
    { name: 'goaway', bytes: encodeGoaway(7), frame: { kind: 'control', type: GOAWAY, flags: 0, data: Buffer.from([0, 0, 0, 7, 0, 0, 0, 0]) } },
    { name: 'control with flags', bytes: encodeControl(SYN_STREAM, Buffer.from([0, 0, 0, 1]), 0x81), frame: { kind: 'control', type: SYN_STREAM, flags: 0x81, data: Buffer.from([0, 0, 0, 1]) } },
  ];
  it.each(cases)('$name reads back as written', ({ bytes, frame }) => {
    expect(new FrameReader().push(bytes)).toEqual([frame]);
  });

  it('writes the wire layout: control bit and version 3, type, flags and 24-bit length', () => {
    expect([...encodePing(1)]).toEqual([0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 1]);
    expect([...encodeData(1, Buffer.from('a'), FLAG_FIN)]).toEqual([0, 0, 0, 1, 0x01, 0, 0, 1, 0x61]);
  });

  it('reads frames from a stream split at every byte', () => {
    const wire = Buffer.concat(cases.map((c) => c.bytes));
    const reader = new FrameReader();
    const frames: Frame[] = [];
    for (const byte of wire) frames.push(...reader.push(Buffer.from([byte])));
    expect(frames).toEqual(cases.map((c) => c.frame));
  });

  it('refuses another SPDY version', () => {
    expect(() => new FrameReader().push(Buffer.from([0x80, 0x02, 0, 6, 0, 0, 0, 0]))).toThrow(/version 2/);
  });

  it('SYN_STREAM carries the stream id, then the header block', () => {
    const [frame] = new FrameReader().push(encodeSynStream(3, Buffer.from('hb')));
    expect(frame.kind === 'control' && streamIdOf(frame.data)).toBe(3);
    expect(frame.data.subarray(10).toString()).toBe('hb');
  });

  it('header blocks of one zlib stream decode, block by block, to the pairs sent', async () => {
    const c = new HeaderCompressor();
    const blocks = [await c.compress({ streamType: 'error' }), await c.compress({ streamtype: 'stdin' })];
    c.close();
    const inflate = zlib.createInflate();
    const decoded: Buffer[] = [];
    for (const block of blocks) {
      decoded.push(await new Promise<Buffer>((resolve) => {
        const out: Buffer[] = [];
        const onData = (d: Buffer) => out.push(d);
        inflate.on('data', onData);
        inflate.write(block);
        inflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
          inflate.off('data', onData);
          resolve(Buffer.concat(out));
        });
      }));
    }
    inflate.close();
    const pairs = (b: Buffer) => {
      const out: string[] = [];
      let at = 4;
      for (let i = 0; i < b.readUInt32BE(0) * 2; i++) {
        const len = b.readUInt32BE(at);
        out.push(b.subarray(at + 4, at + 4 + len).toString());
        at += 4 + len;
      }
      return out;
    };
    expect(decoded.map(pairs)).toEqual([['streamtype', 'error'], ['streamtype', 'stdin']]);
  });
});
