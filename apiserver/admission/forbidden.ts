// Admission refusals, worded as upstream words them: `pods "web" is forbidden: <why>`, the
// name taken from the request or, on create, from the object (or its generateName).

import type { AdmissionAttributes } from '../context.js';
import type { StatusCause } from '../../api/types.js';
import { ApiError } from '../errors.js';

export function forbidden(attrs: Pick<AdmissionAttributes, 'type' | 'name' | 'obj'>, why: string, causes?: StatusCause[]): ApiError {
  const resource = attrs.type.group ? `${attrs.type.resource}.${attrs.type.group}` : attrs.type.resource;
  const name = attrs.name || attrs.obj?.metadata?.name || attrs.obj?.metadata?.generateName || '';
  const message = name ? `${resource} "${name}" is forbidden: ${why}` : `${resource} is forbidden: ${why}`;
  return new ApiError(403, 'Forbidden', message, { name, group: attrs.type.group, kind: attrs.type.resource, ...(causes ? { causes } : {}) });
}

/** True when the request is a write to the main resource of `group/resource` (not a subresource). */
export function isMainResource(attrs: AdmissionAttributes, group: string, resource: string): boolean {
  return attrs.type.group === group && attrs.type.resource === resource && !attrs.subresource;
}
