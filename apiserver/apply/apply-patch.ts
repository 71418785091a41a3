// PATCH with `application/apply-patch+yaml`: server-side apply of a configuration (YAML, or
// JSON which kubectl sends) to one object. It needs a `fieldManager`; it creates the object when
// there is none (201); otherwise the merge, pruning, conflicts and ownership of
// apply-config.ts, then the same checks as every update (defaulting, admission, validation,
// preconditions, dryRun) through updateWith.

import { apiVersionOf } from '../../api/resources.js';
import { mutableMeta, type KubeObject, type ManagedFieldsEntry } from '../../api/types.js';
import { decodeBody } from '../body.js';
import type { RequestContext } from '../context.js';
import { ApiError, errors } from '../errors.js';
import { checkFields } from '../field-validation.js';
import type { Seams } from '../seams.js';
import { createObject } from '../verbs/create.js';
import { updateWith } from '../verbs/update.js';
import { isDeepStrictEqual } from 'node:util';
import { applyConfig } from './apply-config.js';
import { fieldManagerOf, scopeOf, writerOf } from './field-manager.js';
import type { JsonObject } from './fields-of.js';
import { encodeManagedFields, startingManagers, type Manager } from './managers.js';
import { applyTypeFor, type ApplyType } from './schema.js';
import { recordUpdate, type WriteScope, type Writer } from './tracking.js';

export const APPLY_PATCH = 'application/apply-patch+yaml';

export interface AppliedConfiguration {
  config: JsonObject;
  /** Keys the body repeats, for fieldValidation. */
  duplicates: string[];
}

/** The body of an apply PATCH: one YAML (or JSON) object; 400 for anything else. */
export function decodeApplyPatch(body: Buffer): AppliedConfiguration {
  // JSON is YAML, but the JSON decoder is much faster for what kubectl sends.
  const json = /^\s*\{/.test(body.subarray(0, 64).toString('utf8'));
  const { obj, duplicates } = decodeBody(body, json ? 'application/json' : 'application/yaml');
  return { config: obj, duplicates };
}

/** `force=true|false`; only an apply may say it (422 otherwise, as upstream). */
export function forceOf(query: URLSearchParams, isApply: boolean): boolean {
  const raw = query.get('force');
  if (raw === null) return false;
  if (!isApply) {
    throw errors.invalid('PatchOptions', 'meta.k8s.io', '', [{ reason: 'FieldValueForbidden', field: 'force', message: 'Forbidden: may not be specified for non-apply patch' }]);
  }
  if (raw === 'true' || raw === '1' || raw === '') return true;
  if (raw === 'false' || raw === '0') return false;
  throw errors.badRequest(`force: invalid value "${raw}": must be true or false`);
}

/** Apply has no default manager: `fieldManager` is required (422, as upstream). */
function applyManagerOf(ctx: RequestContext): string {
  if (!ctx.query.get('fieldManager')) {
    throw errors.invalid('PatchOptions', 'meta.k8s.io', '', [{ reason: 'FieldValueRequired', field: 'fieldManager', message: 'Required value: is required for apply patch' }]);
  }
  return fieldManagerOf(ctx, 'PatchOptions');
}

/** The applied configuration names this kind and object and carries no managedFields; 400 otherwise. */
export function checkAppliedConfig(ctx: RequestContext, config: JsonObject): void {
  const want = apiVersionOf(ctx.type);
  if (config.apiVersion === undefined || config.kind === undefined) {
    throw errors.badRequest('apiVersion and kind must be set in an apply patch');
  }
  if (config.apiVersion !== want) {
    throw errors.badRequest(`Incorrect version specified in apply patch. Specified patch version: ${String(config.apiVersion)}, expected: ${want}`);
  }
  if (config.kind !== ctx.type.kind) {
    throw errors.badRequest(`the kind in the apply patch (${String(config.kind)}) does not match the expected kind (${ctx.type.kind})`);
  }
  const meta = config.metadata;
  if (meta !== undefined && (meta === null || typeof meta !== 'object' || Array.isArray(meta))) throw errors.badRequest('metadata of an apply patch must be an object');
  const m = (meta ?? {}) as { name?: unknown; managedFields?: unknown };
  if (m.managedFields !== undefined && m.managedFields !== null) throw errors.badRequest('metadata.managedFields must be nil');
  if (m.name !== undefined && m.name !== ctx.name) {
    throw errors.badRequest(`the name of the object (${String(m.name)}) does not match the name on the URL (${ctx.name})`);
  }
}

/**
 * The stored object as an apply sees it: without managedFields, and without its
 * resourceVersion (only one the configuration names is a precondition). Shallow: applyConfig
 * copies before it changes anything.
 */
function liveForApply(current: KubeObject): JsonObject {
  const { managedFields: _m, resourceVersion: _rv, ...meta } = current.metadata ?? {};
  return { ...(current as JsonObject), metadata: meta };
}

/** Upstream's name for whoever set the fields of an object that had no managedFields before its first apply. */
export const BEFORE_FIRST_APPLY = 'before-first-apply';

/**
 * The stored managers; for an object nobody manages yet (written before managedFields were
 * kept, or with them cleared), an Update by `before-first-apply` owning all of it, so the first
 * apply still conflicts where it would change what is there, as upstream.
 */
function managersBeforeApply(live: JsonObject, current: KubeObject, input: { writer: Writer; type: ApplyType; scope: WriteScope }): Manager[] {
  const stored = startingManagers(current.metadata?.managedFields, undefined, '');
  if (stored.length > 0) return stored;
  const writer = { ...input.writer, manager: BEFORE_FIRST_APPLY, subresource: '' };
  return recordUpdate([], undefined, live, writer, input.type, { ...input.scope, subresource: '' });
}

/**
 * One apply, checked and ready for a write: `desired(current)` merges the configuration into
 * the stored object (throwing 409 on conflicts), `created()` is the object an apply to nothing
 * makes, and `track(next)` puts the resulting managedFields on the object once it has been
 * defaulted, admitted and validated.
 */
export interface PreparedApply {
  desired(current: KubeObject): KubeObject;
  created(): KubeObject;
  track(next: KubeObject): void;
}

export function prepareApply(ctx: RequestContext, applied: AppliedConfiguration): PreparedApply {
  const force = forceOf(ctx.query, true);
  const manager = applyManagerOf(ctx);
  checkAppliedConfig(ctx, applied.config);
  checkFields(ctx, applied.config, applied.duplicates);
  const input = { config: applied.config, writer: writerOf(ctx, manager), force, type: applyTypeFor(ctx.type, ctx.schemas), scope: scopeOf(ctx) };
  let entries: ManagedFieldsEntry[] = [];
  let stored: KubeObject | undefined;
  return {
    desired(current) {
      stored = current;
      const live = liveForApply(current);
      const out = applyConfig(live, managersBeforeApply(live, current, input), input);
      entries = encodeManagedFields(out.managers);
      return out.object as KubeObject;
    },
    created() {
      const out = applyConfig(undefined, [], input);
      entries = encodeManagedFields(out.managers);
      const obj = out.object as KubeObject;
      mutableMeta(obj).name = ctx.name;
      return obj;
    },
    track(next) {
      // Defaulting may put back what the merge took out (an atomic struct the manifest gives in
      // part): when the object ends up as it was, so do its entries, times included, and
      // nothing is written.
      if (stored && sameEntriesButTimes(entries, stored.metadata?.managedFields) && sameButManagedFields(stored, next)) entries = stored.metadata?.managedFields ?? [];
      if (entries.length > 0) mutableMeta(next).managedFields = entries;
      else delete mutableMeta(next).managedFields;
    },
  };
}

const withoutTime = (entries: readonly ManagedFieldsEntry[] | undefined): ManagedFieldsEntry[] => (entries ?? []).map(({ time: _time, ...rest }) => rest);

function sameEntriesButTimes(a: readonly ManagedFieldsEntry[], b: readonly ManagedFieldsEntry[] | undefined): boolean {
  return isDeepStrictEqual(withoutTime(a), withoutTime(b));
}

/** Equal apart from managedFields (and the resourceVersion, which the write sets). */
function sameButManagedFields(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, managedFields: undefined, resourceVersion: undefined } });
  return isDeepStrictEqual(strip(a), strip(b));
}

/**
 * An apply to `/scale` (an autoscaling/v1 Scale with `spec.replicas`) as the configuration of
 * the object itself: the Scale's replicas are the object's `spec.replicas`, so the Apply entry
 * (subresource `scale`) owns that field, and conflicts with whoever else does.
 */
export function scaleAppliedAsObject(ctx: RequestContext, applied: AppliedConfiguration): AppliedConfiguration {
  const { config } = applied;
  if (config.apiVersion !== 'autoscaling/v1' || config.kind !== 'Scale') {
    throw errors.badRequest(`an apply to the scale subresource must be an autoscaling/v1 Scale, not ${String(config.apiVersion)}/${String(config.kind)}`);
  }
  const meta = (config.metadata ?? {}) as { name?: unknown; resourceVersion?: unknown };
  if (meta.name !== undefined && meta.name !== ctx.name) {
    throw errors.badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${ctx.name})`);
  }
  const spec = (config.spec ?? {}) as { replicas?: unknown };
  const own: JsonObject = { name: ctx.name, ...(typeof meta.resourceVersion === 'string' ? { resourceVersion: meta.resourceVersion } : {}) };
  const object: JsonObject = { apiVersion: apiVersionOf(ctx.type), kind: ctx.type.kind, metadata: own };
  if (spec.replicas !== undefined) object.spec = { replicas: spec.replicas };
  return { config: object, duplicates: applied.duplicates };
}

/** Applies `applied` to the object the request names; `created` when it did not exist. */
export async function applyPatchObject(ctx: RequestContext, seams: Seams, applied: AppliedConfiguration): Promise<{ object: KubeObject; created: boolean }> {
  const apply = prepareApply(ctx, applied);
  for (let attempt = 0; ; attempt++) {
    try {
      return { object: await updateWith(ctx, seams, apply.desired, apply.track), created: false };
    } catch (err) {
      if (!(err instanceof ApiError && err.reason === 'NotFound' && err.details?.name === ctx.name) || attempt > 0) throw err;
    }
    try {
      return { object: await createObject(ctx, seams, apply.created(), apply.track), created: true };
    } catch (err) {
      // Created by someone else in between: apply to what is there now.
      if (!(err instanceof ApiError && err.reason === 'AlreadyExists')) throw err;
    }
  }
}
