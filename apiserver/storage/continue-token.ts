// The `continue` token of a paginated list, in upstream's format: base64 of
// {"v":"meta.k8s.io/v1","rv":N,"start":"<key after the prefix>\u0000"}, so the next page
// starts right after the last key returned, read at the same revision as the first page.

import { errors } from '../errors.js';

const TOKEN_VERSION = 'meta.k8s.io/v1';

export interface ContinuePoint {
  /** The etcd revision every page of this list is read at. */
  revision: number;
  /** The first key of the next page, relative to the list's prefix. */
  start: string;
}

/** A token for the page after `lastKey` (a full etcd key under `prefix`). */
export function encodeContinue(prefix: string, lastKey: string, revision: number): string {
  if (!lastKey.startsWith(prefix)) throw new Error(`key ${lastKey} is not under ${prefix}`);
  const start = `${lastKey.slice(prefix.length)}\u0000`;
  return Buffer.from(JSON.stringify({ v: TOKEN_VERSION, rv: revision, start })).toString('base64');
}

export function decodeContinue(token: string): ContinuePoint {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    throw errors.badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  if (typeof parsed !== 'object' || parsed === null) throw errors.badRequest('continue key is not valid: not an object');
  const { v, rv, start } = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  if (v !== TOKEN_VERSION) throw errors.badRequest(`continue key is not valid: server does not recognize this encoded version "${String(v)}"`);
  if (typeof rv !== 'number' || !Number.isSafeInteger(rv) || rv <= 0) {
    throw errors.badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  if (typeof start !== 'string' || start === '') throw errors.badRequest('continue key is not valid: encoded start key is empty');
  // The start key is appended to the list prefix: it must not climb out of it.
  if (start.startsWith('/') || start.split('/').includes('..')) throw errors.badRequest('continue key is not valid: path traversal attempted');
  return { revision: rv, start };
}
