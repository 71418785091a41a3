// create: one transaction, "if the key was never created, put it".
//
//   txn  if   createRevision(key) == 0
//        then put(key, value)
//        else (nothing)              -> AlreadyExists

import type { ResourceType } from '../../api/resources.js';
import { storageKey } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { errors } from '../errors.js';
import { decodeObject, encodeObject } from './codec.js';
import type { EtcdConnection } from './etcd-client.js';

export async function createObject(conn: EtcdConnection, type: ResourceType, obj: KubeObject): Promise<KubeObject> {
  const name = obj.metadata?.name;
  if (!name) throw errors.badRequest('metadata.name is required to store an object');
  const key = Buffer.from(storageKey(type, obj.metadata?.namespace, name));
  const value = encodeObject(obj);
  const res = await conn.call('create', type.resource, (o) =>
    conn.kv.txn(
      {
        compare: [{ key, target: 'Create', result: 'Equal', create_revision: 0 }],
        success: [{ request_put: { key, value } }],
        failure: [],
      },
      o,
    ),
  );
  if (!res.succeeded) throw errors.alreadyExists(type.resource, type.group, name);
  return decodeObject(value, res.header.revision);
}
