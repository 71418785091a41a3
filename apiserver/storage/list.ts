// list straight from etcd: range reads over the collection's prefix at one revision, in
// chunks, filtered here, cut at `limit` with a continue token for the rest. Used for
// paginated and Exact lists and whenever the watch cache cannot answer.
//
//   range [prefix+start, prefixEnd) revision=R limit=chunk   (repeated until limit or end)

import type { ResourceType } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { storagePrefix } from '../../api/resources.js';
import { ApiError, errors } from '../errors.js';
import type { ObjectFilter } from './store.js';
import { serializeAt } from './codec.js';
import { encodeContinue } from './continue-token.js';
import { FutureRevisionError, RevisionCompactedError, type EtcdConnection } from './etcd-client.js';

/** One page of a list: items already serialized with their resourceVersion. */
export interface ListPage {
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
  items: string[];
}

export interface EtcdListRequest {
  namespace?: string;
  filter?: ObjectFilter;
  limit?: number;
  /** Read at this revision (Exact lists, continued lists); 0 or absent: the current one. */
  revision?: number;
  /** Start at this key (relative to the prefix), from a continue token. */
  start?: string;
  /** The list continues an earlier page: a compacted revision gets the continue message. */
  continued?: boolean;
}

const CHUNK = 1000;
const FILTERED_CHUNK = 500;

export const CONTINUE_EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.';
export const LIST_RV_EXPIRED = 'The resourceVersion for the provided list is too old.';

/** The first key after every key starting with `prefix`. */
export function prefixEnd(prefix: string): Buffer {
  const end = Buffer.from(prefix);
  end[end.length - 1]++;
  return end;
}

export async function listFromEtcd(conn: EtcdConnection, type: ResourceType, req: EtcdListRequest): Promise<ListPage> {
  const prefix = storagePrefix(type, req.namespace);
  const rangeEnd = prefixEnd(prefix);
  const limit = req.limit && req.limit > 0 ? req.limit : undefined;
  const chunk = limit ? Math.max(limit, req.filter ? FILTERED_CHUNK : limit) : CHUNK;
  let cursor = Buffer.from(prefix + (req.start ?? ''));
  let revision = req.revision ?? 0;
  const items: string[] = [];
  for (;;) {
    const res = await rangeAt(conn, type, req, { key: cursor, range_end: rangeEnd, limit: chunk, revision });
    if (revision === 0) revision = Number(res.header.revision);
    for (let i = 0; i < res.kvs.length; i++) {
      const kv = res.kvs[i];
      const raw = serializeAt(kv.value, kv.mod_revision);
      if (req.filter && !req.filter.matches(JSON.parse(raw) as KubeObject)) continue;
      items.push(raw);
      if (limit !== undefined && items.length === limit) {
        const hasMore = i < res.kvs.length - 1 || res.more;
        if (!hasMore) return { resourceVersion: String(revision), items };
        const page: ListPage = { resourceVersion: String(revision), items, continue: encodeContinue(prefix, kv.key.toString(), revision) };
        // Upstream counts the rest only when no selector hides part of it.
        if (!req.filter) page.remainingItemCount = Number(res.count) - (i + 1);
        return page;
      }
    }
    const last = res.kvs[res.kvs.length - 1];
    if (!res.more || !last) return { resourceVersion: String(revision), items };
    cursor = Buffer.concat([last.key, Buffer.from([0])]);
  }
}

async function rangeAt(
  conn: EtcdConnection,
  type: ResourceType,
  req: EtcdListRequest,
  range: { key: Buffer; range_end: Buffer; limit: number; revision: number },
) {
  try {
    return await conn.call('list', type.resource, (o) => conn.kv.range(range, o));
  } catch (err) {
    if (err instanceof RevisionCompactedError) throw errors.gone(req.continued ? CONTINUE_EXPIRED : LIST_RV_EXPIRED);
    if (err instanceof FutureRevisionError) throw tooLargeResourceVersion(range.revision, undefined);
    throw err;
  }
}

/** 504 as upstream answers a resourceVersion the server has not reached yet; clients retry. */
export function tooLargeResourceVersion(wanted: number, current: number | undefined): ApiError {
  const message = current === undefined ? `Too large resource version: ${wanted}` : `Too large resource version: ${wanted}, current: ${current}`;
  return new ApiError(504, 'Timeout', message, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
}
