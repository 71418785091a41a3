// A failed CRI call: which call, on which object, and the gRPC status it ended with. The
// codes are not always semantic (containerd answers UNKNOWN for a duplicate name), so callers
// test `notFound` and otherwise treat the error as a failure of that one step.

import { status as GrpcStatus } from '@grpc/grpc-js';

export class CriError extends Error {
  override readonly name = 'CriError';
  constructor(
    readonly call: string,
    /** The sandbox, container or image the call was about ('' for node-wide calls). */
    readonly id: string,
    readonly code: number,
    readonly details: string,
  ) {
    super(`CRI ${call}${id ? ` ${id}` : ''}: ${GrpcStatus[code] ?? code}: ${details}`);
  }

  get notFound(): boolean {
    return this.code === GrpcStatus.NOT_FOUND;
  }

  get deadlineExceeded(): boolean {
    return this.code === GrpcStatus.DEADLINE_EXCEEDED;
  }

  get unavailable(): boolean {
    return this.code === GrpcStatus.UNAVAILABLE;
  }
}

export function isNotFound(err: unknown): boolean {
  return err instanceof CriError && err.notFound;
}
