// `deployments/{name}/scale` and `replicasets/{name}/scale`: the object seen as an
// autoscaling/v1 Scale (spec.replicas, status.replicas, status.selector as a selector string).
// `kubectl scale` PATCHes it with a merge patch; PUT replaces spec.replicas. Only
// `spec.replicas` of the object changes, and its generation moves with it.

import type { Request, Response } from 'express';
import { mutableMeta, type KubeObject, type Scale } from '../../api/types.js';
import { APPLY_PATCH, decodeApplyPatch, prepareApply, scaleAppliedAsObject, type PreparedApply } from '../apply/apply-patch.js';
import { fieldManagerOf, recordWrite } from '../apply/field-manager.js';
import { mediaType, readBody } from '../body.js';
import type { RequestContext, SubresourceHandler } from '../context.js';
import { errors } from '../errors.js';
import { sendJson } from '../respond.js';
import { formatLabelSelector } from '../tables/humanize.js';
import { applyPatch, readObject, readPatch } from './body.js';

/** The part of a Deployment or ReplicaSet a Scale reads. */
interface Scalable extends KubeObject {
  spec?: { replicas?: number; selector?: Parameters<typeof formatLabelSelector>[0] };
  status?: { replicas?: number };
}

export function scaleOf(obj: Scalable): Scale {
  const meta = obj.metadata ?? {};
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: { name: meta.name, namespace: meta.namespace, uid: meta.uid, resourceVersion: meta.resourceVersion, creationTimestamp: meta.creationTimestamp },
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: { replicas: obj.status?.replicas ?? 0, selector: formatLabelSelector(obj.spec?.selector) },
  };
}

/** The object with the Scale's replicas; 422 for a count that is not a whole number ≥ 0. */
export function applyScale(obj: Scalable, scale: Scale, name: string): Scalable {
  const replicas = scale.spec?.replicas;
  if (replicas === undefined || replicas === null || !Number.isInteger(replicas) || replicas < 0) {
    throw errors.invalid('Scale', 'autoscaling', name, [
      { field: 'spec.replicas', reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0` },
    ]);
  }
  const next = structuredClone(obj);
  if ((next.spec?.replicas ?? 0) !== replicas) {
    next.spec = { ...next.spec, replicas };
    const meta = mutableMeta(next);
    meta.generation = (meta.generation ?? 1) + 1;
  }
  return next;
}

/** `apply`: a server-side apply, which decides the replicas and the managedFields itself. */
async function writeScale(ctx: RequestContext, desiredFrom: (current: Scale) => Scale, options: 'UpdateOptions' | 'PatchOptions', apply?: PreparedApply): Promise<Scale> {
  const name = ctx.name!;
  const manager = fieldManagerOf(ctx, options);
  const compute = (current: KubeObject): KubeObject => {
    const desired = apply ? scaleOf(apply.desired(current) as Scalable) : desiredFrom(scaleOf(current as Scalable));
    const meta = desired.metadata ?? {};
    if (meta.name !== undefined && meta.name !== name) throw errors.badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
    if (meta.resourceVersion && meta.resourceVersion !== current.metadata?.resourceVersion) throw errors.conflict(ctx.type.resource, ctx.type.group, name);
    const next = applyScale(current as Scalable, desired, name);
    // The scaler owns spec.replicas (an entry with subresource `scale`).
    if (apply) apply.track(next);
    else recordWrite(ctx, manager, next, current);
    return next;
  };
  if (ctx.dryRun) return scaleOf(compute(await ctx.store.get(ctx.type, ctx.namespace, name)) as Scalable);
  return scaleOf((await ctx.store.guaranteedUpdate(ctx.type, ctx.namespace, name, compute)) as Scalable);
}

function scaleHandler(resource: string): SubresourceHandler {
  return {
    path: `${resource}/scale`,
    methods: ['GET', 'PUT', 'PATCH'],
    async handle(ctx: RequestContext, req: Request, res: Response): Promise<void> {
      switch (req.method) {
        case 'GET':
          sendJson(res, 200, scaleOf((await ctx.store.get(ctx.type, ctx.namespace, ctx.name!)) as Scalable));
          return;
        case 'PUT': {
          const body = (await readObject(ctx, req)) as unknown as Scale;
          sendJson(res, 200, await writeScale(ctx, () => body, 'UpdateOptions'));
          return;
        }
        default: {
          if (mediaType(req.headers['content-type']) === APPLY_PATCH) {
            const applied = scaleAppliedAsObject(ctx, decodeApplyPatch(await readBody(req, ctx.config.maxRequestBodyBytes)));
            sendJson(res, 200, await writeScale(ctx, (current) => current, 'PatchOptions', prepareApply(ctx, applied)));
            return;
          }
          const patch = await readPatch(ctx, req);
          sendJson(res, 200, await writeScale(ctx, (current) => {
            // The patch applies to the current Scale; only an rv the client names is a precondition.
            delete mutableMeta(current).resourceVersion;
            return applyPatch(current, patch);
          }, 'PatchOptions'));
        }
      }
    },
  };
}

export const scaleHandlers: SubresourceHandler[] = [scaleHandler('deployments.apps'), scaleHandler('replicasets.apps')];
