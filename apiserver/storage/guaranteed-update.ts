// guaranteedUpdate: read, mutate, write with the mod revision compare; on conflict start
// over from the state the failed transaction read back. A mutation that changes nothing is
// not written, so it never bumps the resourceVersion (and wakes no watcher).
//
// As upstream's GuaranteedUpdate, the first attempt may start from the watch cache's copy
// instead of reading etcd: the transaction's revision compare catches a stale copy (and its
// failure branch reads the current state for the next attempt), so the result is the same
// and the usual case — a client writing the version it saw through a watch — saves one etcd
// read. What the transaction cannot catch is answered from etcd before it is believed: a
// mutation that refuses the cached copy, or finds nothing to change in it, runs again on
// the state read from etcd.

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

/** The state an attempt starts from: the object, its mod revision, and whether etcd said so. */
interface Attempt {
  decode: () => KubeObject;
  modRevision: string;
  fromEtcd: boolean;
}

function fromKeyValue(kv: IKeyValue): Attempt {
  return { decode: () => decodeObject(kv.value, kv.mod_revision), modRevision: kv.mod_revision, fromEtcd: true };
}

/** The watch cache's JSON of the object (its resourceVersion is the key's mod revision). */
function fromCache(raw: string): Attempt | undefined {
  let parsed: KubeObject | undefined = JSON.parse(raw) as KubeObject;
  const modRevision = parsed.metadata?.resourceVersion;
  if (!modRevision) return undefined;
  const decode = (): KubeObject => {
    const obj = parsed ?? (JSON.parse(raw) as KubeObject);
    parsed = undefined; // every caller gets its own copy
    return obj;
  };
  return { decode, modRevision, fromEtcd: false };
}

export async function guaranteedUpdate(
  conn: EtcdConnection,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
  mutate: Mutation,
  /** The watch cache's copy of the object, if it holds one. */
  cached?: string,
): Promise<KubeObject> {
  const key = Buffer.from(storageKey(type, namespace, name));
  const readEtcd = async (): Promise<Attempt> => fromKeyValue(await readKey(conn, type, namespace, name, 'guaranteedUpdate'));
  let state: Attempt | undefined = (cached !== undefined ? fromCache(cached) : undefined) ?? (await readEtcd());
  for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
    if (!state) throw errors.notFound(type.resource, type.group, name);
    const modRevision = state.modRevision;
    let next: KubeObject;
    try {
      // mutate gets its own copy: it may change it in place.
      next = await mutate(state.decode());
    } catch (err) {
      if (state.fromEtcd) throw err;
      state = await readEtcd(); // it may only have refused a stale copy
      continue;
    }
    const before = state.decode();
    if (isDeepStrictEqual(withoutResourceVersion(next), withoutResourceVersion(before))) {
      if (state.fromEtcd) return before;
      state = await readEtcd(); // nothing to change in the copy; maybe something in etcd's state
      continue;
    }
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
    const current = res.responses[0]?.response_range?.kvs[0];
    state = current && fromKeyValue(current);
  }
  throw errors.conflict(type.resource, type.group, name);
}
