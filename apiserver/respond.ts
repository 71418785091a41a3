// Writing answers: objects and lists as JSON (or as a meta.k8s.io Table when the client asks
// for one and a printer exists), failures as Status, and `Warning` headers.

import type { Response } from 'express';
import type { KubeObject } from '../api/types.js';
import type { RequestContext } from './context.js';
import { ApiError } from './errors.js';
import type { IncludeObject, Seams } from './seams.js';

/** True when the Accept header lists a meta.k8s.io Table (v1 or v1beta1) before plain JSON. */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  for (const entry of accept.split(',')) {
    const [type, ...params] = entry.split(';').map((s) => s.trim());
    const p = new Map(params.map((kv) => kv.split('=').map((s) => s.trim()) as [string, string]));
    if (type === 'application/json' && p.get('as') === 'Table' && p.get('g') === 'meta.k8s.io') return true;
    if (type === 'application/json' && !p.has('as')) return false;
  }
  return false;
}

export function includeObjectOf(query: URLSearchParams): IncludeObject {
  const v = query.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

export function setWarnings(res: Response, warnings: string[]): void {
  if (warnings.length === 0 || res.headersSent) return;
  // RFC 7234 warn-code 299, agent "-", text quoted; kubectl prints the text.
  res.setHeader('Warning', [...new Set(warnings)].map((w) => `299 - "${w.replace(/["\\]/g, (c) => `\\${c}`)}"`));
}

export function sendJson(res: Response, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.status(code).type('application/json').send(text);
}

/**
 * A JSON body given in pieces: one piece is sent whole (with a Content-Length); more are
 * streamed as they are made, waiting while the socket is full, so a large list never sits in
 * memory as one string and one buffer.
 */
export async function sendJsonPieces(res: Response, code: number, pieces: Iterable<string>): Promise<void> {
  const it = pieces[Symbol.iterator]();
  const first = it.next();
  const second = first.done ? first : it.next();
  res.status(code).type('application/json');
  if (second.done) {
    res.send(first.done ? '' : first.value);
    return;
  }
  for (let piece: IteratorResult<string> = first; !piece.done; piece = piece === first ? second : it.next()) {
    if (res.destroyed) return;
    if (!res.write(piece.value)) await drained(res);
  }
  if (!res.destroyed) res.end();
}

/** Waits until the socket takes more, or the client is gone. */
export function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export function sendStatusError(res: Response, err: ApiError): void {
  if (err.details?.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(err.details.retryAfterSeconds));
  sendJson(res, err.code, err.toStatus());
}

/** An object answer, as a one-row Table when asked and available. */
export function sendObject(ctx: RequestContext, seams: Seams, res: Response, code: number, obj: KubeObject, accept: string | undefined): void {
  setWarnings(res, ctx.warnings);
  if (seams.toTable && wantsTable(accept)) {
    sendJson(res, code, seams.toTable(ctx.type, [obj], { includeObject: includeObjectOf(ctx.query) }));
    return;
  }
  sendJson(res, code, obj);
}

/** A list answer, as a Table when asked and available. */
export function sendList(
  ctx: RequestContext,
  seams: Seams,
  res: Response,
  list: { metadata: { resourceVersion?: string; continue?: string }; items: KubeObject[] } & KubeObject,
  accept: string | undefined,
): void {
  setWarnings(res, ctx.warnings);
  if (seams.toTable && wantsTable(accept)) {
    const listMeta = { resourceVersion: list.metadata.resourceVersion, continue: list.metadata.continue };
    sendJson(res, 200, seams.toTable(ctx.type, list.items, { includeObject: includeObjectOf(ctx.query), listMeta }));
    return;
  }
  sendJson(res, 200, list);
}

export function successStatus(details: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Success', details };
}
