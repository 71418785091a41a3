// Following one object until a condition holds: read it, then watch it (from the version
// read) and check each change; a watch the server ends or a compacted version starts over
// with a fresh read. Used by `rollout status`.

import type { KubeObject } from '../../api/types.js';
import { isGone } from '../../client/errors.js';
import type { ResourceClient } from '../../client/interfaces.js';

export class ObjectDeleted extends Error {}

/**
 * Calls `check` with the object now and after each change until it returns true; rejects
 * with what `check` throws, with ObjectDeleted, or with `signal`'s reason once it aborts.
 */
export async function follow<T extends KubeObject>(client: ResourceClient<T>, namespace: string | undefined, name: string, check: (obj: T) => boolean, signal: AbortSignal): Promise<void> {
  for (;;) {
    if (signal.aborted) throw signal.reason;
    const obj = await client.get(namespace, name);
    if (check(obj)) return;
    let done = false;
    let failure: unknown;
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await client.watch(
        namespace,
        { fieldSelector: `metadata.name=${name}`, resourceVersion: obj.metadata?.resourceVersion, timeoutSeconds: 60 },
        (ev) => {
          if (done || failure) return;
          try {
            if (ev.type === 'DELETED') throw new ObjectDeleted(`${name} was deleted while waiting for it`);
            if ((ev.type === 'ADDED' || ev.type === 'MODIFIED') && check(ev.object)) done = true;
          } catch (err) {
            failure = err;
          }
          if (done || failure) stop.abort();
        },
        stop.signal,
      );
    } catch (err) {
      if (!isGone(err)) throw err;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
    if (failure) throw failure;
    if (done) return;
  }
}
