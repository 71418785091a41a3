// The OpenAPI endpoints: `/openapi/v3` (the index), `/openapi/v3/{api/v1|apis/g/v}` and
// `/openapi/v2`, with the caching kubectl relies on. A document asked for by its current
// `?hash=` never changes, so it may be cached for good (kubectl keeps it on disk); a stale hash
// is redirected to the current one, as kube-apiserver does; everything else is revalidated
// with its ETag.
//
// `/openapi/v2` is JSON or, for client-go (which asks for nothing else and cannot parse JSON
// there), gnostic protobuf; whichever the Accept header lists first. Anything else is 406.

import type { Express, Request, Response } from 'express';
import { ApiError } from '../errors.js';
import type { OpenAPIDocuments, Rendered } from './documents.js';
import { OPENAPI_V2_PROTOBUF, OPENAPI_V2_PROTOBUF_RETURNED } from './v2-protobuf.js';

const YEAR_MS = 365 * 24 * 3600 * 1000;

const JSON_TYPE = 'application/json';

/** The first media type in `accept` (in the client's order) among `offered`; JSON for `*\/*`. */
function negotiate(accept: string | undefined, offered: readonly string[]): string | undefined {
  if (accept === undefined || accept.trim() === '') return offered[0];
  for (const part of accept.split(',')) {
    const type = part.split(';')[0]!.trim().toLowerCase();
    if (type === '*/*' || type === 'application/*') return offered[0];
    const found = offered.find((o) => o === type);
    if (found) return found;
  }
  return undefined;
}

/** Sends a document with its ETag; 304 when the client already holds it. */
function send(req: Request, res: Response, doc: Rendered<string | Buffer>, contentType = JSON_TYPE): void {
  const etag = `"${doc.hash}"`;
  res.setHeader('ETag', etag);
  res.setHeader('Vary', 'Accept');
  if (req.headers['if-none-match'] === etag) {
    res.status(304).end();
    return;
  }
  res.status(200).setHeader('Content-Type', contentType);
  res.end(doc.body);
}

const acceptsJson = (accept: string | undefined) => negotiate(accept, [JSON_TYPE]) !== undefined;

function notAcceptable(what: string): ApiError {
  return new ApiError(406, 'NotAcceptable', `no media type the client accepts is served for ${what}`);
}

export function openAPIEndpoints(app: Express, docs: () => OpenAPIDocuments): void {
  app.get('/openapi/v3', (req, res) => {
    if (!acceptsJson(req.headers.accept)) throw notAcceptable('/openapi/v3');
    res.setHeader('Cache-Control', 'no-cache, private');
    send(req, res, docs().index());
  });
  app.get(/^\/openapi\/v3\/(apis?\/.+)$/, (req, res) => {
    const key = String((req.params as Record<string, string>)[0]);
    if (!acceptsJson(req.headers.accept)) throw notAcceptable(`/openapi/v3/${key}`);
    const doc = docs().groupVersion(key);
    if (!doc) throw new ApiError(404, 'NotFound', `the server could not find the requested resource (no OpenAPI document for ${key})`);
    const hash = typeof req.query.hash === 'string' ? req.query.hash : undefined;
    if (hash !== undefined && hash !== doc.hash) {
      res.redirect(301, `/openapi/v3/${key}?hash=${doc.hash}`);
      return;
    }
    if (hash !== undefined) {
      res.setHeader('Cache-Control', 'public, immutable');
      res.setHeader('Expires', new Date(Date.now() + YEAR_MS).toUTCString());
    } else {
      res.setHeader('Cache-Control', 'no-cache, private');
    }
    send(req, res, doc);
  });
  app.get('/openapi/v2', (req, res) => {
    const type = negotiate(req.headers.accept, [JSON_TYPE, OPENAPI_V2_PROTOBUF]);
    if (type === undefined) throw notAcceptable('/openapi/v2');
    res.setHeader('Cache-Control', 'no-cache, private');
    if (type === OPENAPI_V2_PROTOBUF) send(req, res, docs().swaggerProtobuf(), OPENAPI_V2_PROTOBUF_RETURNED);
    else send(req, res, docs().swagger());
  });
}
