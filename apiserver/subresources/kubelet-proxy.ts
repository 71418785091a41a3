// Plain HTTP requests to a node's kubelet over TLS: pod logs (kubelet errors become Status
// answers, as upstream's location streamer makes them) and the node proxy (answers passed on
// untouched). Bodies stream both ways, so `logs -f` runs until the client goes.

import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'express';
import type { KubeletTransport, RequestContext } from '../context.js';
import { ApiError, errors, type StatusReason } from '../errors.js';

/** Headers that belong to one hop, and the caller's credentials, which the node must not see. */
const NOT_FORWARDED = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host', 'authorization']);

export function transportOf(ctx: RequestContext): KubeletTransport {
  if (!ctx.kubeletTransport) throw errors.unavailable('this API server has no connection to kubelets configured');
  return ctx.kubeletTransport;
}

/** TLS options for a kubelet: the API server's client certificate, and the kubelets' CA when one is configured. */
export function kubeletTLS(transport: KubeletTransport): Pick<RequestOptions, 'ca' | 'cert' | 'key' | 'rejectUnauthorized'> {
  const tls = transport.tlsOptions();
  // Without a CA the kubelet's certificate cannot be checked: kube-apiserver then skips the check too.
  return { ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: tls.ca !== undefined };
}

export async function kubeletTarget(ctx: RequestContext, nodeName: string, path: string): Promise<URL> {
  return new URL(path, await transportOf(ctx).kubeletURL(nodeName));
}

function reasonFor(code: number): StatusReason {
  const reasons: Record<number, StatusReason> = { 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 429: 'TooManyRequests', 503: 'ServiceUnavailable' };
  return reasons[code] ?? 'InternalError';
}

/** Sends a request to the kubelet (with `body` piped in, if any) and waits for the answer's head. */
function open(
  ctx: RequestContext,
  target: URL,
  method: string,
  headers: Record<string, string | string[]>,
  body?: NodeJS.ReadableStream,
): Promise<{ upstream: IncomingMessage; abort: () => void }> {
  return new Promise((resolve, reject) => {
    const out = httpsRequest(
      { protocol: 'https:', hostname: target.hostname.replace(/^\[|\]$/g, ''), port: target.port, path: `${target.pathname}${target.search}`, method, headers, ...kubeletTLS(transportOf(ctx)) },
      (upstream) => resolve({ upstream, abort: () => out.destroy() }),
    );
    out.on('error', (err) => reject(errors.internal(`${method} "${target.href}": ${err.message}`)));
    out.setNoDelay(true);
    if (body) body.pipe(out);
    else out.end();
  });
}

/** Relays the answer's body until it ends or the client goes. */
function relay(upstream: IncomingMessage, abort: () => void, res: Response): Promise<void> {
  res.on('close', abort);
  upstream.pipe(res);
  return new Promise<void>((resolve) => {
    upstream.on('end', resolve);
    upstream.on('error', resolve);
    res.on('close', resolve);
  });
}

async function readSome(stream: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= limit) break;
  }
  stream.destroy();
  return Buffer.concat(chunks).toString('utf8').slice(0, limit);
}

/** GETs a kubelet stream (logs) and relays it; a kubelet refusal becomes a Status error with its text. */
export async function streamFromKubelet(ctx: RequestContext, target: URL, res: Response): Promise<void> {
  const { upstream, abort } = await open(ctx, target, 'GET', {});
  const code = upstream.statusCode ?? 502;
  if (code < 200 || code > 299) {
    const text = (await readSome(upstream, 4096)).trim();
    throw new ApiError(code, reasonFor(code), text || `the kubelet answered ${code}`);
  }
  res.status(code);
  res.setHeader('Content-Type', upstream.headers['content-type'] ?? 'text/plain');
  res.flushHeaders();
  await relay(upstream, abort, res);
}

/** Relays a whole request (method, headers, body) to the kubelet and its answer back unchanged. */
export async function proxyToKubelet(ctx: RequestContext, target: URL, req: Request, res: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined && !NOT_FORWARDED.has(key)) headers[key] = value;
  }
  const { upstream, abort } = await open(ctx, target, req.method, headers, req);
  res.status(upstream.statusCode ?? 502);
  for (const [key, value] of Object.entries(upstream.headers)) {
    if (value !== undefined && !NOT_FORWARDED.has(key)) res.setHeader(key, value);
  }
  await relay(upstream, abort, res);
}
