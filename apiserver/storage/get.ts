// get: one range read of the object's key.

import type { IKeyValue } from 'etcd3';
import type { ResourceType } from '../../api/resources.js';
import { storageKey } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { errors } from '../errors.js';
import { decodeObject } from './codec.js';
import type { EtcdConnection } from './etcd-client.js';

/** The stored key-value of an object, NotFound when absent. */
export async function readKey(
  conn: EtcdConnection,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
  operation = 'get',
): Promise<IKeyValue> {
  const key = Buffer.from(storageKey(type, namespace, name));
  const res = await conn.call(operation, type.resource, (o) => conn.kv.range({ key }, o));
  const kv = res.kvs[0];
  if (!kv) throw errors.notFound(type.resource, type.group, name);
  return kv;
}

export async function getObject(conn: EtcdConnection, type: ResourceType, namespace: string | undefined, name: string): Promise<KubeObject> {
  const kv = await readKey(conn, type, namespace, name);
  return decodeObject(kv.value, kv.mod_revision);
}
