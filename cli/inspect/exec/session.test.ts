// The exec session against a local WebSocket server playing the runtime: v5 end-of-input,
// v4 stdin, stderr and exit status, resize on a TTY, a refused upgrade.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiStatusError } from '../../../client/errors.js';
import { runSession, type SessionIO } from './session.js';

let server: Server | undefined;
let wss: WebSocketServer | undefined;

afterEach(async () => {
  wss?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  wss = undefined;
});

/** A runtime stand-in choosing `protocol`, running `onSession` per connection; or refusing with `refuse`. */
async function runtime(protocol: string, onSession: (ws: WebSocket) => void, refuse?: { code: number; body: unknown }): Promise<URL> {
  server = createServer();
  wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => (offered.has(protocol) ? protocol : false) });
  server.on('upgrade', (req, socket, head) => {
    if (refuse) {
      const body = JSON.stringify(refuse.body);
      socket.end(`HTTP/1.1 ${refuse.code} Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      return;
    }
    wss!.handleUpgrade(req, socket, head, onSession);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/exec`);
}

function io(opts: { stdin?: string; tty?: boolean } = {}): SessionIO & { out: () => string; err: () => string } {
  const stdout = Object.assign(new PassThrough(), { columns: 120, rows: 40 });
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  let stdin: PassThrough | undefined;
  if (opts.stdin !== undefined) {
    stdin = new PassThrough();
    stdin.end(opts.stdin);
  }
  return { stdin, stdout, stderr, tty: opts.tty ?? false, out: () => out, err: () => err };
}

const frame = (channel: number, text: string) => Buffer.concat([Buffer.from([channel]), Buffer.from(text)]);
const transport = (url: URL) => ({ url, tls: {}, headers: {} });

describe('exec session', () => {
  it('v5: stdin end is sent as a close of channel 0, then the exit status arrives', async () => {
    const url = await runtime('v5.channel.k8s.io', (ws) => {
      let input = '';
      ws.on('message', (m: Buffer) => {
        if (m[0] === 0) input += m.subarray(1).toString();
        if (m[0] === 255 && m[1] === 0) {
          ws.send(frame(1, input.toUpperCase()));
          ws.send(frame(2, 'warn\n'));
          ws.send(frame(3, JSON.stringify({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '4' }] } })));
          ws.close(1000);
        }
      });
    });
    const streams = io({ stdin: 'hello\n' });
    expect(await runSession(transport(url), streams)).toEqual({ exitCode: 4 });
    expect(streams.out()).toBe('HELLO\n');
    expect(streams.err()).toBe('warn\n');
  });

  it('v4: stdin goes to channel 0 and the end of input sends nothing more (it cannot be said)', async () => {
    const url = await runtime('v4.channel.k8s.io', (ws) =>
      ws.on('message', (m: Buffer) => {
        ws.send(frame(1, `${m[0]}:${m.subarray(1).toString()}`));
        ws.send(frame(3, '{"status":"Success"}'));
        setTimeout(() => ws.close(1000), 50);
      }),
    );
    const streams = io({ stdin: 'echoed\n' });
    expect(await runSession(transport(url), streams)).toEqual({ exitCode: 0 });
    expect(streams.out()).toBe('0:echoed\n');
  });

  it('a TTY session sends the window size first', async () => {
    const url = await runtime('v4.channel.k8s.io', (ws) =>
      ws.once('message', (m: Buffer) => {
        ws.send(frame(1, `${m[0]} ${m.subarray(1).toString()}`));
        ws.send(frame(3, '{"status":"Success"}'));
        ws.close(1000);
      }),
    );
    const streams = io({ tty: true });
    expect(await runSession(transport(url), streams)).toEqual({ exitCode: 0 });
    expect(streams.out()).toBe('4 {"Width":120,"Height":40}');
  });

  it('a refused upgrade rejects with the server\'s Status', async () => {
    const url = await runtime('v4.channel.k8s.io', () => undefined, { code: 400, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'BadRequest', code: 400, message: 'container nope is not valid for pod web' } });
    const err = await runSession(transport(url), io()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiStatusError);
    expect(err).toMatchObject({ code: 400, reason: 'BadRequest', message: 'container nope is not valid for pod web' });
  });

  it('a connection dropped mid-command is an error, not success', async () => {
    const url = await runtime('v4.channel.k8s.io', (ws) => {
      ws.send(frame(1, 'partial'));
      setTimeout(() => ws.terminate(), 20);
    });
    expect(await runSession(transport(url), io())).toEqual({ error: 'the connection to the server closed before the command finished' });
  });
});
