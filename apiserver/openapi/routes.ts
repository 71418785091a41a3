// The OpenAPI endpoints: `/openapi/v3` (the index), `/openapi/v3/{api/v1|apis/g/v}` and
// `/openapi/v2`, with the caching kubectl relies on. A document asked for by its current
// `?hash=` never changes, so it may be cached for good (kubectl keeps it on disk); a stale hash
// is redirected to the current one, as kube-apiserver does; everything else is revalidated
// with its ETag.
//
// `/openapi/v2` is JSON. client-go asks for it only as gnostic protobuf, and only when v3 is
// missing (kubectl 1.27+ explains, validates and builds apply patches from v3), and it fails on
// a JSON answer; so a request that accepts protobuf alone gets 406 rather than a body it
// would misparse. `kubectl get --raw /openapi/v2` and other JSON clients get the document.

import type { Express, Request, Response } from 'express';
import { ApiError } from '../errors.js';
import type { OpenAPIDocuments, Rendered } from './documents.js';

const YEAR_MS = 365 * 24 * 3600 * 1000;

function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((part) => {
    const type = part.split(';')[0]!.trim().toLowerCase();
    return type === 'application/json' || type === 'application/*' || type === '*/*';
  });
}

/** Sends a document with its ETag; 304 when the client already holds it. */
function send(req: Request, res: Response, doc: Rendered): void {
  const etag = `"${doc.hash}"`;
  res.setHeader('ETag', etag);
  res.setHeader('Vary', 'Accept');
  if (req.headers['if-none-match'] === etag) {
    res.status(304).end();
    return;
  }
  res.status(200).type('application/json').send(doc.body);
}

function notAcceptable(what: string): ApiError {
  return new ApiError(406, 'NotAcceptable', `only application/json is served for ${what}`);
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
    if (!acceptsJson(req.headers.accept)) throw notAcceptable('/openapi/v2 (no protobuf)');
    res.setHeader('Cache-Control', 'no-cache, private');
    send(req, res, docs().swagger());
  });
}
