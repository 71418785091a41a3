// exec, attach and port-forward: HTTP Upgrade requests (SPDY/3.1 or WebSocket) relayed to the
// pod's kubelet. The client's upgrade request is replayed on a TLS connection to the kubelet
// (its header lines as received, Host set to the kubelet, the caller's Authorization dropped)
// and then both sockets are piped byte for byte: the kubelet's answer — 101, or a refusal such
// as the 403 that makes kubectl fall back from WebSocket to SPDY — reaches the client unchanged.
// Nothing in the stream is interpreted. The HTTP layer routes the server's `upgrade` event here.

import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { Pod } from '../../api/types.js';
import type { RequestContext } from '../context.js';
import { ApiError, errors } from '../errors.js';
import { attachPath, execPath, podNode, portForwardPath, resolveContainer } from './kubelet-location.js';
import { kubeletTarget, kubeletTLS, transportOf } from './kubelet-proxy.js';

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' };

/** Answers a refused upgrade with a Status body, which kubectl prints as `Error from server (...)`. */
export function writeStatusResponse(socket: Duplex, err: ApiError): void {
  const body = JSON.stringify(err.toStatus());
  socket.end(
    `HTTP/1.1 ${err.code} ${STATUS_TEXT[err.code] ?? 'Error'}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

/** The kubelet path this upgrade goes to. */
async function kubeletPathFor(ctx: RequestContext): Promise<{ node: string; path: string }> {
  if (ctx.type.group !== '' || ctx.type.resource !== 'pods' || !ctx.name) throw errors.badRequest('upgrade requests are served for pods/exec, pods/attach and pods/portforward');
  const pod = (await ctx.store.get(ctx.type, ctx.namespace, ctx.name)) as Pod;
  const node = podNode(pod);
  switch (ctx.subresource) {
    case 'exec':
      return { node, path: execPath(pod, resolveContainer(pod, ctx.query.get('container')), ctx.query) };
    case 'attach':
      return { node, path: attachPath(pod, resolveContainer(pod, ctx.query.get('container')), ctx.query) };
    case 'portforward':
      return { node, path: portForwardPath(pod, ctx.query) };
    default:
      throw errors.badRequest(`pods/${ctx.subresource ?? ''} does not take upgrade requests`);
  }
}

/** The upgrade request as the kubelet gets it: same method and header lines, our path, its Host, no credentials. */
export function upgradeRequestHead(method: string, path: string, rawHeaders: string[], host: string): string {
  const lines = [`${method} ${path} HTTP/1.1`];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const key = rawHeaders[i];
    const lower = key.toLowerCase();
    if (lower === 'authorization') continue;
    lines.push(`${key}: ${lower === 'host' ? host : rawHeaders[i + 1]}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function dial(ctx: RequestContext, target: URL): Promise<TLSSocket> {
  const hostname = target.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const upstream = tlsConnect({
      host: hostname,
      port: Number(target.port || 443),
      ...(isIP(hostname) ? {} : { servername: hostname }),
      ...kubeletTLS(transportOf(ctx)),
    });
    const fail = (err: Error) => reject(new ApiError(502, 'InternalError', `error dialing backend: ${err.message}`));
    upstream.once('error', fail);
    upstream.once('secureConnect', () => {
      upstream.off('error', fail);
      resolve(upstream);
    });
  });
}

/** Pipes two sockets until either side ends; a reset after the upgrade is a normal end. */
function splice(client: Duplex, upstream: TLSSocket): void {
  client.pipe(upstream);
  upstream.pipe(client);
  const closeBoth = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', closeBoth);
  upstream.on('error', closeBoth);
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.end());
}

export async function handleUpgrade(ctx: RequestContext, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  let upstream: TLSSocket;
  try {
    const { node, path } = await kubeletPathFor(ctx);
    const target = await kubeletTarget(ctx, node, path);
    upstream = await dial(ctx, target);
    // Each SPDY stream opens with several tiny writes: without NODELAY each waits for a delayed ACK.
    upstream.setNoDelay(true);
    if ('setNoDelay' in socket && typeof socket.setNoDelay === 'function') socket.setNoDelay(true);
    upstream.write(upgradeRequestHead(req.method ?? 'GET', `${target.pathname}${target.search}`, req.rawHeaders, target.host));
    if (head.length > 0) upstream.write(head);
  } catch (err) {
    const apiErr = err instanceof ApiError ? err : errors.internal((err as Error).message);
    ctx.log.debug({ err, pod: ctx.name, subresource: ctx.subresource }, 'upgrade refused before reaching the kubelet');
    if (!socket.destroyed) writeStatusResponse(socket, apiErr);
    return;
  }
  splice(socket, upstream);
}
