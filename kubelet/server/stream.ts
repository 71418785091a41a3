// exec, attach and port-forward: the kubelet asks CRI for a single-use streaming URL on
// containerd's stream server and passes the client's upgrade request through to it byte for
// byte — containerd answers the protocol negotiation itself (403 for WebSocket v5 so kubectl
// falls back to SPDY, 101 otherwise) and the streams flow untouched in both directions.
// One CRI call per upgrade request: the URLs are single-use.

import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface StreamQuery {
  command: string[];
  container?: string;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export function parseStreamQuery(q: URLSearchParams): StreamQuery {
  const bool = (k: string): boolean => q.get(k) === 'true' || q.get(k) === '1';
  const tty = bool('tty');
  // CRI refuses tty together with stderr (stdout carries both on a terminal).
  return { command: q.getAll('command'), container: q.get('container') ?? undefined, stdin: bool('stdin'), stdout: bool('stdout') || bool('output'), stderr: bool('stderr') && !tty, tty };
}

/** Writes an HTTP error with a metav1 Status body on a not-yet-upgraded socket and closes it. */
export function failUpgrade(socket: Duplex, code: number, reason: string, message: string): void {
  const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
  const text = { 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 500: 'Internal Server Error', 502: 'Bad Gateway' }[code] ?? 'Error';
  socket.end(`HTTP/1.1 ${code} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** Dials the CRI streaming URL and relays the upgrade request and everything after it. */
export function proxyUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, criUrl: string, opts: { forwardQuery?: boolean } = {}): void {
  const target = new URL(criUrl);
  // Exec and attach options live behind the CRI URL's token; a WebSocket port-forward reads
  // its ports from the query, so that one carries the client's query along.
  if (opts.forwardQuery && !target.search) target.search = new URL(req.url ?? '/', 'https://kubelet').search;
  const lines = [`${req.method} ${target.pathname}${target.search} HTTP/1.1`];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i];
    const lower = name.toLowerCase();
    // Never hand our caller's credentials to the runtime.
    if (lower === 'authorization') continue;
    lines.push(`${name}: ${lower === 'host' ? target.host : req.rawHeaders[i + 1]}`);
  }
  let answered = false;
  const up: Socket = connect(Number(target.port), target.hostname, () => {
    up.write(lines.join('\r\n') + '\r\n\r\n');
    if (head.length) up.write(head);
    up.pipe(socket);
    socket.pipe(up);
  });
  // kubectl's SPDY framer sends each stream header as many tiny writes: without NODELAY each
  // stream setup waits for a delayed ACK (~40 ms).
  up.setNoDelay(true);
  (socket as Socket).setNoDelay?.(true);
  up.once('data', () => {
    answered = true;
  });
  up.on('error', (err) => {
    if (!answered) failUpgrade(socket, 502, 'InternalError', `error dialing the container runtime's stream server: ${err.message}`);
    else socket.destroy();
  });
  socket.on('error', () => up.destroy());
  socket.on('close', () => up.destroy());
  up.on('close', () => socket.end());
}
