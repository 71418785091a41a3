// One exec session over a WebSocket through the API server to the pod's container: stdin to
// channel 0, channels 1/2 to stdout/stderr, the exit status from channel 3; with a TTY the
// local terminal goes raw and window size changes are sent on channel 4.

import WebSocket from 'ws';
import { statusErrorOf, type Transport } from '../stream.js';
import { forwardStdin } from './stdin.js';
import { decodeFrame, encodeFrame, encodeResize, encodeStdinClose, outcomeFromStatus, PROTOCOLS, STATUS, STDERR, STDIN, STDOUT, type ExecOutcome } from './channel.js';

export interface SessionIO {
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  stdout: NodeJS.WritableStream & { columns?: number; rows?: number; on(event: 'resize', listener: () => void): unknown; off(event: 'resize', listener: () => void): unknown };
  stderr: NodeJS.WritableStream;
  tty: boolean;
}

/** Runs the session to its end: the command's outcome, or a rejection when it could not start. */
export function runSession(t: Transport, io: SessionIO): Promise<ExecOutcome> {
  const url = new URL(t.url);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(url, PROTOCOLS, { ...t.tls, headers: t.headers, perMessageDeflate: false, handshakeTimeout: 30_000 });
  return new Promise((resolve, reject) => {
    let status: string | undefined;
    const cleanups: (() => void)[] = [];

    // A refusal before the upgrade (no such container, node unreachable) carries a Status:
    // read it whole, then drop the request; the session never opened.
    let refused = false;
    ws.on('unexpected-response', (req, res) => {
      refused = true;
      void statusErrorOf(res).then((err) => {
        reject(err);
        req.destroy();
      });
    });
    ws.on('error', (err) => {
      if (!refused) reject(err);
    });
    ws.on('open', () => {
      if (io.tty) {
        const resize = () => ws.send(encodeResize(io.stdout.columns ?? 80, io.stdout.rows ?? 24));
        resize();
        io.stdout.on('resize', resize);
        cleanups.push(() => io.stdout.off('resize', resize));
      }
      const stdin = io.stdin;
      if (!stdin) return;
      if (io.tty && stdin.setRawMode) {
        stdin.setRawMode(true);
        cleanups.push(() => stdin.setRawMode?.(false));
      }
      const stop = forwardStdin(
        stdin,
        (chunk) => ws.send(encodeFrame(STDIN, chunk)),
        // Only v5 can pass the end of input on; piped input (no TTY) goes over SPDY instead.
        () => {
          if (ws.protocol === PROTOCOLS[0]) ws.send(encodeStdinClose());
        },
      );
      cleanups.push(stop);
    });
    ws.on('message', (message: Buffer) => {
      const frame = decodeFrame(message);
      if (!frame || frame.data.length === 0) return;
      if (frame.channel === STDOUT) io.stdout.write(frame.data);
      else if (frame.channel === STDERR) io.stderr.write(frame.data);
      else if (frame.channel === STATUS) status = (status ?? '') + frame.data.toString('utf8');
    });
    ws.on('close', (code: number) => {
      for (const undo of cleanups.reverse()) undo();
      if (refused) return;
      if (status !== undefined) resolve(outcomeFromStatus(status));
      // 1006: the connection dropped without a closing handshake, mid-command.
      else if (code === 1006) resolve({ error: 'the connection to the server closed before the command finished' });
      // Runtimes before v4 close without a status when the command succeeded.
      else resolve({ exitCode: 0 });
    });
  });
}
