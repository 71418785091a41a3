// The `Status` object Kubernetes answers failures with: built by the API server from its
// errors, and rebuilt by the client from the errors it turns Status answers into.

import type { Status, StatusCause } from './types.js';

/** `Status.details`: which object failed and, for Invalid, every failing field. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export function failureStatus(code: number, reason: string, message: string, details?: StatusDetails): Status {
  return {
    apiVersion: 'v1',
    kind: 'Status',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}
