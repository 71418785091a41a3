// The storage contract between the REST handlers and etcd. Handlers never touch etcd; they
// call a Store. Objects go in and come out as plain JSON objects; the store owns
// `metadata.resourceVersion` (= etcd mod revision) and nothing else.
//
// Errors: every method throws ApiError (../errors.ts): NotFound, AlreadyExists, Conflict,
// Gone (410, a resourceVersion older than the compacted revision), ServiceUnavailable (503,
// etcd unreachable).

import type { KubeList, KubeObject, WatchEvent } from '../../api/types.js';
import type { ResourceType } from '../../api/resources.js';

/** A parsed label/field filter the store applies to lists and watches. */
export interface ObjectFilter {
  /** True when the object passes the label and field selectors. */
  matches(obj: KubeObject): boolean;
}

export interface ListOptions {
  namespace?: string;
  filter?: ObjectFilter;
  limit?: number;
  /** The opaque token from a previous page's `metadata.continue`. */
  continue?: string;
  /** '' or undefined: most recent (quorum read); '0': any (served from the watch cache); N: at least N / exactly N per resourceVersionMatch. */
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
}

export interface GetOptions {
  resourceVersion?: string;
}

export interface WatchOptions {
  namespace?: string;
  filter?: ObjectFilter;
  /** Start after this revision. '' / undefined: start at the current state (initial ADDED events for every object); '0': same. */
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  /** Send the current state as ADDED events first (the `sendInitialEvents` list-watch mode), then a BOOKMARK with `k8s.io/initial-events-end`. */
  sendInitialEvents?: boolean;
}

/**
 * A watch event whose object is already JSON (`metadata.resourceVersion` set). The watch
 * cache serializes each change once and hands the same string to every watcher; the HTTP
 * layer writes `serializeWatchEvent(e)` + "\n" to the socket (see ./serialized.ts).
 */
export interface RawWatchEvent {
  type: WatchEvent['type'];
  /** The event's object as JSON text. */
  object: string;
}

/** A list whose items are JSON text; `serializeList` (./serialized.ts) makes the response body. */
export interface SerializedList {
  apiVersion: string;
  kind: string;
  metadata: KubeList['metadata'];
  items: string[];
}

/**
 * An open watch: events in order, ending when closed or when the store must end it (410 after
 * compaction, etcd lost). Iterate it once, either as parsed events or through `rawEvents()`.
 */
export interface WatchStream extends AsyncIterable<WatchEvent> {
  close(): void;
  /** The same events with their objects as JSON text, for writing to a socket without re-serializing. */
  rawEvents?(): AsyncIterable<RawWatchEvent>;
}

export interface Preconditions {
  resourceVersion?: string;
  uid?: string;
}

export interface Store {
  /** Creates the object; AlreadyExists when the key exists. Returns it with its resourceVersion. */
  create(type: ResourceType, obj: KubeObject): Promise<KubeObject>;
  /** `opts.resourceVersion`: '' / undefined reads etcd (quorum read); '0' any version (the watch cache); N not older than N. */
  get(type: ResourceType, namespace: string | undefined, name: string, opts?: GetOptions): Promise<KubeObject>;
  list(type: ResourceType, opts: ListOptions): Promise<KubeList>;
  /** The same list with items as JSON text (served from the watch cache without parsing). */
  listSerialized?(type: ResourceType, opts: ListOptions): Promise<SerializedList>;
  /**
   * Replaces the object. With `preconditions.resourceVersion` the write is a transaction
   * comparing the mod revision (Conflict when it moved); NotFound when absent.
   */
  update(type: ResourceType, obj: KubeObject, preconditions?: Preconditions): Promise<KubeObject>;
  /**
   * Read-modify-write that retries on conflict: `mutate` gets the current object and returns
   * the new one (or throws an ApiError to abort). Used by handlers that change part of an
   * object (status, binding, finalizers, deletionTimestamp).
   */
  guaranteedUpdate(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    mutate: (current: KubeObject) => KubeObject | Promise<KubeObject>,
  ): Promise<KubeObject>;
  /** Removes the key; returns the last stored state. */
  delete(type: ResourceType, namespace: string | undefined, name: string, preconditions?: Preconditions): Promise<KubeObject>;
  watch(type: ResourceType, opts: WatchOptions): Promise<WatchStream>;
  /** The current etcd revision, for list metadata when nothing else gives one. */
  currentRevision(): Promise<string>;
  /** True while etcd answers (drives /readyz). */
  healthy(): boolean;
  /** Stops what the store keeps for a kind no longer served (a deleted CRD's watch cache); its watches end. */
  release?(type: ResourceType): void;
  close(): Promise<void>;
}
