// Query parameters of list and watch requests, checked as upstream checks them.

import type { RequestContext } from '../context.js';
import { errors } from '../errors.js';
import type { Seams } from '../seams.js';
import type { ListOptions, ObjectFilter, WatchOptions } from '../storage/store.js';

function flag(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  return v === '1' || v === 'true';
}

export function isWatch(query: URLSearchParams): boolean {
  return flag(query, 'watch');
}

/** The selectors of the request, plus `metadata.name` when a single object is watched. */
export function requestFilter(ctx: RequestContext, seams: Seams): ObjectFilter | undefined {
  let fieldSelector = ctx.query.get('fieldSelector') ?? '';
  if (ctx.name !== undefined) {
    const byName = `metadata.name=${ctx.name.replace(/[\\,=]/g, (c) => `\\${c}`)}`;
    fieldSelector = fieldSelector ? `${fieldSelector},${byName}` : byName;
  }
  return seams.selectorFilter(ctx.type, ctx.query.get('labelSelector') ?? '', fieldSelector);
}

export function listOptions(ctx: RequestContext, seams: Seams): ListOptions {
  const q = ctx.query;
  const opts: ListOptions = { namespace: ctx.namespace, filter: requestFilter(ctx, seams) };
  const limit = q.get('limit');
  if (limit !== null && limit !== '') {
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 0) throw errors.badRequest(`invalid limit "${limit}": must be a non-negative integer`);
    if (n > 0) opts.limit = n;
  }
  const cont = q.get('continue');
  if (cont) opts.continue = cont;
  const rv = q.get('resourceVersion');
  if (rv !== null) opts.resourceVersion = rv;
  const match = q.get('resourceVersionMatch');
  if (match) {
    if (match !== 'NotOlderThan' && match !== 'Exact') throw errors.badRequest(`resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
    if (!rv) throw errors.badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
    if (cont) throw errors.badRequest('resourceVersionMatch is forbidden when continue is provided');
    if (match === 'Exact' && rv === '0') throw errors.badRequest('resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
    opts.resourceVersionMatch = match;
  }
  if (cont && rv && rv !== '0') throw errors.badRequest('specifying resource version is not allowed when using continue');
  return opts;
}

export function watchOptions(ctx: RequestContext, seams: Seams): WatchOptions {
  const q = ctx.query;
  const opts: WatchOptions = { namespace: ctx.namespace, filter: requestFilter(ctx, seams) };
  const rv = q.get('resourceVersion');
  if (rv !== null) opts.resourceVersion = rv;
  if (flag(q, 'allowWatchBookmarks')) opts.allowWatchBookmarks = true;
  const initial = q.get('sendInitialEvents');
  if (initial !== null) {
    const send = initial === 'true' || initial === '1';
    if (send && q.get('resourceVersionMatch') !== 'NotOlderThan') {
      throw errors.badRequest('sendInitialEvents requires setting resourceVersionMatch to NotOlderThan');
    }
    if (send && !opts.allowWatchBookmarks) throw errors.badRequest('sendInitialEvents requires allowWatchBookmarks=true');
    opts.sendInitialEvents = send;
  }
  return opts;
}

/** `timeoutSeconds`, in ms; undefined when absent. */
export function watchTimeoutMs(query: URLSearchParams): number | undefined {
  const t = query.get('timeoutSeconds');
  if (t === null || t === '') return undefined;
  const n = Number(t);
  if (!Number.isFinite(n) || n < 0) throw errors.badRequest(`invalid timeoutSeconds "${t}"`);
  return n * 1000;
}
