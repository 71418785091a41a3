// API errors as Kubernetes `Status` objects. Every failure a handler or the storage raises is
// an ApiError, so the HTTP layer answers with the right code, reason and details without
// knowing where the failure came from.

import { failureStatus, type StatusDetails } from '../api/status.js';
import type { Status, StatusCause } from '../api/types.js';

export type StatusReason =
  | 'BadRequest' | 'Unauthorized' | 'Forbidden' | 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Gone'
  | 'Invalid' | 'ServerTimeout' | 'Timeout' | 'TooManyRequests' | 'RequestEntityTooLarge'
  | 'MethodNotAllowed' | 'NotAcceptable' | 'UnsupportedMediaType' | 'InternalError' | 'ServiceUnavailable' | 'Expired';

export type { StatusDetails } from '../api/status.js';

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toStatus(): Status {
    return failureStatus(this.code, this.reason, this.message, this.details);
  }
}

/** `pods "web"` or `deployments.apps "web"`, as Kubernetes names an object in messages. */
export function qualifiedName(resource: string, group: string, name: string): string {
  return group ? `${resource}.${group} "${name}"` : `${resource} "${name}"`;
}

export const errors = {
  notFound: (resource: string, group: string, name: string) =>
    new ApiError(404, 'NotFound', `${qualifiedName(resource, group, name)} not found`, { name, group, kind: resource }),
  alreadyExists: (resource: string, group: string, name: string) =>
    new ApiError(409, 'AlreadyExists', `${qualifiedName(resource, group, name)} already exists`, { name, group, kind: resource }),
  conflict: (resource: string, group: string, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again') =>
    new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedName(resource, group, name)}: ${why}`, { name, group, kind: resource }),
  invalid: (kind: string, group: string, name: string, causes: StatusCause[]) =>
    new ApiError(
      422,
      'Invalid',
      `${kind}${group ? `.${group}` : ''} "${name}" is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}`,
      { name, group, kind, causes },
    ),
  badRequest: (message: string) => new ApiError(400, 'BadRequest', message),
  gone: (message: string) => new ApiError(410, 'Expired', message),
  unauthorized: () => new ApiError(401, 'Unauthorized', 'Unauthorized'),
  forbidden: (message: string) => new ApiError(403, 'Forbidden', message),
  methodNotAllowed: (message: string) => new ApiError(405, 'MethodNotAllowed', message),
  unsupportedMediaType: (contentType: string) => new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/merge-patch+json (got "${contentType}")`),
  tooLarge: (limit: number) => new ApiError(413, 'RequestEntityTooLarge', `the request body is larger than the limit of ${limit} bytes`),
  tooManyRequests: (retryAfterSeconds: number) =>
    new ApiError(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds }),
  unavailable: (message: string) => new ApiError(503, 'ServiceUnavailable', message),
  internal: (message: string) => new ApiError(500, 'InternalError', `Internal error occurred: ${message}`),
};
