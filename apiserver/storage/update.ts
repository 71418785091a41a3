// update: one transaction on the key's mod revision.
//
//   with a resourceVersion precondition       without one
//   txn  if   modRevision(key) == rv          txn  if   version(key) > 0
//        then put(key, value)                      then put(key, value)
//        else get(key)  -> Conflict / NotFound     else (nothing)  -> NotFound
//
// A uid precondition needs the stored object, so the object is read first and the write
// compares against the mod revision that was read.

import type { ResourceType } from '../../api/resources.js';
import { storageKey } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { errors } from '../errors.js';
import type { Preconditions } from './store.js';
import { decodeObject, encodeObject } from './codec.js';
import type { EtcdConnection } from './etcd-client.js';
import { readKey } from './get.js';

export async function updateObject(conn: EtcdConnection, type: ResourceType, obj: KubeObject, pre: Preconditions = {}): Promise<KubeObject> {
  const name = obj.metadata?.name;
  if (!name) throw errors.badRequest('metadata.name is required to store an object');
  const namespace = obj.metadata?.namespace;
  let expectedRevision = pre.resourceVersion;
  if (pre.uid !== undefined) {
    const current = await readKey(conn, type, namespace, name, 'update');
    checkPreconditions(type, name, pre, decodeObject(current.value, current.mod_revision));
    expectedRevision ??= current.mod_revision;
  }
  if (expectedRevision !== undefined) return putIfModRevision(conn, type, name, obj, expectedRevision, 'update');

  const key = Buffer.from(storageKey(type, namespace, name));
  const value = encodeObject(obj);
  const res = await conn.call('update', type.resource, (o) =>
    conn.kv.txn(
      {
        compare: [{ key, target: 'Version', result: 'Greater', version: 0 }],
        success: [{ request_put: { key, value } }],
        failure: [],
      },
      o,
    ),
  );
  if (!res.succeeded) throw errors.notFound(type.resource, type.group, name);
  return decodeObject(value, res.header.revision);
}

/** The write of an update with a known revision: Conflict when the key moved, NotFound when it is gone. */
export async function putIfModRevision(
  conn: EtcdConnection,
  type: ResourceType,
  name: string,
  obj: KubeObject,
  modRevision: string,
  operation: string,
): Promise<KubeObject> {
  const key = Buffer.from(storageKey(type, obj.metadata?.namespace, name));
  const value = encodeObject(obj);
  const res = await conn.call(operation, type.resource, (o) =>
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
  if (!current) throw errors.notFound(type.resource, type.group, name);
  throw errors.conflict(type.resource, type.group, name);
}

/** Conflict when the stored object does not carry the uid / resourceVersion the caller named. */
export function checkPreconditions(type: ResourceType, name: string, pre: Preconditions, current: KubeObject): void {
  const meta = current.metadata ?? {};
  if (pre.uid !== undefined && pre.uid !== meta.uid) {
    throw errors.conflict(type.resource, type.group, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${meta.uid ?? ''}`);
  }
  if (pre.resourceVersion !== undefined && pre.resourceVersion !== meta.resourceVersion) {
    throw errors.conflict(
      type.resource,
      type.group,
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion ?? ''}`,
    );
  }
}
