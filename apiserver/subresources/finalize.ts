// `namespaces/{name}/finalize`: the namespace controller's last step. PUT a Namespace and its
// `spec.finalizers` replace the stored ones (nothing else changes); a Terminating namespace
// whose list is now empty, and which has no metadata finalizers, is deleted.

import type { Request, Response } from 'express';
import type { KubeObject, Namespace } from '../../api/types.js';
import type { RequestContext, SubresourceHandler } from '../context.js';
import { finalizeIfDone } from '../deletion.js';
import { errors } from '../errors.js';
import { sendJson } from '../respond.js';
import { readObject } from './body.js';

/** The stored namespace with the finalizers of `desired`; pure. */
export function withFinalizers(current: Namespace, desired: Namespace): Namespace {
  const next = structuredClone(current);
  const finalizers = desired.spec?.finalizers ?? [];
  next.spec = { ...(next.spec ?? {}), finalizers };
  if (finalizers.length === 0) delete next.spec.finalizers;
  return next;
}

export const finalizeHandler: SubresourceHandler = {
  path: 'namespaces/finalize',
  methods: ['PUT'],
  async handle(ctx: RequestContext, req: Request, res: Response): Promise<void> {
    const name = ctx.name!;
    const desired = (await readObject(ctx, req)) as unknown as Namespace;
    const compute = (current: KubeObject): KubeObject => {
      const meta = desired.metadata ?? {};
      if (meta.name !== undefined && meta.name !== name) throw errors.badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
      if (meta.resourceVersion && meta.resourceVersion !== current.metadata?.resourceVersion) throw errors.conflict('namespaces', '', name);
      return withFinalizers(current as Namespace, desired);
    };
    const stored = ctx.dryRun ? compute(await ctx.store.get(ctx.type, undefined, name)) : await ctx.store.guaranteedUpdate(ctx.type, undefined, name, compute);
    // Emptied while Terminating: the namespace is done.
    const gone = await finalizeIfDone(ctx, stored);
    sendJson(res, 200, gone ?? stored);
  },
};
