// The `status` and `scale` subresources of a custom kind, as a CRD version declares them.
// /status changes `.status` only (spec and metadata come from the stored object), validated,
// pruned and defaulted by the version's schema. /scale shows the object as an autoscaling/v1
// Scale through the CRD's specReplicasPath, statusReplicasPath and labelSelectorPath, and
// writes only the replicas at specReplicasPath (`kubectl scale` works on custom kinds).

import type { Request, Response } from 'express';
import type { CustomResourceSubresourceScale } from 'kubernetes-types/apiextensions/v1.js';
import { fieldsOf, mutableMeta, type KubeObject, type Scale } from '../../api/types.js';
import { APPLY_PATCH, decodeApplyPatch, prepareApply, type PreparedApply } from '../apply/apply-patch.js';
import { fieldManagerOf, recordWrite, type OptionsKind } from '../apply/field-manager.js';
import type { RequestContext, SubresourceHandler } from '../context.js';
import { errors } from '../errors.js';
import { mediaType, readBody } from '../body.js';
import { checkFields } from '../field-validation.js';
import { sendJson, setWarnings } from '../respond.js';
import { applyPatch, readObject, readPatch } from '../subresources/body.js';
import { handlerResource, withStatusOf } from '../subresources/status.js';
import type { CustomKind, CustomKinds, CustomVersion } from './custom-kind.js';
import { applySchemaDefaults, pruneNonNullableNulls } from './schema/defaults.js';
import { unknownCustomFields } from './schema/prune.js';
import { isPlainObject } from './schema/schema.js';
import { validateCustomObject } from './schema/validate.js';

function versionOf(kinds: CustomKinds, ctx: RequestContext): CustomVersion {
  const found = kinds.lookup(ctx.type);
  if (!found) throw errors.notFound(ctx.type.resource, ctx.type.group, ctx.name ?? '');
  return found.version;
}

/** Reads, changes and writes one object (or only computes the result under dryRun). */
async function write(ctx: RequestContext, change: (current: KubeObject) => KubeObject): Promise<KubeObject> {
  const name = ctx.name!;
  if (ctx.dryRun) return change(await ctx.store.get(ctx.type, ctx.namespace, name));
  return ctx.store.guaranteedUpdate(ctx.type, ctx.namespace, name, change);
}

/** Name, uid and resourceVersion in a body are preconditions, as on the main resource. */
function checkPreconditions(ctx: RequestContext, desired: KubeObject, current: KubeObject): void {
  const meta = desired.metadata ?? {};
  const name = ctx.name!;
  if (meta.name !== undefined && meta.name !== name) throw errors.badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
  if (meta.uid && meta.uid !== current.metadata?.uid) {
    throw errors.conflict(ctx.type.resource, ctx.type.group, name, `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${current.metadata?.uid ?? ''}`);
  }
  if (meta.resourceVersion && meta.resourceVersion !== current.metadata?.resourceVersion) throw errors.conflict(ctx.type.resource, ctx.type.group, name);
}

/** Pruned, defaulted and validated by the version's schema; 422 with every failing path. */
export function checkAgainstSchema(ctx: RequestContext, version: CustomVersion, obj: KubeObject): void {
  unknownCustomFields(version.schema, fieldsOf(obj), { prune: true });
  pruneNonNullableNulls(version.schema, obj);
  applySchemaDefaults(version.schema, obj);
  const causes = validateCustomObject(version.schema, fieldsOf(obj));
  if (causes.length > 0) throw errors.invalid(ctx.type.kind, ctx.type.group, ctx.name ?? '', causes);
}

function statusHandler(kinds: CustomKinds, kind: CustomKind): SubresourceHandler {
  // `apply`: a server-side apply, which decides the object and its managedFields itself.
  const writeStatus = (ctx: RequestContext, desiredFrom: (current: KubeObject) => KubeObject, options: OptionsKind, apply?: PreparedApply) => {
    const version = versionOf(kinds, ctx);
    const manager = fieldManagerOf(ctx, options);
    return write(ctx, (current) => {
      const desired = desiredFrom(current);
      checkPreconditions(ctx, desired, current);
      const next = withStatusOf(current, desired);
      // fieldValidation applies to /status as to the main resource (Strict refuses unknown status fields).
      checkFields(ctx, fieldsOf(next));
      checkAgainstSchema(ctx, version, next);
      if (apply) apply.track(next);
      else recordWrite(ctx, manager, next, current);
      return next;
    });
  };
  const send = (ctx: RequestContext, res: Response, obj: KubeObject) => {
    setWarnings(res, ctx.warnings);
    sendJson(res, 200, obj);
  };
  return {
    path: `${handlerResource(kind)}/status`,
    methods: ['GET', 'PUT', 'PATCH'],
    async handle(ctx: RequestContext, req: Request, res: Response): Promise<void> {
      if (!versionOf(kinds, ctx).status) throw errors.notFound(`${ctx.type.resource}/status`, ctx.type.group, ctx.name!);
      if (req.method === 'GET') {
        sendJson(res, 200, await ctx.store.get(ctx.type, ctx.namespace, ctx.name!));
        return;
      }
      if (req.method === 'PUT') {
        const body = (await readObject(ctx, req)) as KubeObject;
        send(ctx, res, await writeStatus(ctx, () => body, 'UpdateOptions'));
        return;
      }
      if (mediaType(req.headers['content-type']) === APPLY_PATCH) {
        const apply = prepareApply(ctx, decodeApplyPatch(await readBody(req, ctx.config.maxRequestBodyBytes)));
        send(ctx, res, await writeStatus(ctx, apply.desired, 'PatchOptions', apply));
        return;
      }
      const patch = await readPatch(ctx, req);
      send(ctx, res, await writeStatus(ctx, (current) => {
        const base = structuredClone(current);
        delete mutableMeta(base).resourceVersion;
        return applyPatch(base, patch);
      }, 'PatchOptions'));
    },
  };
}

/** The keys of a `.spec.replicas`-style path (the CRD validation allows only simple paths here). */
function keysOf(path: string): string[] {
  return path.replace(/^\./, '').split('.').filter((k) => k !== '');
}

function readAt(obj: unknown, path: string): unknown {
  let v = obj;
  for (const k of keysOf(path)) v = isPlainObject(v) ? v[k] : undefined;
  return v;
}

function writeAt(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = keysOf(path);
  let v = obj;
  for (const k of keys.slice(0, -1)) {
    if (!isPlainObject(v[k])) v[k] = {};
    v = v[k] as Record<string, unknown>;
  }
  v[keys[keys.length - 1]] = value;
}

export function customScaleOf(obj: KubeObject, scale: CustomResourceSubresourceScale): Scale {
  const meta = obj.metadata ?? {};
  const specReplicas = readAt(obj, scale.specReplicasPath);
  const statusReplicas = readAt(obj, scale.statusReplicasPath);
  const selector = scale.labelSelectorPath ? readAt(obj, scale.labelSelectorPath) : undefined;
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: { name: meta.name, namespace: meta.namespace, uid: meta.uid, resourceVersion: meta.resourceVersion, creationTimestamp: meta.creationTimestamp },
    spec: { replicas: typeof specReplicas === 'number' ? specReplicas : 0 },
    status: { replicas: typeof statusReplicas === 'number' ? statusReplicas : 0, ...(typeof selector === 'string' ? { selector } : {}) },
  };
}

function scaleHandler(kinds: CustomKinds, kind: CustomKind): SubresourceHandler {
  const writeScale = async (ctx: RequestContext, desiredFrom: (current: Scale) => Scale, options: OptionsKind): Promise<Scale> => {
    const version = versionOf(kinds, ctx);
    const scale = version.scale!;
    const manager = fieldManagerOf(ctx, options);
    const next = await write(ctx, (current) => {
      const desired = desiredFrom(customScaleOf(current, scale));
      checkPreconditions(ctx, desired as KubeObject, current);
      const replicas = desired.spec?.replicas;
      if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
        throw errors.invalid('Scale', 'autoscaling', ctx.name!, [
          { field: 'spec.replicas', reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0` },
        ]);
      }
      if (readAt(current, scale.specReplicasPath) === replicas) return current;
      const updated = structuredClone(current);
      writeAt(fieldsOf(updated), scale.specReplicasPath, replicas);
      const meta = mutableMeta(updated);
      meta.generation = (meta.generation ?? 1) + 1;
      checkAgainstSchema(ctx, version, updated);
      recordWrite(ctx, manager, updated, current);
      return updated;
    });
    return customScaleOf(next, scale);
  };
  return {
    path: `${handlerResource(kind)}/scale`,
    methods: ['GET', 'PUT', 'PATCH'],
    async handle(ctx: RequestContext, req: Request, res: Response): Promise<void> {
      const scale = versionOf(kinds, ctx).scale;
      if (!scale) throw errors.notFound(`${ctx.type.resource}/scale`, ctx.type.group, ctx.name!);
      if (req.method === 'GET') {
        sendJson(res, 200, customScaleOf(await ctx.store.get(ctx.type, ctx.namespace, ctx.name!), scale));
        return;
      }
      if (req.method === 'PUT') {
        const body = (await readObject(ctx, req)) as unknown as Scale;
        sendJson(res, 200, await writeScale(ctx, () => body, 'UpdateOptions'));
        return;
      }
      const patch = await readPatch(ctx, req);
      sendJson(res, 200, await writeScale(ctx, (current) => {
        delete mutableMeta(current).resourceVersion;
        return applyPatch(current, patch);
      }, 'PatchOptions'));
    },
  };
}

/** The subresource handlers a custom kind's versions declare (any version declaring one serves it). */
export function customSubresourceHandlers(kinds: CustomKinds, kind: CustomKind): SubresourceHandler[] {
  const versions = [...kind.versions.values()];
  const handlers: SubresourceHandler[] = [];
  if (versions.some((v) => v.status)) handlers.push(statusHandler(kinds, kind));
  if (versions.some((v) => v.scale)) handlers.push(scaleHandler(kinds, kind));
  return handlers;
}
