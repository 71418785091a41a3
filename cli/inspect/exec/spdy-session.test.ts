// The SPDY exec session against a local server playing the runtime: stdin's end as a FIN,
// output routed by stream, PINGs answered, the exit code from the error stream, a refusal.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiStatusError } from '../../../client/errors.js';
import type { Transport } from '../stream.js';
import { encodeData, encodePing, FLAG_FIN, FrameReader, PING, SYN_STREAM } from './spdy.js';
import { execStreams, runSpdySession } from './spdy-session.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

function io(input: string) {
  const stdin = new PassThrough();
  const stdout = Object.assign(new PassThrough(), { columns: 80, rows: 24 });
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  stdin.end(input);
  return { streams: { stdin, stdout, stderr }, out: () => out, err: () => err };
}

async function listen(s: Server): Promise<Transport> {
  server = s;
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const url = new URL(`http://127.0.0.1:${(s.address() as AddressInfo).port}/exec`);
  return { url, tls: {}, headers: {} };
}

describe('runSpdySession', () => {
  it('opens the streams in kubectl\'s order', () => {
    expect(execStreams(true)).toEqual([{ type: 'error', id: 1 }, { type: 'stdin', id: 3 }, { type: 'stdout', id: 5 }, { type: 'stderr', id: 7 }]);
    expect(execStreams(false).map((s) => s.type)).toEqual(['error', 'stdout', 'stderr']);
  });

  it('sends stdin then its FIN; routes output; answers PING; the exit code comes from the error stream', async () => {
    const seen = { synStreams: 0, pingAnswered: false, upgrade: '' };
    const t = await listen(
      createServer().on('upgrade', (req, socket) => {
        seen.upgrade = `${req.method} ${String(req.headers.upgrade)} ${String(req.headers['x-stream-protocol-version'])}`;
        socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n');
        socket.on('end', () => socket.destroy());
        const reader = new FrameReader();
        let input = '';
        socket.on('data', (chunk: Buffer) => {
          for (const f of reader.push(chunk)) {
            if (f.kind === 'control' && f.type === SYN_STREAM) seen.synStreams++;
            if (f.kind === 'control' && f.type === PING) seen.pingAnswered = f.data.readUInt32BE(0) === 2;
            if (f.kind !== 'data' || f.streamId !== 3) continue;
            input += f.data.toString();
            if (!(f.flags & FLAG_FIN)) continue;
            socket.write(encodePing(2));
            socket.write(encodeData(5, Buffer.from(input.toUpperCase()), FLAG_FIN));
            socket.write(encodeData(7, Buffer.from('warn\n'), FLAG_FIN));
            const status = { status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '4' }] } };
            setTimeout(() => socket.write(encodeData(1, Buffer.from(JSON.stringify(status)), FLAG_FIN)), 20);
          }
        });
      }),
    );
    const s = io('hello\n');
    expect(await runSpdySession(t, s.streams)).toEqual({ exitCode: 4 });
    expect(s.out()).toBe('HELLO\n');
    expect(s.err()).toBe('warn\n');
    expect(seen).toEqual({ synStreams: 4, pingAnswered: true, upgrade: 'POST SPDY/3.1 v4.channel.k8s.io' });
  });

  it('a refused upgrade rejects with the server\'s Status', async () => {
    const t = await listen(
      createServer((_req, res) => {
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'BadRequest', code: 400, message: 'container nope is not valid for pod web' }));
      }),
    );
    const err = await runSpdySession(t, io('').streams).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiStatusError);
    expect(err).toMatchObject({ code: 400, message: 'container nope is not valid for pod web' });
  });
});
