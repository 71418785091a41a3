// delete: read, check preconditions, then one transaction on the mod revision that was read.
//
//   txn  if   modRevision(key) == read revision
//        then delete(key, prevKv)
//        else get(key)     -> the object changed: check preconditions again and retry
//
// It returns the last stored state, so the caller can answer with it and watchers see the
// same object in the DELETED event.

import type { IKeyValue, ITxnResponse } from 'etcd3';
import type { ResourceType } from '../../api/resources.js';
import { storageKey } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { errors } from '../errors.js';
import type { Preconditions } from './store.js';
import { decodeObject } from './codec.js';
import type { EtcdConnection } from './etcd-client.js';
import { readKey } from './get.js';
import { checkPreconditions } from './update.js';

const MAX_ATTEMPTS = 16;

export async function deleteObject(
  conn: EtcdConnection,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
  pre: Preconditions = {},
): Promise<KubeObject> {
  const key = Buffer.from(storageKey(type, namespace, name));
  let current: IKeyValue | undefined = await readKey(conn, type, namespace, name, 'delete');
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (!current) throw errors.notFound(type.resource, type.group, name);
    const last = decodeObject(current.value, current.mod_revision);
    checkPreconditions(type, name, pre, last);
    const modRevision: string = current.mod_revision;
    const res: ITxnResponse = await conn.call('delete', type.resource, (o) =>
      conn.kv.txn(
        {
          compare: [{ key, target: 'Mod', result: 'Equal', mod_revision: modRevision }],
          success: [{ request_delete_range: { key, prev_kv: true } }],
          failure: [{ request_range: { key } }],
        },
        o,
      ),
    );
    if (res.succeeded) return last;
    current = res.responses[0]?.response_range?.kvs[0];
  }
  throw errors.conflict(type.resource, type.group, name, 'the object kept changing while it was being deleted; please try again');
}
