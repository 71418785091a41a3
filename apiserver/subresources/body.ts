// Reading what a subresource request sends: a whole object (PUT/POST) or a patch (PATCH),
// with the same limits and error wording as the main resource path.

import type { Request } from 'express';
import { checkNesting, decodeJson, decodeObject, mediaType, readBody } from '../body.js';
import type { RequestContext } from '../context.js';
import { ApiError, errors } from '../errors.js';
import { applyJsonPatch, applyMergePatch } from '../../client/patches.js';

export async function readObject(ctx: RequestContext, req: Request): Promise<Record<string, unknown>> {
  return decodeObject(await readBody(req, ctx.config.maxRequestBodyBytes), req.headers['content-type']);
}

const MERGE_PATCH = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';

/** A patch body, checked for its media type; apply it with `applyPatch`. */
export interface Patch {
  type: typeof MERGE_PATCH | typeof JSON_PATCH;
  body: unknown;
}

export async function readPatch(ctx: RequestContext, req: Request): Promise<Patch> {
  const type = mediaType(req.headers['content-type']);
  if (type !== MERGE_PATCH && type !== JSON_PATCH) {
    throw new ApiError(415, 'UnsupportedMediaType', `the patch type "${type || '(none)'}" is not supported on subresources; this server accepts ${MERGE_PATCH} and ${JSON_PATCH}`);
  }
  const body = decodeJson(await readBody(req, ctx.config.maxRequestBodyBytes));
  checkNesting(body);
  if (type === MERGE_PATCH && (body === null || typeof body !== 'object' || Array.isArray(body))) throw errors.badRequest('a merge patch must be a JSON object');
  return { type, body };
}

/** `target` with the patch applied; neither is changed. */
export function applyPatch<T>(target: T, patch: Patch): T {
  if (patch.type === MERGE_PATCH) return applyMergePatch(target, patch.body) as T;
  try {
    return applyJsonPatch(target, patch.body) as T;
  } catch (err) {
    // The JSON patch helper reports failed tests and missing paths in the client's error type.
    throw new ApiError(422, 'Invalid', `the JSON patch could not be applied: ${(err as Error).message}`);
  }
}
