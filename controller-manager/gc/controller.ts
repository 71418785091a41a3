// The garbage collector: deletes objects whose owners are all gone (background cascade),
// deletes the dependents of an owner being deleted in the foreground and then lets the owner
// go (removes `foregroundDeletion`), and strips the ownerReferences from the dependents of an
// owner deleted with orphan propagation (then removes `orphan`). Work items are object uids.
//
// As upstream, it watches every kind the server serves that can be listed, watched and
// deleted — custom kinds included — found by discovery at start and again every
// `rediscoverEveryMs`, and at once when an ownerReference names a kind it does not know yet.

import type { KubeObject, OwnerReference } from '../types.js';
import type { DeleteOptions, Informer } from '../../client/interfaces.js';
import { isConflict, isNotFound } from '../../client/errors.js';
import { parseApiVersion, ResourceRegistry, type ResourceType } from '../../api/resources.js';
import { Controller, type ControllerContext, type ReconcileResult } from '../controller.js';
import { OwnerGraph } from './graph.js';

/** The kinds watched from the start, before discovery answers: those that usually own or are owned. */
export const GC_RESOURCES = ['pods', 'replicasets', 'deployments', 'daemonsets', 'jobs', 'controllerrevisions', 'endpointslices', 'services', 'endpoints'];

/** Kinds never collected, as upstream: events come and go on their own TTL. */
const IGNORED = new Set(['/events', 'events.k8s.io/events']);

export interface GarbageCollectorOptions {
  /** Every kind the server serves now; without it only GC_RESOURCES are watched. */
  discover?: () => Promise<ResourceType[]>;
  /** How often discovery runs again (upstream: 30 s). */
  rediscoverEveryMs?: number;
}

/** Whether the collector watches a kind: it can be listed, watched and deleted, and is not ignored. */
export function collectable(t: ResourceType): boolean {
  return ['list', 'watch', 'delete'].every((v) => t.verbs.includes(v)) && !IGNORED.has(`${t.group}/${t.resource}`);
}

/** Kinds are watched once per group and resource, whatever version discovery listed first. */
const monitorKey = (t: Pick<ResourceType, 'group' | 'resource'>): string => `${t.resource}.${t.group}`;

export const FOREGROUND = 'foregroundDeletion';
export const ORPHAN = 'orphan';

const hasFinalizer = (obj: KubeObject, f: string): boolean => obj.metadata?.finalizers?.includes(f) ?? false;
const ownerRefsKey = (obj: KubeObject): string => (obj.metadata?.ownerReferences ?? []).map((r) => `${r.uid}:${r.blockOwnerDeletion ? 1 : 0}`).join(',');

export class GarbageCollector extends Controller {
  readonly graph = new OwnerGraph();
  /** Informers by monitorKey. */
  private readonly informers = new Map<string, Informer<KubeObject>>();
  /** The kinds owners are looked up in: built-in at first, then what discovery found. */
  private registry = new ResourceRegistry();
  /** uids of owners confirmed gone by a live read; uids are never reused, so this never goes stale. */
  private readonly absentOwners = new Set<string>();
  private discovery: Promise<void> | undefined;

  constructor(
    ctx: ControllerContext,
    private readonly opts: GarbageCollectorOptions = {},
  ) {
    super('garbagecollector', ctx);
    for (const resource of GC_RESOURCES) {
      const type = this.registry.resolve(resource);
      if (type) this.uses(this.monitor(type));
    }
  }

  /** Watches one kind (once); its objects join the graph. */
  private monitor(type: ResourceType): Informer<KubeObject> {
    const key = monitorKey(type);
    const known = this.informers.get(key);
    if (known) return known;
    const inf = this.ctx.informers.informerFor<KubeObject>(type);
    this.informers.set(key, inf);
    inf.addEventHandler({
      onAdd: (obj) => this.observed(key, obj, undefined),
      onUpdate: (old, obj) => this.observed(key, obj, old),
      onDelete: (obj) => {
        const { owners, dependents } = this.graph.remove(obj);
        // Dependents may now be orphans of a gone owner; owners may be waiting for this one.
        for (const uid of [...dependents, ...owners]) this.queue.add(uid);
      },
    });
    return inf;
  }

  /** Runs discovery (one at a time) and watches every collectable kind it finds. */
  rediscover(): Promise<void> {
    const discover = this.opts.discover;
    if (!discover) return Promise.resolve();
    this.discovery ??= (async () => {
      try {
        const types = await discover();
        this.registry = new ResourceRegistry(types);
        for (const t of types) if (collectable(t)) this.monitor(t);
      } catch (err) {
        this.ctx.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'garbage collector: discovery failed; trying again later');
      } finally {
        this.discovery = undefined;
      }
    })();
    return this.discovery;
  }

  override async run(workers: number, signal: AbortSignal): Promise<void> {
    if (this.opts.discover) {
      void this.rediscover();
      const timer = setInterval(() => void this.rediscover(), this.opts.rediscoverEveryMs ?? 30_000);
      signal.addEventListener('abort', () => clearInterval(timer), { once: true });
    }
    await super.run(workers, signal);
  }

  private observed(monitor: string, obj: KubeObject, old: KubeObject | undefined): void {
    const uid = obj.metadata?.uid;
    if (!uid) return;
    const { changedOwners } = this.graph.upsert(monitor, obj);
    for (const o of changedOwners) this.queue.add(o);
    const refsChanged = !old || ownerRefsKey(old) !== ownerRefsKey(obj);
    const deletingWithPolicy = !!obj.metadata?.deletionTimestamp && (hasFinalizer(obj, FOREGROUND) || hasFinalizer(obj, ORPHAN));
    if ((refsChanged && (obj.metadata?.ownerReferences?.length ?? 0) > 0) || deletingWithPolicy) this.queue.add(uid);
  }

  private lookup(uid: string): KubeObject | undefined {
    const loc = this.graph.locate(uid);
    if (!loc) return undefined;
    const obj = this.informers.get(loc.monitor)?.lister.get(loc.key);
    return obj?.metadata?.uid === uid ? obj : undefined;
  }

  async reconcile(uid: string): Promise<ReconcileResult> {
    const obj = this.lookup(uid);
    if (!obj) return;
    if (obj.metadata?.deletionTimestamp) {
      if (hasFinalizer(obj, ORPHAN)) return this.orphanDependents(obj);
      if (hasFinalizer(obj, FOREGROUND)) return this.deleteDependents(obj);
      return;
    }
    if ((obj.metadata?.ownerReferences?.length ?? 0) > 0) await this.collectIfOrphaned(obj);
  }

  /** Deletes `obj` when none of its owners remains; drops references to owners that are gone. */
  private async collectIfOrphaned(obj: KubeObject): Promise<void> {
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of obj.metadata?.ownerReferences ?? []) {
      const owner = await this.resolveOwner(ref, obj.metadata?.namespace);
      if (owner === 'unknown') {
        // A kind discovery has not shown us (a CRD created a moment ago): look again, retry later.
        if (this.opts.discover) {
          await this.rediscover();
          if (!this.ownerType(ref)) throw new Error(`owner ${ref.kind} ${ref.name} is of a kind the server does not serve (${ref.apiVersion})`);
          return this.collectIfOrphaned(obj);
        }
        solid.push(ref);
      }
      else if (!owner) dangling.push(ref);
      else if (owner.metadata?.deletionTimestamp && hasFinalizer(owner, FOREGROUND)) waiting.push(ref);
      else solid.push(ref);
    }
    if (solid.length > 0) {
      if (dangling.length + waiting.length === 0) return;
      const gone = new Set([...dangling, ...waiting].map((r) => r.uid));
      await this.updateOwnerRefs(obj, (refs) => refs.filter((r) => !gone.has(r.uid)));
      return;
    }
    // An owner deleted in the foreground wants this one gone first, with its own dependents before it.
    const policy: DeleteOptions['propagationPolicy'] =
      waiting.length > 0 && this.graph.dependents(obj.metadata!.uid!).length > 0 ? 'Foreground' : hasFinalizer(obj, ORPHAN) ? 'Orphan' : hasFinalizer(obj, FOREGROUND) ? 'Foreground' : 'Background';
    await this.deleteObject(obj, policy);
  }

  /** The owner if it exists with the referenced uid; undefined if gone; 'unknown' for kinds we cannot look up. */
  private async resolveOwner(ref: OwnerReference, namespace: string | undefined): Promise<KubeObject | undefined | 'unknown'> {
    if (this.absentOwners.has(ref.uid)) return undefined;
    const type = this.ownerType(ref);
    if (!type) return 'unknown';
    const ns = type.namespaced ? namespace : undefined;
    const cached = this.informers.get(monitorKey(type))?.lister.get(ns ? `${ns}/${ref.name}` : ref.name);
    if (cached?.metadata?.uid === ref.uid) return cached;
    // The cache may lag behind an owner created a moment ago: only a live read may say it is gone.
    try {
      const live = await this.ctx.client.resource(type).get(ns, ref.name);
      if (live.metadata?.uid === ref.uid) return live;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (this.absentOwners.size > 10_000) this.absentOwners.clear();
    this.absentOwners.add(ref.uid);
    return undefined;
  }

  /** Foreground: delete every dependent; the owner goes once no dependent blocks it. */
  private async deleteDependents(owner: KubeObject): Promise<void> {
    const uid = owner.metadata!.uid!;
    const dependents = this.graph.dependents(uid).map((d) => this.lookup(d)).filter((d): d is KubeObject => !!d);
    const blocking = dependents.filter((d) => d.metadata?.ownerReferences?.some((r) => r.uid === uid && r.blockOwnerDeletion));
    for (const dep of dependents) {
      if (dep.metadata?.deletionTimestamp) continue;
      const hasOwn = this.graph.dependents(dep.metadata!.uid!).length > 0;
      await this.deleteObject(dep, hasOwn ? 'Foreground' : 'Background');
    }
    if (blocking.length === 0) await this.removeFinalizer(owner, FOREGROUND);
  }

  /** Orphan: strip the owner from every dependent, then let the owner go. */
  private async orphanDependents(owner: KubeObject): Promise<void> {
    const uid = owner.metadata!.uid!;
    for (const d of this.graph.dependents(uid)) {
      const dep = this.lookup(d);
      if (dep) await this.updateOwnerRefs(dep, (refs) => refs.filter((r) => r.uid !== uid));
    }
    await this.removeFinalizer(owner, ORPHAN);
  }

  /** The owner's kind: its exact version if served, else any served version of its group and kind. */
  private ownerType(ref: OwnerReference): ResourceType | undefined {
    const exact = this.registry.byKind(ref.apiVersion, ref.kind);
    if (exact) return exact;
    const { group } = parseApiVersion(ref.apiVersion);
    return this.registry.all().find((t) => t.group === group && t.kind === ref.kind);
  }

  private typeOf(obj: KubeObject): ResourceType | undefined {
    const loc = this.graph.locate(obj.metadata?.uid ?? '');
    return loc ? this.registry.all().find((t) => monitorKey(t) === loc.monitor) : this.registry.byKind(obj.apiVersion ?? '', obj.kind ?? '');
  }

  private async deleteObject(obj: KubeObject, propagationPolicy: DeleteOptions['propagationPolicy']): Promise<void> {
    const type = this.typeOf(obj);
    if (!type) return;
    try {
      await this.ctx.client.resource(type).delete(obj.metadata?.namespace, obj.metadata!.name!, { propagationPolicy, preconditions: { uid: obj.metadata?.uid } });
      this.ctx.log.debug({ kind: type.kind, key: `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name}`, propagationPolicy }, 'garbage collected');
    } catch (err) {
      // Gone already, or replaced by a new object of the same name (uid precondition): nothing to do.
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }

  private async updateOwnerRefs(obj: KubeObject, change: (refs: OwnerReference[]) => OwnerReference[]): Promise<void> {
    const type = this.typeOf(obj);
    if (!type) return;
    const client = this.ctx.client.resource(type);
    try {
      const fresh = await client.get(obj.metadata?.namespace, obj.metadata!.name!);
      if (fresh.metadata?.uid !== obj.metadata?.uid) return;
      await client.update({ ...fresh, metadata: { ...fresh.metadata, ownerReferences: change(fresh.metadata?.ownerReferences ?? []) } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async removeFinalizer(obj: KubeObject, finalizer: string): Promise<void> {
    const type = this.typeOf(obj);
    if (!type) return;
    const client = this.ctx.client.resource(type);
    try {
      const fresh = await client.get(obj.metadata?.namespace, obj.metadata!.name!);
      if (fresh.metadata?.uid !== obj.metadata?.uid || !hasFinalizer(fresh, finalizer)) return;
      await client.update({ ...fresh, metadata: { ...fresh.metadata, finalizers: fresh.metadata?.finalizers?.filter((f) => f !== finalizer) } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
