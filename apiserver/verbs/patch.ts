// PATCH of an object: JSON merge patch (RFC 7386), JSON patch (RFC 6902), strategic merge
// patch (built-in kinds) and server-side apply (apiserver/apply). The first three record an
// Update entry for the request's manager; a patch may rewrite managedFields itself (kubectl's
// client-side-apply upgrade sends a JSON patch of them).

import { patchMetaFor } from '../../api/patch-meta.js';
import { BUILTIN_RESOURCES, type ResourceType } from '../../api/resources.js';
import { mutableMeta, type KubeObject } from '../../api/types.js';
import { unknownFields } from '../../api/schema-model.js';
import { checkNesting, decodeJson, duplicateJsonKeys, mediaType } from '../body.js';
import type { RequestContext } from '../context.js';
import { ApiError, errors } from '../errors.js';
import { checkFields } from '../field-validation.js';
import { applyJsonPatch, applyMergePatch } from '../../client/patches.js';
import { strategicMergePatch } from '../patch/strategic.js';
import type { Seams } from '../seams.js';
import { APPLY_PATCH, applyPatchObject, decodeApplyPatch, forceOf } from '../apply/apply-patch.js';
import { updateTracking, updateWith } from './update.js';

const MERGE_PATCH = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';
const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';

export interface Patch {
  type: typeof MERGE_PATCH | typeof JSON_PATCH | typeof STRATEGIC_MERGE_PATCH | typeof APPLY_PATCH;
  body: unknown;
  /** Keys the (merge or strategic merge) patch repeats, for fieldValidation. */
  duplicates?: string[];
}

export function decodePatch(body: Buffer, contentType: string | undefined): Patch {
  const type = mediaType(contentType);
  if (type === APPLY_PATCH) {
    const { config, duplicates } = decodeApplyPatch(body);
    return { type, body: config, duplicates };
  }
  if (type !== MERGE_PATCH && type !== JSON_PATCH && type !== STRATEGIC_MERGE_PATCH) {
    throw new ApiError(415, 'UnsupportedMediaType', `the patch type "${type || '(none)'}" is not supported; this server accepts ${MERGE_PATCH}, ${JSON_PATCH}, ${STRATEGIC_MERGE_PATCH} and ${APPLY_PATCH}`);
  }
  const patch = decodeJson(body);
  checkNesting(patch);
  if (type === STRATEGIC_MERGE_PATCH && (patch === null || typeof patch !== 'object' || Array.isArray(patch))) throw errors.badRequest('a strategic merge patch must be a JSON object');
  if (type === MERGE_PATCH && (patch === null || typeof patch !== 'object' || Array.isArray(patch))) throw errors.badRequest('a merge patch must be a JSON object');
  if (type === JSON_PATCH && !Array.isArray(patch)) throw errors.badRequest('a JSON patch must be an array of operations');
  return { type, body: patch, duplicates: type === JSON_PATCH ? [] : duplicateJsonKeys(body.toString('utf8')) };
}

function patched(target: KubeObject, patch: Patch, type: ResourceType): KubeObject {
  if (patch.type === MERGE_PATCH) return applyMergePatch(target, patch.body) as KubeObject;
  if (patch.type === STRATEGIC_MERGE_PATCH) return strategicMergePatch(target, patch.body, patchMetaFor(type)) as KubeObject;
  try {
    return applyJsonPatch(target, patch.body) as KubeObject;
  } catch (err) {
    // client/patches reports failed tests and missing paths in the client's error type.
    throw new ApiError(422, 'Invalid', `the JSON patch could not be applied: ${(err as Error).message}`);
  }
}

/** The patched object, and whether it was created (an apply to an object that did not exist). */
export async function patchObject(ctx: RequestContext, seams: Seams, patch: Patch): Promise<{ object: KubeObject; created: boolean }> {
  if (patch.type === APPLY_PATCH) return applyPatchObject(ctx, seams, { config: patch.body as Record<string, unknown>, duplicates: patch.duplicates ?? [] });
  forceOf(ctx.query, false);
  // Strategic merge needs the patch metadata of built-in kinds; custom kinds refuse it, as upstream.
  if (patch.type === STRATEGIC_MERGE_PATCH && !BUILTIN_RESOURCES.some((t) => t.group === ctx.type.group && t.kind === ctx.type.kind)) {
    throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${JSON_PATCH}, ${MERGE_PATCH}, ${APPLY_PATCH}`);
  }
  const object = await updateWith(ctx, seams, (current) => {
    const base = structuredClone(current);
    // The stored rv is not part of what the client patches against unless the patch names
    // one. A JSON patch sees it (kubectl's managedFields upgrade `replace`s it as a precondition).
    if (patch.type !== JSON_PATCH) delete mutableMeta(base).resourceVersion;
    const next = patched(base, patch, ctx.type);
    if (next === null || typeof next !== 'object' || Array.isArray(next)) throw errors.badRequest('the patched object is not an object');
    // Unknown fields already stored are not this client's doing.
    checkFields(ctx, next as Record<string, unknown>, patch.duplicates, new Set(unknownFields(ctx.type, current, {}, ctx.schemas)));
    return next;
  }, updateTracking(ctx, 'PatchOptions'));
  return { object, created: false };
}
