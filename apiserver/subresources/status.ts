// `{resource}/{name}/status` for every kind with a status: GET answers the object; PUT and
// PATCH change `.status` only — spec and metadata come from the stored object, as upstream's
// status strategies reset them — so controllers and kubelets report without racing spec edits.

import type { Request, Response } from 'express';
import { BUILTIN_RESOURCES, type ResourceType } from '../../api/resources.js';
import { fieldsOf, mutableMeta, type KubeObject } from '../../api/types.js';
import { runAdmission } from '../admission/index.js';
import { APPLY_PATCH, decodeApplyPatch, prepareApply } from '../apply/apply-patch.js';
import { fieldManagerOf, recordWrite } from '../apply/field-manager.js';
import { mediaType, readBody } from '../body.js';
import type { RequestContext, SubresourceHandler } from '../context.js';
import { errors } from '../errors.js';
import { sendJson } from '../respond.js';
import { applyPatch, readObject, readPatch } from './body.js';

/** `pods`, or `deployments.apps` for other groups: how handlers are keyed. */
export function handlerResource(type: Pick<ResourceType, 'group' | 'resource'>): string {
  return type.group ? `${type.resource}.${type.group}` : type.resource;
}

/** The stored object with `desired.status` in place of its own. */
export function withStatusOf(current: KubeObject, desired: KubeObject): KubeObject {
  const next = structuredClone(current);
  const status = fieldsOf(desired).status;
  if (status === undefined) delete fieldsOf(next).status;
  else fieldsOf(next).status = structuredClone(status);
  return next;
}

/** `track` sets managedFields on the checked object: an Update entry for the writer by default, an Apply entry for an apply. */
async function writeStatus(ctx: RequestContext, desiredFrom: (current: KubeObject) => KubeObject, options: 'UpdateOptions' | 'PatchOptions', track?: (next: KubeObject, current: KubeObject) => void): Promise<KubeObject> {
  const { type, namespace } = ctx;
  const name = ctx.name!;
  const manager = fieldManagerOf(ctx, options);
  const record = track ?? ((next: KubeObject, current: KubeObject) => recordWrite(ctx, manager, next, current));
  const compute = async (current: KubeObject): Promise<KubeObject> => {
    const desired = desiredFrom(current);
    const meta = desired.metadata ?? {};
    if (meta.name !== undefined && meta.name !== name) {
      throw errors.badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
    }
    if (meta.uid && meta.uid !== current.metadata?.uid) {
      throw errors.conflict(type.resource, type.group, name, `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${current.metadata?.uid ?? ''}`);
    }
    // A resourceVersion in the body is an optimistic-concurrency precondition, as on the main resource.
    if (meta.resourceVersion && meta.resourceVersion !== current.metadata?.resourceVersion) throw errors.conflict(type.resource, type.group, name);
    const next = withStatusOf(current, desired);
    await runAdmission('validate', { operation: 'UPDATE', type, namespace, name, subresource: 'status', obj: next, oldObj: current, user: ctx.user, dryRun: ctx.dryRun }, ctx);
    // The writer owns the status fields it changed (an entry with subresource `status`).
    record(next, current);
    return next;
  };
  if (ctx.dryRun) return compute(await ctx.store.get(type, namespace, name));
  return ctx.store.guaranteedUpdate(type, namespace, name, compute);
}

export function statusHandler(type: ResourceType): SubresourceHandler {
  return {
    path: `${handlerResource(type)}/status`,
    methods: ['GET', 'PUT', 'PATCH'],
    async handle(ctx: RequestContext, req: Request, res: Response): Promise<void> {
      const name = ctx.name!;
      switch (req.method) {
        case 'GET':
          sendJson(res, 200, await ctx.store.get(ctx.type, ctx.namespace, name));
          return;
        case 'PUT': {
          const body = (await readObject(ctx, req)) as KubeObject;
          sendJson(res, 200, await writeStatus(ctx, () => body, 'UpdateOptions'));
          return;
        }
        default: {
          if (mediaType(req.headers['content-type']) === APPLY_PATCH) {
            const apply = prepareApply(ctx, decodeApplyPatch(await readBody(req, ctx.config.maxRequestBodyBytes)));
            sendJson(res, 200, await writeStatus(ctx, apply.desired, 'PatchOptions', apply.track));
            return;
          }
          const patch = await readPatch(ctx, req);
          sendJson(res, 200, await writeStatus(ctx, (current) => {
            const base = structuredClone(current);
            // Patches apply to the current state; only an rv the client names is a precondition.
            delete mutableMeta(base).resourceVersion;
            return applyPatch(base, patch);
          }, 'PatchOptions'));
        }
      }
    },
  };
}

/** One status handler per built-in kind that has a status subresource. */
export const statusHandlers: SubresourceHandler[] = BUILTIN_RESOURCES.filter((t) => t.subresources.includes('status')).map(statusHandler);
