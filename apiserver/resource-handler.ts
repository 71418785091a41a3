// Serves every resource path: reads which kind/object/subresource the path names, builds the
// request context, and hands the request to the verb or the subresource handler.

import type { NextFunction, Request, Response } from 'express';
import type { KubeObject } from '../api/types.js';
import { decodeBody, readBody } from './body.js';
import { checkFields } from './field-validation.js';
import type { RequestContext, ServerParts, UserInfo } from './context.js';
import { ApiError, errors } from './errors.js';
import { parseResourcePath, type ResourceRequest } from './request-info.js';
import { sendJson, sendJsonPieces, sendList, sendObject, setWarnings, successStatus, wantsTable } from './respond.js';
import type { Seams } from './seams.js';
import { createObject } from './verbs/create.js';
import { deleteCollection, deleteObjectVerb, deleteOptions } from './verbs/delete.js';
import { getObject } from './verbs/get.js';
import { isWatch } from './verbs/list-options.js';
import { serveMetrics } from './metrics-api/handler.js';
import { isMetricsType } from './metrics-api/resources.js';
import { listBody, listObjects } from './verbs/list.js';
import { decodePatch, patchObject } from './verbs/patch.js';
import { updateObject } from './verbs/update.js';
import { serveWatch, type WatchRegistry } from './verbs/watch.js';

/** What the request does, in Kubernetes' verb names (metrics label, long-running check). */
export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection' | 'connect' | 'proxy';

export function verbOf(method: string, info: ResourceRequest, query: URLSearchParams): Verb {
  const subresourceConnect = info.subresource !== undefined && ['log', 'exec', 'attach', 'portforward', 'proxy'].includes(info.subresource);
  if (subresourceConnect) return info.subresource === 'proxy' ? 'proxy' : 'connect';
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (info.watchPrefix || isWatch(query)) return 'watch';
      return info.name === undefined ? 'list' : 'get';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return info.name === undefined ? 'deletecollection' : 'delete';
    default:
      throw errors.methodNotAllowed(`the server does not allow this method on the requested resource: ${method}`);
  }
}

function isDryRun(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  for (const v of values) if (v !== 'All') throw errors.badRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`);
  return values.length > 0;
}

export interface ResourceHandlerDeps {
  parts: ServerParts;
  seams: Seams;
  watches: WatchRegistry;
}

/** Builds the request context for `req`, or undefined when its path is not a resource path. */
export function resourceContext(method: string, rawUrl: string, parts: ServerParts, user: UserInfo): ClassifiedRequest | undefined {
  const url = new URL(rawUrl, 'https://apiserver.invalid');
  const info = parseResourcePath(url.pathname, parts.registry);
  if (!info) return undefined;
  const query = url.searchParams;
  if (info.type.namespaced && info.namespace === undefined && info.name !== undefined) {
    throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${info.type.resource} are namespaced: use /namespaces/{namespace}/${info.type.resource}/${info.name})`);
  }
  const verb = verbOf(method, info, query);
  const ctx: RequestContext = {
    ...parts,
    type: info.type,
    namespace: info.namespace,
    name: info.name,
    subresource: info.subresource,
    query,
    user,
    dryRun: isDryRun(query),
    warnings: [],
  };
  return { ctx, info, verb };
}

function subresourcePath(ctx: RequestContext): string {
  const base = ctx.type.group === '' ? ctx.type.resource : `${ctx.type.resource}.${ctx.type.group}`;
  return `${base}/${ctx.subresource}`;
}

export async function handleResource(
  deps: ResourceHandlerDeps,
  ctx: RequestContext,
  verb: Verb,
  req: Request,
  res: Response,
): Promise<void> {
  const { seams } = deps;
  const accept = req.headers.accept;
  const limit = ctx.config.maxRequestBodyBytes;

  if (ctx.subresource !== undefined) {
    const path = subresourcePath(ctx);
    const handler = seams.subresources.find((h) => h.path === path);
    if (!handler) throw new ApiError(404, 'NotFound', `the server could not find the requested resource (no handler for ${path})`);
    if (!handler.methods.includes(req.method)) throw errors.methodNotAllowed(`${req.method} is not supported on ${path}`);
    await handler.handle(ctx, req, res);
    return;
  }

  if (!ctx.type.verbs.includes(verb)) {
    throw errors.methodNotAllowed(`${verb} is not supported on ${ctx.type.resource}${ctx.type.group ? `.${ctx.type.group}` : ''}`);
  }
  // metrics.k8s.io is answered live from the kubelets, never from storage.
  if (isMetricsType(ctx.type)) {
    await serveMetrics(ctx, seams, verb, res);
    return;
  }

  switch (verb) {
    case 'get':
      sendObject(ctx, seams, res, 200, await getObject(ctx), accept);
      return;
    case 'list': {
      const body = seams.toTable && wantsTable(accept) ? undefined : await listBody(ctx, seams);
      if (body !== undefined) {
        setWarnings(res, ctx.warnings);
        await sendJsonPieces(res, 200, body);
        return;
      }
      sendList(ctx, seams, res, await listObjects(ctx, seams), accept);
      return;
    }
    case 'watch':
      await serveWatch(ctx, seams, req, res, deps.watches);
      return;
    case 'create': {
      if (ctx.name !== undefined) throw errors.methodNotAllowed(`POST is not supported on a single ${ctx.type.singular}; POST to the collection`);
      const { obj, duplicates } = decodeBody(await readBody(req, limit), req.headers['content-type']);
      checkFields(ctx, obj, duplicates);
      sendObject(ctx, seams, res, 201, await createObject(ctx, seams, obj as KubeObject), accept);
      return;
    }
    case 'update': {
      if (ctx.name === undefined) throw errors.methodNotAllowed('PUT is not supported on a collection');
      const { obj, duplicates } = decodeBody(await readBody(req, limit), req.headers['content-type']);
      checkFields(ctx, obj, duplicates);
      sendObject(ctx, seams, res, 200, await updateObject(ctx, seams, obj as KubeObject), accept);
      return;
    }
    case 'patch': {
      if (ctx.name === undefined) throw errors.methodNotAllowed('PATCH is not supported on a collection');
      const patch = decodePatch(await readBody(req, limit), req.headers['content-type']);
      const { object, created } = await patchObject(ctx, seams, patch);
      sendObject(ctx, seams, res, created ? 201 : 200, object, accept);
      return;
    }
    case 'delete': {
      const opts = deleteOptions(await readBody(req, limit), req.headers['content-type'], ctx.query);
      const { obj, deleted } = await deleteObjectVerb(ctx, seams, opts);
      setWarnings(res, ctx.warnings);
      if (deleted) {
        const meta = obj.metadata ?? {};
        sendJson(res, 200, successStatus({ name: meta.name, group: ctx.type.group, kind: ctx.type.resource, uid: meta.uid }));
      } else {
        // Still there (finalizers or a grace period): answer the object as it now stands.
        sendJson(res, 200, obj);
      }
      return;
    }
    case 'deletecollection': {
      const opts = deleteOptions(await readBody(req, limit), req.headers['content-type'], ctx.query);
      sendJson(res, 200, await deleteCollection(ctx, seams, opts));
      return;
    }
    default:
      throw errors.methodNotAllowed(`${verb} is not supported here`);
  }
}

export interface ClassifiedRequest {
  ctx: RequestContext;
  info: ResourceRequest;
  verb: Verb;
}

/** Reads the resource, verb and context of a request early, for limits and metrics; other paths pass through. */
export function classifyMiddleware(parts: ServerParts) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const found = resourceContext(req.method, req.originalUrl, parts, res.locals.user as UserInfo);
    if (found) {
      found.ctx.userAgent = req.headers['user-agent'];
      res.locals.request = found;
      res.locals.verb = found.verb;
      res.locals.resource = found.ctx.type.resource;
      res.locals.subresource = found.ctx.subresource ?? '';
    }
    next();
  };
}

/** Serves classified resource requests; anything else falls through (to discovery or 404). */
export function resourceMiddleware(deps: ResourceHandlerDeps) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const found = res.locals.request as ClassifiedRequest | undefined;
    if (!found) {
      next();
      return;
    }
    await handleResource(deps, found.ctx, found.verb, req, res);
  };
}
