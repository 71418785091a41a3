// One exec session over SPDY/3.1, as kubectl opens it: a POST upgraded to `SPDY/3.1` with
// `X-Stream-Protocol-Version: v4.channel.k8s.io`, then one client-opened stream per channel
// (named by its `streamtype` header). Unlike WebSocket v4 it can say that stdin ended: a FIN
// on the stdin stream, which the runtime passes on to the command as end of input. The exit
// status arrives on the error stream as a v4 Status.
//
// Flow control: the Kubernetes SPDY peers (spdystream) neither enforce nor update windows,
// so, like kubectl, this client sends without waiting for WINDOW_UPDATE; back-pressure is
// the socket's own.

import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { statusErrorOf, type Transport } from '../stream.js';
import { outcomeFromStatus, type ExecOutcome } from './channel.js';
import type { SessionIO } from './session.js';
import { forwardStdin } from './stdin.js';
import { encodeData, encodeGoaway, encodePing, encodeSynStream, FLAG_FIN, FrameReader, GOAWAY, HeaderCompressor, PING, RST_STREAM, streamIdOf } from './spdy.js';

export const STREAM_PROTOCOL = 'v4.channel.k8s.io';

/** The streams of an exec without a TTY, in the order kubectl opens them. */
export type StreamType = 'error' | 'stdin' | 'stdout' | 'stderr';

export function execStreams(stdin: boolean): { type: StreamType; id: number }[] {
  const types: StreamType[] = stdin ? ['error', 'stdin', 'stdout', 'stderr'] : ['error', 'stdout', 'stderr'];
  return types.map((type, i) => ({ type, id: 2 * i + 1 }));
}

/** Opens the upgraded connection; a refusal becomes the server's Status error. */
function upgrade(t: Transport): Promise<{ socket: Duplex; head: Buffer }> {
  const mod = t.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(t.url, {
      method: 'POST',
      ...t.tls,
      headers: { ...t.headers, Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': STREAM_PROTOCOL, 'Content-Length': '0' },
      timeout: 30_000,
    });
    req.on('upgrade', (res, socket, head) => {
      const agreed = res.headers['x-stream-protocol-version'];
      if (agreed !== undefined && agreed !== STREAM_PROTOCOL) {
        socket.destroy();
        return reject(new Error(`the server chose the stream protocol ${String(agreed)}, which skiff does not speak`));
      }
      resolve({ socket, head });
    });
    req.on('response', (res) => void statusErrorOf(res).then(reject));
    req.on('timeout', () => req.destroy(new Error('the server did not answer the exec upgrade in time')));
    req.on('error', reject);
    req.end();
  });
}

/** Runs the session to its end: the command's outcome, or a rejection when it could not start. */
export async function runSpdySession(t: Transport, io: Omit<SessionIO, 'tty'>): Promise<ExecOutcome> {
  const { socket, head } = await upgrade(t);
  if ('setNoDelay' in socket && typeof socket.setNoDelay === 'function') socket.setNoDelay(true);
  const streams = execStreams(io.stdin !== undefined);
  const idOf = (type: string) => streams.find((s) => s.type === type)?.id ?? 0;
  const reader = new FrameReader();
  const compressor = new HeaderCompressor();

  return new Promise((resolve) => {
    let status: string | undefined;
    let failure: string | undefined;
    let settled = false;
    const finished = new Set<number>();
    const cleanups: (() => void)[] = [];

    const settle = () => {
      if (settled) return;
      settled = true;
      for (const undo of cleanups.reverse()) undo();
      socket.destroy();
      if (failure !== undefined) resolve({ error: failure });
      else if (status !== undefined) resolve(outcomeFromStatus(status));
      else resolve({ exitCode: 0 });
    };
    // Done once the server has closed its side of error, stdout and stderr.
    const maybeDone = () => {
      if (['error', 'stdout', 'stderr'].every((type) => finished.has(idOf(type)))) {
        socket.write(encodeGoaway(streams[streams.length - 1].id));
        settle();
      }
    };

    const onFrames = (chunk: Buffer) => {
      let frames;
      try {
        frames = reader.push(chunk);
      } catch (err) {
        failure = (err as Error).message;
        return settle();
      }
      for (const frame of frames) {
        if (frame.kind === 'data') {
          if (frame.streamId === idOf('stdout')) io.stdout.write(frame.data);
          else if (frame.streamId === idOf('stderr')) io.stderr.write(frame.data);
          else if (frame.streamId === idOf('error') && frame.data.length > 0) status = (status ?? '') + frame.data.toString('utf8');
          if (frame.flags & FLAG_FIN) finished.add(frame.streamId);
          continue;
        }
        if (frame.type === PING) {
          if (frame.data.length === 4) socket.write(encodePing(frame.data.readUInt32BE(0)));
        } else if (frame.type === RST_STREAM) finished.add(streamIdOf(frame.data));
        else if (frame.type === GOAWAY) return settle();
        else if (frame.flags & FLAG_FIN) finished.add(streamIdOf(frame.data)); // a SYN_REPLY or HEADERS ending the stream
      }
      maybeDone();
    };

    socket.on('data', onFrames);
    socket.on('close', settle);
    socket.on('error', (err: Error) => {
      if (status === undefined) failure = `the connection to the server failed: ${err.message}`;
    });
    if (head.length > 0) onFrames(head);

    socket.on('end', settle);
    cleanups.push(() => compressor.close());

    const pipeStdin = (stdin: NonNullable<typeof io.stdin>) => {
      const stdinId = idOf('stdin');
      const stop = forwardStdin(
        stdin,
        (chunk) => {
          // Wait while the socket is backed up rather than buffer all of stdin in memory.
          if (!socket.write(encodeData(stdinId, chunk))) {
            stdin.pause();
            socket.once('drain', () => stdin.resume());
          }
        },
        () => socket.write(encodeData(stdinId, Buffer.alloc(0), FLAG_FIN)),
      );
      cleanups.push(stop);
    };
    // Opens the streams kubectl opens, in its order; stdin flows once its stream exists.
    void (async () => {
      for (const s of streams) {
        const block = await compressor.compress({ streamtype: s.type });
        if (settled) return;
        socket.write(encodeSynStream(s.id, block));
      }
      if (io.stdin) pipeStdin(io.stdin);
    })().catch((err: unknown) => {
      failure ??= `could not open the exec streams: ${(err as Error).message}`;
      settle();
    });
  });
}
