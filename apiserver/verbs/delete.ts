// DELETE of an object or a collection. Options come from a DeleteOptions body or the query;
// what a delete means (finalizers, grace periods, propagation) is the deletion module's job.

import { apiVersionOf } from '../../api/resources.js';
import type { KubeList, KubeObject } from '../../api/types.js';
import { decodeObject } from '../body.js';
import type { RequestContext } from '../context.js';
import { errors } from '../errors.js';
import type { DeleteOptions, Seams } from '../seams.js';
import { listOptions } from './list-options.js';

const POLICIES = new Set(['Orphan', 'Background', 'Foreground']);

function intOption(v: unknown, name: string): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n)) throw errors.badRequest(`${name} must be an integer, got ${JSON.stringify(v)}`);
  return n;
}

/** DeleteOptions from the body when there is one, else from the query parameters. */
export function deleteOptions(body: Buffer, contentType: string | undefined, query: URLSearchParams): DeleteOptions {
  const raw: Record<string, unknown> = body.length > 0 && body.toString('utf8').trim() !== '' ? decodeObject(body, contentType) : {};
  const pick = (name: string): unknown => raw[name] ?? query.get(name) ?? undefined;
  const opts: DeleteOptions = {};
  const grace = intOption(pick('gracePeriodSeconds'), 'gracePeriodSeconds');
  if (grace !== undefined) {
    if (grace < 0) throw errors.badRequest('gracePeriodSeconds must be greater than or equal to 0');
    opts.gracePeriodSeconds = grace;
  }
  const policy = pick('propagationPolicy');
  if (policy !== undefined) {
    if (typeof policy !== 'string' || !POLICIES.has(policy)) {
      throw errors.badRequest(`propagationPolicy: Unsupported value: ${JSON.stringify(policy)}: supported values: "Foreground", "Background", "Orphan"`);
    }
    opts.propagationPolicy = policy as DeleteOptions['propagationPolicy'];
  }
  const orphan = pick('orphanDependents');
  if (orphan !== undefined) {
    opts.orphanDependents = orphan === true || orphan === 'true';
    if (opts.propagationPolicy) throw errors.badRequest('orphanDependents and propagationPolicy cannot both be set');
  }
  const pre = raw.preconditions;
  if (pre !== undefined && pre !== null) {
    if (typeof pre !== 'object') throw errors.badRequest('preconditions must be an object');
    const { uid, resourceVersion } = pre as { uid?: unknown; resourceVersion?: unknown };
    opts.preconditions = {};
    if (typeof uid === 'string' && uid !== '') opts.preconditions.uid = uid;
    if (typeof resourceVersion === 'string' && resourceVersion !== '') opts.preconditions.resourceVersion = resourceVersion;
  }
  const dryRun = raw.dryRun ?? query.getAll('dryRun');
  if (Array.isArray(dryRun) && dryRun.length > 0) opts.dryRun = dryRun.map(String);
  return opts;
}

export async function deleteObjectVerb(ctx: RequestContext, seams: Seams, opts: DeleteOptions): Promise<{ obj: KubeObject; deleted: boolean }> {
  return seams.deleteObject(ctx, opts);
}

/** Deletes every object the selectors pick, one by one; answers the list of what was deleted. */
export async function deleteCollection(ctx: RequestContext, seams: Seams, opts: DeleteOptions): Promise<KubeList> {
  const list = await ctx.store.list(ctx.type, { ...listOptions(ctx, seams), limit: undefined, continue: undefined });
  const items: KubeObject[] = [];
  for (const item of list.items) {
    const name = item.metadata?.name ?? '';
    const namespace = item.metadata?.namespace;
    try {
      const { obj } = await seams.deleteObject({ ...ctx, name, namespace }, opts);
      items.push(obj);
    } catch (err) {
      // Gone already (another deleter won): nothing left to do for it.
      if ((err as { reason?: string }).reason !== 'NotFound') throw err;
    }
  }
  return { apiVersion: apiVersionOf(ctx.type), kind: `${ctx.type.kind}List`, metadata: { resourceVersion: list.metadata.resourceVersion }, items };
}
