// The contracts of skiff's client machinery, in the shapes of client-go. Components (the
// scheduler, controllers, the kubelet, the proxy) program against these interfaces; the real
// implementations talk to the API server, and `client/fake.ts` implements the same
// interfaces in memory for unit tests.

import type { ResourceType } from '../api/resources.js';
import type { KubeList, KubeObject, WatchEvent } from '../api/types.js';

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export interface WatchOptions extends ListOptions {
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
}

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** Typed access to one kind. `namespace` is ignored for cluster-scoped kinds. */
export interface ResourceClient<T extends KubeObject = KubeObject> {
  readonly type: ResourceType;
  get(namespace: string | undefined, name: string): Promise<T>;
  list(namespace: string | undefined, opts?: ListOptions): Promise<KubeList<T>>;
  create(namespace: string | undefined, obj: T, opts?: WriteOptions): Promise<T>;
  update(obj: T, opts?: WriteOptions): Promise<T>;
  /** PUT to `/status`: only `.status` changes. */
  updateStatus(obj: T, opts?: WriteOptions): Promise<T>;
  patch(namespace: string | undefined, name: string, type: PatchType, patch: unknown, opts?: WriteOptions & { subresource?: string; force?: boolean }): Promise<T>;
  delete(namespace: string | undefined, name: string, opts?: DeleteOptions): Promise<void>;
  /**
   * One watch request; `onEvent` sees every event in order. Resolves when the server ends
   * the stream or `signal` aborts. Rejects with a GoneError when the resourceVersion was
   * compacted (the caller relists). Use `Watcher` (client/watch.ts) for resume and reconnect.
   */
  watch(namespace: string | undefined, opts: WatchOptions, onEvent: (ev: WatchEvent<T>) => void, signal?: AbortSignal): Promise<void>;
}

/** Everything a component needs from the API server. */
export interface ApiClient {
  /** A client for any served kind (built-in or custom). */
  resource<T extends KubeObject = KubeObject>(type: ResourceType): ResourceClient<T>;
  /** Shorthand: `client.for<Pod>('pods')`, resolving through the built-in registry. */
  for<T extends KubeObject = KubeObject>(resourceName: string): ResourceClient<T>;
  /** POST pods/{name}/binding. */
  bindPod(namespace: string, podName: string, nodeName: string, podUid?: string): Promise<void>;
  /** POST pods/{name}/eviction; 429 TooManyRequests when a PodDisruptionBudget forbids it. */
  evictPod(namespace: string, podName: string, opts?: DeleteOptions): Promise<void>;
  /** A raw request (for subresources and paths with no typed helper). */
  request<R = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<R>;
}

/** Handlers an informer calls, in event order, from its single delivery loop. */
export interface EventHandlers<T extends KubeObject> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  /** `obj` is the last known state (possibly stale if the delete was missed and found on relist). */
  onDelete?(obj: T): void;
}

/** A read-only view of an informer's cache. Keys are `namespace/name`, or `name` for cluster-scoped objects. */
export interface Lister<T extends KubeObject> {
  get(key: string): T | undefined;
  list(): T[];
  /** Objects whose index value under `indexName` is `value` (built-in indexes: 'namespace'; more via addIndex). */
  byIndex(indexName: string, value: string): T[];
}

export interface Informer<T extends KubeObject> {
  readonly lister: Lister<T>;
  addEventHandler(handlers: EventHandlers<T>): void;
  /** `indexer` returns the values an object is filed under. Add before start(). */
  addIndex(name: string, indexer: (obj: T) => string[]): void;
  start(): void;
  stop(): void;
  hasSynced(): boolean;
  /** Resolves once the initial list is in the cache. */
  waitForSync(signal?: AbortSignal): Promise<void>;
}

/**
 * A deduplicating, rate-limited queue of keys (client-go's workqueue). A key added while it is
 * being processed is held until done() and then queued again; a key is never handed to two
 * workers at once.
 */
export interface WorkQueue<K = string> {
  add(key: K): void;
  addAfter(key: K, delayMs: number): void;
  /** Requeues with per-key exponential backoff. */
  addRateLimited(key: K): void;
  /** Clears the key's backoff (call after a successful reconcile). */
  forget(key: K): void;
  /** Resolves to the next key, or undefined once shut down and drained. */
  get(): Promise<K | undefined>;
  done(key: K): void;
  len(): number;
  numRequeues(key: K): number;
  /** Stops accepting keys; get() drains what is queued, then returns undefined. */
  shutDown(): void;
  /** shutDown() and wait until every key handed out is done(). */
  shutDownWithDrain(): Promise<void>;
}

export interface EventRecorder {
  /** Records a core/v1 Event about `obj` ('Normal' | 'Warning'); repeats are aggregated by count. */
  event(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

export interface LeaderElectionCallbacks {
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  onStoppedLeading(): void;
  onNewLeader?(identity: string): void;
}
