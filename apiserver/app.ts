// The express application: unauthenticated health and version endpoints, authentication,
// request classification, in-flight limits, discovery, resource paths, and one error handler
// that turns every failure into a Status.

import express, { type NextFunction, type Request, type Response } from 'express';
import type { Authenticator } from './authn.js';
import type { ServerParts, UserInfo } from './context.js';
import {
  aggregatedContentType,
  aggregatedDiscovery,
  apiGroupDoc,
  apiGroupList,
  apiResourceList,
  apiVersions,
  discoveryETag,
  wantsAggregated,
} from './discovery.js';
import { ApiError, errors } from './errors.js';
import { OpenAPIDocuments } from './openapi/documents.js';
import { openAPIEndpoints } from './openapi/routes.js';
import { builtinCatalog } from '../api/schema-model.js';
import { healthHandler, type HealthEndpoint } from './health.js';
import { inflightLimiter, LONG_RUNNING_VERBS } from './inflight.js';
import type { RequestMetrics } from './metrics.js';
import { classifyMiddleware, resourceMiddleware } from './resource-handler.js';
import { sendJson, sendStatusError } from './respond.js';
import type { Seams } from './seams.js';
import { versionInfo } from './version.js';
import type { WatchRegistry } from './verbs/watch.js';

export interface AppDeps {
  parts: ServerParts;
  seams: Seams;
  authenticator: Authenticator;
  metrics: RequestMetrics;
  watches: WatchRegistry;
  limits: { readOnly: number; mutating: number };
  /** `host:port` clients should use, for `/api`'s serverAddressByClientCIDRs. */
  serverAddress: string;
  /** True once the system namespaces exist (a /readyz check). */
  namespacesReady: () => boolean;
  /** True once the stored CRDs are served again (a /readyz check, as upstream's crd-informer-synced). */
  crdsSynced?: () => boolean;
}

function healthEndpoints(app: express.Express, parts: ServerParts, namespacesReady: () => boolean, crdsSynced?: () => boolean): void {
  const ping = { name: 'ping', ok: () => true };
  const etcd = { name: 'etcd', ok: () => parts.store.healthy() };
  const bootstrap = { name: 'poststarthook/system-namespaces', ok: namespacesReady };
  const crds = crdsSynced ? [{ name: 'poststarthook/crd-informer-synced', ok: crdsSynced }] : [];
  const endpoints: HealthEndpoint[] = [
    { path: '/livez', checks: [ping], failureCode: 500 },
    { path: '/healthz', checks: [ping, etcd], failureCode: 500 },
    { path: '/readyz', checks: [ping, etcd, bootstrap, ...crds], failureCode: 503 },
  ];
  for (const endpoint of endpoints) {
    app.get(endpoint.path, healthHandler(endpoint));
    app.get(`${endpoint.path}/:check`, healthHandler(endpoint));
  }
  app.get('/version', (_req, res) => sendJson(res, 200, versionInfo()));
}

function discoveryEndpoints(app: express.Express, deps: AppDeps): void {
  const { registry } = deps.parts;
  const sendDiscovery = (req: Request, res: Response, core: boolean, plain: () => unknown) => {
    const aggregated = wantsAggregated(req.headers.accept);
    res.setHeader('Vary', 'Accept');
    if (aggregated) {
      const body = JSON.stringify(aggregatedDiscovery(registry, core, aggregated));
      // kubectl's HTTP cache revalidates with If-None-Match: unchanged kinds cost a 304, and
      // a CRD served or removed changes the tag at once.
      const etag = discoveryETag(body);
      res.setHeader('ETag', etag);
      res.setHeader('Content-Type', aggregatedContentType(aggregated));
      if (req.headers['if-none-match'] === etag) {
        res.status(304).end();
        return;
      }
      res.status(200).end(body);
      return;
    }
    sendJson(res, 200, plain());
  };
  app.get('/api', (req, res) => sendDiscovery(req, res, true, () => apiVersions(deps.serverAddress)));
  app.get('/apis', (req, res) => sendDiscovery(req, res, false, () => apiGroupList(registry)));
  app.get('/api/:version', (req, res) => {
    const doc = apiResourceList(registry, '', String(req.params.version));
    if (!doc) throw new ApiError(404, 'NotFound', `the server could not find the requested resource (no API version ${String(req.params.version)})`);
    sendJson(res, 200, doc);
  });
  app.get('/apis/:group', (req, res) => {
    const doc = apiGroupDoc(registry, String(req.params.group));
    if (!doc) throw new ApiError(404, 'NotFound', `the server could not find the requested resource (no API group ${String(req.params.group)})`);
    sendJson(res, 200, doc);
  });
  app.get('/apis/:group/:version', (req, res) => {
    const doc = apiResourceList(registry, String(req.params.group), String(req.params.version));
    if (!doc) throw new ApiError(404, 'NotFound', `the server could not find the requested resource (no API ${String(req.params.group)}/${String(req.params.version)})`);
    sendJson(res, 200, doc);
  });
}

/** Request counts and latencies, labelled once the request has been classified. */
function requestMetrics(metrics: RequestMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const start = process.hrtime.bigint();
    let longRunning: { verb: string; resource: string } | undefined;
    res.once('finish', () => record());
    res.once('close', () => record());
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      const verb = (res.locals.verb as string | undefined) ?? req.method.toLowerCase();
      const resource = (res.locals.resource as string | undefined) ?? '';
      const subresource = (res.locals.subresource as string | undefined) ?? '';
      metrics.requests.inc({ verb, resource, subresource, code: String(res.statusCode) });
      if (longRunning) metrics.longRunning.dec(longRunning);
      else metrics.duration.observe({ verb, resource, subresource }, Number(process.hrtime.bigint() - start) / 1e9);
    };
    res.locals.markLongRunning = () => {
      longRunning = { verb: res.locals.verb as string, resource: (res.locals.resource as string | undefined) ?? '' };
      metrics.longRunning.inc(longRunning);
    };
    next();
  };
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  app.use(requestMetrics(deps.metrics));
  healthEndpoints(app, deps.parts, deps.namespacesReady, deps.crdsSynced);

  app.use((req, res, next) => {
    const user: UserInfo | undefined = deps.authenticator.authenticate(req);
    if (!user) {
      next(errors.unauthorized());
      return;
    }
    res.locals.user = user;
    next();
  });
  app.get('/metrics', async (_req, res) => {
    res.type(deps.parts.metrics.contentType).send(await deps.parts.metrics.metrics());
  });
  app.use(classifyMiddleware(deps.parts));
  app.use((_req, res, next) => {
    if (LONG_RUNNING_VERBS.has(res.locals.verb as string)) (res.locals.markLongRunning as () => void)();
    next();
  });
  app.use(inflightLimiter(deps.limits, deps.metrics));
  app.use(resourceMiddleware({ parts: deps.parts, seams: deps.seams, watches: deps.watches }));
  discoveryEndpoints(app, deps);
  // Built on first request: a server nobody asks for OpenAPI never renders it.
  let openAPI: OpenAPIDocuments | undefined;
  openAPIEndpoints(app, () => (openAPI ??= new OpenAPIDocuments(deps.parts.registry, deps.parts.schemas ?? builtinCatalog())));

  app.use((req, _res, next) => {
    next(new ApiError(404, 'NotFound', `the server could not find the requested resource (${req.method} ${req.path})`));
  });
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const apiErr = toApiError(err);
    if (apiErr.code >= 500 && apiErr.reason === 'InternalError') {
      deps.parts.log.error({ err, method: req.method, path: req.path }, 'request failed');
    } else {
      deps.parts.log.debug({ code: apiErr.code, reason: apiErr.reason, method: req.method, path: req.path }, apiErr.message);
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // A refused body may still be arriving; close the connection rather than read it.
    if (apiErr.code === 413) res.setHeader('Connection', 'close');
    sendStatusError(res, apiErr);
  });
  return app;
}

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  // Errors express itself raises (say, a malformed URL) carry a 4xx status.
  const e = err as { status?: number; message?: string };
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return errors.badRequest(e.message ?? 'bad request');
  return errors.internal(e?.message ?? String(err));
}
