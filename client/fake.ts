// An in-memory ApiClient for unit tests of controllers, the scheduler and the kubelet. It
// keeps objects in a map with a resourceVersion counter and behaves like the API server where
// tests depend on it: uid/creationTimestamp/generation on create, 404/409 errors, optimistic
// concurrency, label/field selectors, watches that replay from a resourceVersion (410 after
// compact()), finalizers holding a delete, bind and evict. Every write is logged in
// `actions()` so tests assert what a component did, as client-go's fake clientset allows.

import { randomUUID } from 'node:crypto';
import { fieldsOf as selectableFieldsOf, parseFieldSelector, unsupportedFields } from '../api/fields.js';
import { parseLabelSelector } from '../api/labels.js';
import { apiVersionOf, BUILTIN_RESOURCES, ResourceRegistry, type ResourceType } from '../api/resources.js';
import { fieldsOf, type KubeList, type KubeObject, type WatchEvent } from '../api/types.js';
import { GoneError, statusErrors } from './errors.js';
import type { ApiClient, DeleteOptions, ListOptions, PatchType, ResourceClient, WatchOptions, WriteOptions } from './interfaces.js';
import { applyJsonPatch, applyMergePatch } from './patches.js';

export type FakeVerb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';

/** One request the fake answered. Writes are kept in `actions()`; reads only reach reactors. */
export interface FakeAction {
  verb: FakeVerb;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** The object sent (create/update) or the patch body (patch). */
  object?: unknown;
  patchType?: PatchType;
}

/** Returns an error to fail the request with, or undefined to let it through. */
export type Reactor = (action: FakeAction) => Error | undefined;

export interface FakeApiClientOptions {
  /** Objects present at the start (not logged as actions). */
  objects?: KubeObject[];
  registry?: ResourceRegistry;
  /** Watch history kept for resume; older resourceVersions answer 410. Default 10000 events. */
  historyLimit?: number;
  now?: () => Date;
}

interface HistoryEntry {
  rv: number;
  resource: string;
  type: WatchEvent['type'];
  object: KubeObject;
  /** The state before a MODIFIED, so selector watches can turn it into ADDED/DELETED. */
  previous?: KubeObject;
}

interface OpenWatch {
  resource: string;
  namespace?: string;
  matches: (obj: KubeObject) => boolean;
  bookmarks: boolean;
  deliver: (ev: WatchEvent) => void;
  end: () => void;
}

const WRITE_VERBS: ReadonlySet<FakeVerb> = new Set(['create', 'update', 'patch', 'delete']);

export class FakeApiClient implements ApiClient {
  readonly registry: ResourceRegistry;
  private revision = 0;
  /** The oldest resourceVersion a watch may resume from; anything older is Gone. */
  private compactedRevision = 0;
  private readonly objects = new Map<string, KubeObject>();
  private readonly history: HistoryEntry[] = [];
  private readonly watches = new Set<OpenWatch>();
  private readonly log: FakeAction[] = [];
  private readonly reactors: { verb: FakeVerb | '*'; resource: string; react: Reactor }[] = [];
  private readonly historyLimit: number;
  private readonly now: () => Date;
  private nameCounter = 0;

  constructor(opts: FakeApiClientOptions = {}) {
    this.registry = opts.registry ?? new ResourceRegistry(BUILTIN_RESOURCES);
    this.historyLimit = opts.historyLimit ?? 10_000;
    this.now = opts.now ?? (() => new Date());
    for (const obj of opts.objects ?? []) this.seed(obj);
  }

  /** Puts an object in place without logging an action (fixtures). Its kind picks the resource. */
  seed<T extends KubeObject>(obj: T): T {
    const type = this.typeOf(obj);
    const ns = type.namespaced ? (obj.metadata?.namespace ?? 'default') : undefined;
    return this.store(type, this.prepareCreate(type, ns, obj), 'ADDED') as T;
  }

  /** The writes made so far, in order. */
  actions(): FakeAction[] {
    return this.log.map((a) => ({ ...a }));
  }

  clearActions(): void {
    this.log.length = 0;
  }

  /**
   * Makes matching requests fail: `react` sees each action (reads too) and returns an error
   * to fail it with. Newest reactors run first. A reactor returning an error is not consulted
   * again if it removes itself via the returned function.
   */
  prependReactor(verb: FakeVerb | '*', resource: string, react: Reactor): () => void {
    const entry = { verb, resource, react };
    this.reactors.unshift(entry);
    return () => {
      const i = this.reactors.indexOf(entry);
      if (i >= 0) this.reactors.splice(i, 1);
    };
  }

  /** Fails the next `times` requests matching verb/resource with `err`. */
  failNext(verb: FakeVerb | '*', resource: string, err: Error, times = 1): void {
    let left = times;
    const remove = this.prependReactor(verb, resource, () => {
      if (--left <= 0) remove();
      return err;
    });
  }

  /** The current resourceVersion (what a list would report). */
  resourceVersion(): string {
    return String(this.revision);
  }

  /** Forgets watch history up to now: a watch from an older resourceVersion gets 410 Gone. */
  compact(): void {
    this.compactedRevision = this.revision;
    this.history.length = 0;
  }

  /** Sends a BOOKMARK at the current resourceVersion to every watch that asked for them. */
  bookmark(): void {
    for (const w of this.watches) {
      if (!w.bookmarks) continue;
      const type = this.registry.all().find((t) => t.resource === w.resource);
      w.deliver({ type: 'BOOKMARK', object: { apiVersion: type ? apiVersionOf(type) : 'v1', kind: type?.kind, metadata: { resourceVersion: this.resourceVersion() } } });
    }
  }

  /** Ends every open watch as a server closing its streams would (the watch() promises resolve). */
  closeWatches(): void {
    for (const w of [...this.watches]) w.end();
  }

  /** How many watches are open (tests check that components stop theirs). */
  openWatches(): number {
    return this.watches.size;
  }

  resource<T extends KubeObject = KubeObject>(type: ResourceType): ResourceClient<T> {
    return new FakeResourceClient<T>(this, type);
  }

  for<T extends KubeObject = KubeObject>(resourceName: string): ResourceClient<T> {
    const type = this.registry.resolve(resourceName);
    if (!type) throw new Error(`the server doesn't have a resource type "${resourceName}"`);
    return this.resource<T>(type);
  }

  async bindPod(namespace: string, podName: string, nodeName: string, podUid?: string): Promise<void> {
    const pods = this.typeByResource('pods');
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: podName, namespace, ...(podUid ? { uid: podUid } : {}) }, target: { apiVersion: 'v1', kind: 'Node', name: nodeName } };
    this.begin({ verb: 'create', resource: 'pods', subresource: 'binding', namespace, name: podName, object: binding });
    const pod = this.mustGet(pods, namespace, podName);
    if (podUid && pod.metadata?.uid !== podUid) throw statusErrors.conflict('pods', '', podName, `the UID in the precondition (${podUid}) does not match the UID in record (${pod.metadata?.uid})`);
    const spec = (fieldsOf(pod).spec ?? {}) as { nodeName?: string };
    if (spec.nodeName) throw statusErrors.conflict('pods', '', podName, `pod ${podName} is already assigned to node "${spec.nodeName}"`);
    this.store(pods, { ...pod, spec: { ...spec, nodeName } } as KubeObject, 'MODIFIED', pod);
  }

  async evictPod(namespace: string, podName: string, opts?: DeleteOptions): Promise<void> {
    const pods = this.typeByResource('pods');
    const eviction = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: podName, namespace }, ...(opts ? { deleteOptions: opts } : {}) };
    this.begin({ verb: 'create', resource: 'pods', subresource: 'eviction', namespace, name: podName, object: eviction });
    this.deleteObject(pods, namespace, podName, opts);
  }

  async request<R = unknown>(method: string, path: string): Promise<R> {
    throw new Error(`the fake client does not serve raw requests (${method} ${path})`);
  }

  // ---- the store, used by FakeResourceClient ----

  /** Logs a write, asks the reactors; throws what a reactor returns. */
  begin(action: FakeAction): void {
    if (WRITE_VERBS.has(action.verb)) this.log.push(structuredClone(action));
    for (const r of this.reactors) {
      if ((r.verb === '*' || r.verb === action.verb) && (r.resource === '*' || r.resource === action.resource)) {
        const err = r.react(action);
        if (err) throw err;
      }
    }
  }

  mustGet(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const obj = this.objects.get(objectKey(type, namespace, name));
    if (!obj) throw statusErrors.notFound(type.resource, type.group, name);
    return obj;
  }

  list(type: ResourceType, namespace: string | undefined, opts: ListOptions): KubeList {
    const matches = selectorMatcher(type, opts);
    const prefix = objectKey(type, type.namespaced ? namespace : undefined, '');
    const keys = [...this.objects.keys()].filter((k) => k.startsWith(type.namespaced && namespace ? prefix : `${type.group}/${type.resource}|`)).sort();
    let start = 0;
    if (opts.continue) {
      const after = Buffer.from(opts.continue, 'base64url').toString();
      start = keys.findIndex((k) => k > after);
      if (start < 0) start = keys.length;
    }
    const items: KubeObject[] = [];
    let lastKey: string | undefined;
    let i = start;
    for (; i < keys.length; i++) {
      const obj = this.objects.get(keys[i])!;
      if (!matches(obj)) continue;
      if (opts.limit && items.length >= opts.limit) break;
      items.push(structuredClone(obj));
      lastKey = keys[i];
    }
    const more = i < keys.length && lastKey !== undefined;
    return {
      apiVersion: apiVersionOf(type),
      kind: `${type.kind}List`,
      metadata: { resourceVersion: this.resourceVersion(), ...(more ? { continue: Buffer.from(lastKey!).toString('base64url') } : {}) },
      items,
    };
  }

  create(type: ResourceType, namespace: string | undefined, obj: KubeObject, dryRun: boolean): KubeObject {
    const ns = type.namespaced ? (namespace ?? obj.metadata?.namespace ?? 'default') : undefined;
    if (type.namespaced && obj.metadata?.namespace && namespace && obj.metadata.namespace !== namespace) {
      throw statusErrors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const prepared = this.prepareCreate(type, ns, obj);
    const name = prepared.metadata!.name!;
    if (this.objects.has(objectKey(type, ns, name))) throw statusErrors.alreadyExists(type.resource, type.group, name);
    if (dryRun) return prepared;
    return this.store(type, prepared, 'ADDED');
  }

  /**
   * Replaces an object, keeping what the server owns (uid, creationTimestamp, and status when
   * `mode` is 'main' for kinds with a status subresource, everything but status when 'status').
   */
  update(type: ResourceType, obj: KubeObject, mode: 'main' | 'status', dryRun: boolean, allowCreate = false): KubeObject {
    const name = obj.metadata?.name;
    if (!name) throw statusErrors.invalid(type.kind, '', 'metadata.name', 'Required value: name is required');
    const ns = type.namespaced ? (obj.metadata?.namespace ?? 'default') : undefined;
    const current = this.objects.get(objectKey(type, ns, name));
    if (!current) {
      if (allowCreate) return this.create(type, ns, obj, dryRun);
      throw statusErrors.notFound(type.resource, type.group, name);
    }
    const rv = obj.metadata?.resourceVersion;
    if (rv && rv !== current.metadata?.resourceVersion) throw statusErrors.conflict(type.resource, type.group, name);
    let next: KubeObject;
    if (mode === 'status') {
      next = { ...structuredClone(current), status: structuredClone(fieldsOf(obj).status) } as KubeObject;
    } else {
      next = structuredClone(obj);
      const specChanged = JSON.stringify(specOf(next)) !== JSON.stringify(specOf(current));
      const generation = (current.metadata?.generation ?? 1) + (specChanged ? 1 : 0);
      next.metadata = {
        ...next.metadata,
        uid: current.metadata?.uid,
        creationTimestamp: current.metadata?.creationTimestamp,
        namespace: ns,
        generation,
        ...(current.metadata?.deletionTimestamp ? { deletionTimestamp: current.metadata.deletionTimestamp } : {}),
      };
      if (type.subresources.includes('status')) {
        const status = fieldsOf(current).status;
        if (status === undefined) delete fieldsOf(next).status;
        else fieldsOf(next).status = structuredClone(status);
      }
    }
    next.apiVersion = apiVersionOf(type);
    next.kind = type.kind;
    if (dryRun) return next;
    // An object being deleted goes once its last finalizer is removed, as on the server.
    if (next.metadata?.deletionTimestamp && !(next.metadata.finalizers?.length)) {
      this.store(type, next, 'MODIFIED', current);
      return this.remove(type, ns, name);
    }
    return this.store(type, next, 'MODIFIED', current);
  }

  patch(type: ResourceType, namespace: string | undefined, name: string, patchType: PatchType, body: unknown, subresource: string | undefined, dryRun: boolean): KubeObject {
    const ns = type.namespaced ? (namespace ?? 'default') : undefined;
    const current = this.objects.get(objectKey(type, ns, name));
    if (!current && patchType !== 'apply') throw statusErrors.notFound(type.resource, type.group, name);
    const base: KubeObject = current ? structuredClone(current) : { apiVersion: apiVersionOf(type), kind: type.kind, metadata: { name, ...(ns ? { namespace: ns } : {}) } };
    // Strategic merge and apply are approximated by a JSON merge patch: lists are replaced
    // whole rather than merged by key; enough for tests of what a component sends.
    const patched = (patchType === 'json' ? applyJsonPatch(base, body) : applyMergePatch(base, body)) as KubeObject;
    // A patch that names a resourceVersion is a precondition; otherwise it applies to the latest.
    const pinned = isPlainRecord(body) && isPlainRecord(body.metadata) && body.metadata.resourceVersion;
    patched.metadata = { ...patched.metadata, name, ...(ns ? { namespace: ns } : {}), ...(current && !pinned ? { resourceVersion: current.metadata?.resourceVersion } : {}) };
    if (!current) return this.create(type, ns, patched, dryRun);
    return this.update(type, patched, subresource === 'status' ? 'status' : 'main', dryRun);
  }

  deleteObject(type: ResourceType, namespace: string | undefined, name: string, opts: DeleteOptions | undefined): void {
    const ns = type.namespaced ? (namespace ?? 'default') : undefined;
    const current = this.mustGet(type, ns, name);
    const pre = opts?.preconditions;
    if (pre?.uid && pre.uid !== current.metadata?.uid) throw statusErrors.conflict(type.resource, type.group, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata?.uid}`);
    if (pre?.resourceVersion && pre.resourceVersion !== current.metadata?.resourceVersion) throw statusErrors.conflict(type.resource, type.group, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata?.resourceVersion}`);
    const finalizers = [...(current.metadata?.finalizers ?? [])];
    if (opts?.propagationPolicy === 'Foreground' && !finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion');
    if (opts?.propagationPolicy === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan');
    if (finalizers.length === 0) {
      this.remove(type, ns, name);
      return;
    }
    if (current.metadata?.deletionTimestamp) return;
    const next = structuredClone(current);
    next.metadata = { ...next.metadata, finalizers, deletionTimestamp: this.now().toISOString(), deletionGracePeriodSeconds: 0 };
    this.store(type, next, 'MODIFIED', current);
  }

  /** Opens a watch; replays history after `resourceVersion`, or the current state as ADDED without one. */
  watch(type: ResourceType, namespace: string | undefined, opts: WatchOptions, onEvent: (ev: WatchEvent) => void, signal?: AbortSignal): Promise<void> {
    const matches = selectorMatcher(type, opts);
    const ns = type.namespaced ? namespace : undefined;
    const inScope = (obj: KubeObject) => !ns || obj.metadata?.namespace === ns;
    const from = opts.resourceVersion && opts.resourceVersion !== '0' ? Number(opts.resourceVersion) : undefined;
    if (from !== undefined && (!Number.isInteger(from) || from < this.compactedRevision)) {
      return Promise.reject(new GoneError(`too old resource version: ${opts.resourceVersion} (${this.compactedRevision})`));
    }
    // Events reach the handler through a microtask queue, in order, never from inside the
    // write that caused them (so handlers may write back without reentering the store).
    let pending: WatchEvent[] = [];
    let scheduled = false;
    let open = true;
    let dropPending = false;
    let failed: unknown;
    return new Promise<void>((resolve, reject) => {
      // A handler that throws ends the watch with its error, as a failed stream would.
      const flush = () => {
        scheduled = false;
        const batch = pending;
        pending = [];
        if (dropPending || failed !== undefined) return;
        for (const ev of batch) {
          try {
            onEvent(ev);
          } catch (err) {
            failed = err;
            finish(true);
            return;
          }
        }
      };
      // `aborted`: the caller stopped listening, so queued events are dropped; otherwise the
      // server ended the stream and what it had sent still arrives.
      const finish = (aborted: boolean) => {
        if (!open) return;
        open = false;
        dropPending = aborted;
        this.watches.delete(watch);
        signal?.removeEventListener('abort', onAbort);
        if (timer) clearTimeout(timer);
        queueMicrotask(() => {
          flush();
          if (failed !== undefined) reject(failed);
          else resolve();
        });
      };
      const onAbort = () => finish(true);
      const watch: OpenWatch = {
        resource: `${type.group}/${type.resource}`,
        namespace: ns,
        matches: (obj) => inScope(obj) && matches(obj),
        bookmarks: opts.allowWatchBookmarks ?? false,
        deliver: (ev) => {
          if (!open) return;
          pending.push(structuredClone(ev));
          if (!scheduled) {
            scheduled = true;
            queueMicrotask(flush);
          }
        },
        end: () => finish(false),
      };
      const timer = opts.timeoutSeconds ? setTimeout(watch.end, opts.timeoutSeconds * 1000) : undefined;
      timer?.unref();
      if (signal?.aborted) {
        resolve();
        return;
      }
      signal?.addEventListener('abort', onAbort);
      if (from === undefined) {
        for (const obj of this.objectsOf(type)) if (watch.matches(obj)) watch.deliver({ type: 'ADDED', object: obj });
      } else {
        for (const h of this.history) if (h.rv > from && h.resource === watch.resource) this.offer(watch, h);
      }
      this.watches.add(watch);
    });
  }

  private objectsOf(type: ResourceType): KubeObject[] {
    const prefix = `${type.group}/${type.resource}|`;
    return [...this.objects.entries()].filter(([k]) => k.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : 1)).map(([, o]) => o);
  }

  /** Delivers a change to one watch, as the server's filtered watch does: entering the selection is ADDED, leaving it DELETED. */
  private offer(w: OpenWatch, h: HistoryEntry): void {
    const now = w.matches(h.object);
    const before = h.previous ? w.matches(h.previous) : false;
    if (h.type === 'MODIFIED' && now && !before) w.deliver({ type: 'ADDED', object: h.object });
    else if (h.type === 'MODIFIED' && !now && before) w.deliver({ type: 'DELETED', object: h.object });
    else if (now) w.deliver({ type: h.type, object: h.object });
  }

  private prepareCreate(type: ResourceType, ns: string | undefined, obj: KubeObject): KubeObject {
    const out = structuredClone(obj);
    const meta = { ...out.metadata };
    if (!meta.name) {
      if (!meta.generateName) throw statusErrors.invalid(type.kind, '', 'metadata.name', 'Required value: name or generateName is required');
      meta.name = `${meta.generateName}${(++this.nameCounter).toString(36).padStart(5, '0')}`;
    }
    if (meta.resourceVersion) throw statusErrors.badRequest('resourceVersion should not be set on objects to be created');
    meta.uid = randomUUID();
    meta.creationTimestamp = this.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
    meta.generation = 1;
    if (ns) meta.namespace = ns;
    else delete meta.namespace;
    out.metadata = meta;
    out.apiVersion = apiVersionOf(type);
    out.kind = type.kind;
    return out;
  }

  private store(type: ResourceType, obj: KubeObject, event: 'ADDED' | 'MODIFIED', previous?: KubeObject): KubeObject {
    const stored = structuredClone(obj);
    stored.metadata = { ...stored.metadata, resourceVersion: String(++this.revision) };
    this.objects.set(objectKey(type, stored.metadata.namespace, stored.metadata.name!), stored);
    this.record({ rv: this.revision, resource: `${type.group}/${type.resource}`, type: event, object: stored, previous });
    return structuredClone(stored);
  }

  private remove(type: ResourceType, ns: string | undefined, name: string): KubeObject {
    const key = objectKey(type, ns, name);
    const last = structuredClone(this.objects.get(key)!);
    this.objects.delete(key);
    // A delete has its own revision, carried on the DELETED event's object.
    last.metadata = { ...last.metadata, resourceVersion: String(++this.revision) };
    this.record({ rv: this.revision, resource: `${type.group}/${type.resource}`, type: 'DELETED', object: last });
    return last;
  }

  private record(h: HistoryEntry): void {
    this.history.push(h);
    // Trim in batches: shifting one entry off a long array per write would copy it every time.
    if (this.history.length > this.historyLimit + 1024) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.compactedRevision = dropped[dropped.length - 1].rv;
    }
    for (const w of this.watches) if (w.resource === h.resource) this.offer(w, h);
  }

  private typeOf(obj: KubeObject): ResourceType {
    const type = obj.apiVersion && obj.kind ? this.registry.byKind(obj.apiVersion, obj.kind) : undefined;
    if (!type) throw new Error(`fake client: no served kind for apiVersion ${obj.apiVersion} kind ${obj.kind}`);
    return type;
  }

  private typeByResource(resource: string): ResourceType {
    const type = this.registry.resolve(resource);
    if (!type) throw new Error(`fake client: no resource ${resource}`);
    return type;
  }
}

class FakeResourceClient<T extends KubeObject> implements ResourceClient<T> {
  constructor(
    private readonly fake: FakeApiClient,
    readonly type: ResourceType,
  ) {}

  private ns(namespace: string | undefined): string | undefined {
    return this.type.namespaced ? namespace : undefined;
  }

  async get(namespace: string | undefined, name: string): Promise<T> {
    this.fake.begin({ verb: 'get', resource: this.type.resource, namespace: this.ns(namespace), name });
    return structuredClone(this.fake.mustGet(this.type, this.type.namespaced ? (namespace ?? 'default') : undefined, name)) as T;
  }

  async list(namespace: string | undefined, opts: ListOptions = {}): Promise<KubeList<T>> {
    this.fake.begin({ verb: 'list', resource: this.type.resource, namespace: this.ns(namespace) });
    return this.fake.list(this.type, this.ns(namespace), opts) as KubeList<T>;
  }

  async create(namespace: string | undefined, obj: T, opts?: WriteOptions): Promise<T> {
    const ns = this.type.namespaced ? (namespace ?? obj.metadata?.namespace ?? 'default') : undefined;
    this.fake.begin({ verb: 'create', resource: this.type.resource, namespace: ns, name: obj.metadata?.name, object: obj });
    return this.fake.create(this.type, ns, obj, opts?.dryRun ?? false) as T;
  }

  async update(obj: T, opts?: WriteOptions): Promise<T> {
    this.fake.begin({ verb: 'update', resource: this.type.resource, namespace: this.ns(obj.metadata?.namespace ?? 'default'), name: obj.metadata?.name, object: obj });
    return this.fake.update(this.type, obj, 'main', opts?.dryRun ?? false) as T;
  }

  async updateStatus(obj: T, opts?: WriteOptions): Promise<T> {
    this.fake.begin({ verb: 'update', resource: this.type.resource, subresource: 'status', namespace: this.ns(obj.metadata?.namespace ?? 'default'), name: obj.metadata?.name, object: obj });
    return this.fake.update(this.type, obj, 'status', opts?.dryRun ?? false) as T;
  }

  async patch(namespace: string | undefined, name: string, type: PatchType, patch: unknown, opts?: WriteOptions & { subresource?: string; force?: boolean }): Promise<T> {
    const ns = this.type.namespaced ? (namespace ?? 'default') : undefined;
    this.fake.begin({ verb: 'patch', resource: this.type.resource, ...(opts?.subresource ? { subresource: opts.subresource } : {}), namespace: ns, name, object: patch, patchType: type });
    return this.fake.patch(this.type, ns, name, type, patch, opts?.subresource, opts?.dryRun ?? false) as T;
  }

  async delete(namespace: string | undefined, name: string, opts?: DeleteOptions): Promise<void> {
    const ns = this.type.namespaced ? (namespace ?? 'default') : undefined;
    this.fake.begin({ verb: 'delete', resource: this.type.resource, namespace: ns, name });
    this.fake.deleteObject(this.type, ns, name, opts);
  }

  async watch(namespace: string | undefined, opts: WatchOptions, onEvent: (ev: WatchEvent<T>) => void, signal?: AbortSignal): Promise<void> {
    this.fake.begin({ verb: 'watch', resource: this.type.resource, namespace: this.ns(namespace) });
    return this.fake.watch(this.type, this.ns(namespace), opts, onEvent as (ev: WatchEvent) => void, signal);
  }
}

function objectKey(type: ResourceType, namespace: string | undefined, name: string): string {
  return `${type.group}/${type.resource}|${type.namespaced ? `${namespace ?? ''}/` : ''}${name}`;
}

/** The API server's selector semantics (api/labels, api/fields), including 400 for a field the kind cannot be selected by. */
function selectorMatcher(type: ResourceType, opts: ListOptions): (obj: KubeObject) => boolean {
  let labels: ReturnType<typeof parseLabelSelector>;
  let fields: ReturnType<typeof parseFieldSelector>;
  try {
    labels = parseLabelSelector(opts.labelSelector ?? '');
    fields = parseFieldSelector(opts.fieldSelector ?? '');
  } catch (err) {
    throw statusErrors.badRequest((err as Error).message);
  }
  const unsupported = unsupportedFields(type, fields);
  if (unsupported.length > 0) throw statusErrors.badRequest(`field label not supported: ${unsupported[0]}`);
  return (obj) => labels.matches(obj.metadata?.labels) && fields.matches(selectableFieldsOf(type, obj));
}

/** Everything but metadata and status: what a change to bumps `metadata.generation`. */
function specOf(obj: KubeObject): unknown {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = fieldsOf(obj);
  return rest;
}

function isPlainRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

