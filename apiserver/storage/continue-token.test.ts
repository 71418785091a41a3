import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors.js';
import { decodeContinue, encodeContinue } from './continue-token.js';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');

describe('continue tokens', () => {
  it('encode the revision and the key after the last one, as upstream does', () => {
    const token = encodeContinue('/registry/pods/', '/registry/pods/ns/web-1', 42);
    expect(JSON.parse(Buffer.from(token, 'base64').toString())).toEqual({ v: 'meta.k8s.io/v1', rv: 42, start: 'ns/web-1\u0000' });
    expect(decodeContinue(token)).toEqual({ revision: 42, start: 'ns/web-1\u0000' });
  });

  it('refuse a last key outside the prefix', () => {
    expect(() => encodeContinue('/registry/pods/', '/registry/nodes/n1', 1)).toThrow();
  });

  it.each([
    ['not base64 JSON', 'bm90IGpzb24=', 'continue key is not valid'],
    ['another version', b64({ v: 'meta.k8s.io/v2', rv: 3, start: 'a' }), 'does not recognize this encoded version'],
    ['a zero revision', b64({ v: 'meta.k8s.io/v1', rv: 0, start: 'a' }), 'incorrect encoded start resourceVersion'],
    ['a string revision', b64({ v: 'meta.k8s.io/v1', rv: '3', start: 'a' }), 'incorrect encoded start resourceVersion'],
    ['an empty start', b64({ v: 'meta.k8s.io/v1', rv: 3, start: '' }), 'start key is empty'],
    ['path traversal', b64({ v: 'meta.k8s.io/v1', rv: 3, start: '../secrets/x' }), 'path traversal'],
    ['an absolute start', b64({ v: 'meta.k8s.io/v1', rv: 3, start: '/registry/secrets' }), 'path traversal'],
  ])('reject %s with 400', (_case, token, message) => {
    let error: unknown;
    try {
      decodeContinue(token);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe(400);
    expect((error as ApiError).message).toContain(message);
  });
});
