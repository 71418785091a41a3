// guaranteedUpdate: read, mutate, write with the mod revision compare; on conflict start
// over from the state the failed transaction read back. A mutation that changes nothing is
// not written, so it never bumps the resourceVersion (and wakes no watcher).

import { isDeepStrictEqual } from 'node:util';
import type { IKeyValue, ITxnResponse } from 'etcd3';
import type { ResourceType } from '../../api/resources.js';
import { storageKey } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { errors } from '../errors.js';
import { decodeObject, encodeObject, withoutResourceVersion } from './codec.js';
import type { EtcdConnection } from './etcd-client.js';
import { readKey } from './get.js';

export type Mutation = (current: KubeObject) => KubeObject | Promise<KubeObject>;

/** Enough for dozens of writers racing on one object; beyond that the caller hears Conflict. */
export const MAX_UPDATE_ATTEMPTS = 64;

export async function guaranteedUpdate(
  conn: EtcdConnection,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
  mutate: Mutation,
): Promise<KubeObject> {
  const key = Buffer.from(storageKey(type, namespace, name));
  let current: IKeyValue | undefined = await readKey(conn, type, namespace, name, 'guaranteedUpdate');
  for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
    if (!current) throw errors.notFound(type.resource, type.group, name);
    const modRevision: string = current.mod_revision;
    // mutate gets its own copy: it may change it in place.
    const next = await mutate(decodeObject(current.value, modRevision));
    const before = decodeObject(current.value, modRevision);
    if (isDeepStrictEqual(withoutResourceVersion(next), withoutResourceVersion(before))) return before;
    const nextName = next.metadata?.name;
    if (nextName !== name || (next.metadata?.namespace ?? undefined) !== (before.metadata?.namespace ?? undefined)) {
      throw errors.badRequest(`an update must not change the object's name or namespace (${name})`);
    }
    const value = encodeObject(next);
    const res: ITxnResponse = await conn.call('guaranteedUpdate', type.resource, (o) =>
      conn.kv.txn(
        {
          compare: [{ key, target: 'Mod', result: 'Equal', mod_revision: modRevision }],
          success: [{ request_put: { key, value } }],
          failure: [{ request_range: { key } }],
        },
        o,
      ),
    );
    if (res.succeeded) return decodeObject(value, res.header.revision);
    current = res.responses[0]?.response_range?.kvs[0];
  }
  throw errors.conflict(type.resource, type.group, name);
}
