// PATCH of an object. JSON merge patch for now; the other patch types answer 415 naming
// what is accepted.

import { mutableMeta, type KubeObject } from '../../api/types.js';
import { decodeJson, checkNesting, mediaType } from '../body.js';
import type { RequestContext } from '../context.js';
import { ApiError, errors } from '../errors.js';
import { mergePatch } from '../patch/merge.js';
import type { Seams } from '../seams.js';
import { updateWith } from './update.js';

const MERGE_PATCH = 'application/merge-patch+json';

export function decodePatch(body: Buffer, contentType: string | undefined): Record<string, unknown> {
  const type = mediaType(contentType);
  if (type !== MERGE_PATCH) {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `the patch type "${type || '(none)'}" is not supported yet; this server accepts ${MERGE_PATCH}`,
    );
  }
  const patch = decodeJson(body);
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw errors.badRequest('a merge patch must be a JSON object');
  checkNesting(patch);
  return patch as Record<string, unknown>;
}

export async function patchObject(ctx: RequestContext, seams: Seams, patch: Record<string, unknown>): Promise<KubeObject> {
  return updateWith(ctx, seams, (current) => {
    const base = structuredClone(current);
    // The stored rv is not part of what the client patches against unless it names one.
    delete mutableMeta(base).resourceVersion;
    return mergePatch(base, patch) as KubeObject;
  });
}
