// Failures from the API server as typed errors. The server answers every failure with a
// `Status` object; the client turns it into an ApiStatusError so callers branch on the reason
// (`isNotFound(err)`, `isConflict(err)`) rather than on HTTP codes or message text.

import { failureStatus, type StatusDetails } from '../api/status.js';
import type { Status } from '../api/types.js';

/** Kept under the client's name for its callers. */
export type StatusErrorDetails = StatusDetails;

export class ApiStatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusErrorDetails,
  ) {
    super(message);
    this.name = 'ApiStatusError';
  }

  /** The error as the Status object the server would have sent. */
  toStatus(): Status {
    return failureStatus(this.code, this.reason, this.message, this.details);
  }
}

/** 410: the resourceVersion asked for has been compacted; the caller must list again. */
export class GoneError extends ApiStatusError {
  constructor(message: string) {
    super(410, 'Expired', message);
    this.name = 'GoneError';
  }
}

/**
 * The typed error for a Status (or for a bare HTTP code when the body was not a Status, as
 * from a proxy). 410 always becomes a GoneError, whatever reason the server used.
 */
export function errorFromStatus(httpCode: number, body: unknown): ApiStatusError {
  const status = isStatus(body) ? body : undefined;
  const code = status?.code ?? httpCode;
  const message = status?.message ?? (typeof body === 'string' && body ? body.trim() : `the server responded with HTTP ${httpCode}`);
  if (code === 410) return new GoneError(message);
  const reason = status?.reason ?? reasonForCode(code);
  return new ApiStatusError(code, reason, message, status?.details as StatusErrorDetails | undefined);
}

export function isStatus(body: unknown): body is Status {
  return typeof body === 'object' && body !== null && (body as { kind?: unknown }).kind === 'Status';
}

/** The reason Kubernetes uses when a response carries only a code. */
export function reasonForCode(code: number): string {
  switch (code) {
    case 400: return 'BadRequest';
    case 401: return 'Unauthorized';
    case 403: return 'Forbidden';
    case 404: return 'NotFound';
    case 405: return 'MethodNotAllowed';
    case 406: return 'NotAcceptable';
    case 409: return 'Conflict';
    case 410: return 'Expired';
    case 413: return 'RequestEntityTooLarge';
    case 415: return 'UnsupportedMediaType';
    case 422: return 'Invalid';
    case 429: return 'TooManyRequests';
    case 503: return 'ServiceUnavailable';
    case 504: return 'Timeout';
    default: return code >= 500 ? 'InternalError' : 'Unknown';
  }
}

function reasonIs(err: unknown, reason: string, code: number): boolean {
  return err instanceof ApiStatusError && (err.reason === reason || (err.reason === 'Unknown' && err.code === code));
}

export const isNotFound = (err: unknown): boolean => reasonIs(err, 'NotFound', 404);
export const isAlreadyExists = (err: unknown): boolean => reasonIs(err, 'AlreadyExists', 409);
/** A write lost an optimistic-concurrency race (409 Conflict, not AlreadyExists). */
export const isConflict = (err: unknown): boolean => reasonIs(err, 'Conflict', 409);
export const isGone = (err: unknown): boolean => err instanceof GoneError || reasonIs(err, 'Gone', 410) || reasonIs(err, 'Expired', 410);
export const isTooManyRequests = (err: unknown): boolean => reasonIs(err, 'TooManyRequests', 429);
export const isInvalid = (err: unknown): boolean => reasonIs(err, 'Invalid', 422);
export const isForbidden = (err: unknown): boolean => reasonIs(err, 'Forbidden', 403);

/** Builders for the errors the fake client raises, worded as the API server words them. */
export const statusErrors = {
  notFound: (resource: string, group: string, name: string) =>
    new ApiStatusError(404, 'NotFound', `${qualified(resource, group, name)} not found`, { name, group, kind: resource }),
  alreadyExists: (resource: string, group: string, name: string) =>
    new ApiStatusError(409, 'AlreadyExists', `${qualified(resource, group, name)} already exists`, { name, group, kind: resource }),
  conflict: (resource: string, group: string, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again') =>
    new ApiStatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(resource, group, name)}: ${why}`, { name, group, kind: resource }),
  invalid: (kind: string, name: string, field: string, message: string) =>
    new ApiStatusError(422, 'Invalid', `${kind} "${name}" is invalid: ${field}: ${message}`, { name, kind, causes: [{ field, message, reason: 'FieldValueInvalid' }] }),
  badRequest: (message: string) => new ApiStatusError(400, 'BadRequest', message),
  tooManyRequests: (message: string, retryAfterSeconds?: number) =>
    new ApiStatusError(429, 'TooManyRequests', message, retryAfterSeconds === undefined ? undefined : { retryAfterSeconds }),
};

function qualified(resource: string, group: string, name: string): string {
  return group ? `${resource}.${group} "${name}"` : `${resource} "${name}"`;
}
