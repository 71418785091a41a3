// The field manager of a request and the managedFields every write records. The manager is the
// `fieldManager` query parameter, else the User-Agent's product name (`kubectl/v1.32.0 (linux/
// amd64) ...` -> `kubectl`), as upstream derives it; at most 128 printable characters.

import { apiVersionOf } from '../../api/resources.js';
import { mutableMeta, type KubeObject } from '../../api/types.js';
import type { RequestContext } from '../context.js';
import { errors } from '../errors.js';
import { nowTimestamp } from '../object-meta.js';
import { encodeManagedFields, startingManagers } from './managers.js';
import { applyTypeFor } from './schema.js';
import { recordUpdate, type WriteScope, type Writer } from './tracking.js';

export const FIELD_MANAGER_MAX_LENGTH = 128;

export type OptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions';

/** 422 as upstream's ValidateFieldManager: too long, or a character that does not print. */
export function checkFieldManager(manager: string, options: OptionsKind): void {
  const chars = [...manager];
  if (Buffer.byteLength(manager) > FIELD_MANAGER_MAX_LENGTH) {
    throw errors.invalid(options, 'meta.k8s.io', '', [
      { reason: 'FieldValueTooLong', field: 'fieldManager', message: `Too long: may not be more than ${FIELD_MANAGER_MAX_LENGTH} bytes` },
    ]);
  }
  chars.forEach((c, i) => {
    if (/[\p{C}]/u.test(c)) {
      const code = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      throw errors.invalid(options, 'meta.k8s.io', '', [
        { reason: 'FieldValueInvalid', field: 'fieldManager', message: `Invalid value: ${JSON.stringify(manager)}: invalid character ${code} (at position ${i})` },
      ]);
    }
  });
}

/** `kubectl` from `kubectl/v1.32.0 (linux/amd64) kubernetes/abc`: characters that do not print are skipped, the rest cut at 128 bytes. */
export function managerFromUserAgent(userAgent: string | undefined): string {
  let out = '';
  for (const c of (userAgent ?? '').split('/')[0]!) {
    if (/[\p{C}]/u.test(c)) continue;
    if (Buffer.byteLength(out + c) > FIELD_MANAGER_MAX_LENGTH) break;
    out += c;
  }
  return out;
}

/** The request's field manager: the checked `fieldManager` parameter, else from the User-Agent. */
export function fieldManagerOf(ctx: RequestContext, options: OptionsKind): string {
  const explicit = ctx.query.get('fieldManager') ?? '';
  checkFieldManager(explicit, options);
  return explicit || managerFromUserAgent(ctx.userAgent);
}

export function writerOf(ctx: RequestContext, manager: string): Writer {
  // Subresources other than status and scale write through the main resource's fields.
  const subresource = ctx.subresource === 'status' || ctx.subresource === 'scale' ? ctx.subresource : '';
  return { manager, apiVersion: apiVersionOf(ctx.type), subresource, now: nowTimestamp() };
}

export function scopeOf(ctx: RequestContext): WriteScope {
  return { subresource: ctx.subresource ?? '', statusSubresource: ctx.type.subresources.includes('status') };
}

/**
 * Sets `next.metadata.managedFields` for a create (`current` undefined) or an update by the
 * request's manager: the entries the client sent or the stored ones (see startingManagers),
 * with an Update entry for this write. Call after defaulting and admission, so defaulted
 * fields count as the writer's, as upstream.
 */
export function recordWrite(ctx: RequestContext, manager: string, next: KubeObject, current?: KubeObject): void {
  const meta = mutableMeta(next);
  const scope = scopeOf(ctx);
  const start = current === undefined && !scope.subresource
    ? startingManagers(undefined, meta.managedFields, '')
    : startingManagers(current?.metadata?.managedFields, meta.managedFields, scope.subresource);
  const managers = recordUpdate(start, current, next, writerOf(ctx, manager), applyTypeFor(ctx.type, ctx.schemas), scope);
  const entries = encodeManagedFields(managers);
  if (entries.length > 0) meta.managedFields = entries;
  else delete meta.managedFields;
}
