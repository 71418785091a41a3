// The garbage collector: deletes objects whose owners are all gone (background cascade),
// deletes the dependents of an owner being deleted in the foreground and then lets the owner
// go (removes `foregroundDeletion`), and strips the ownerReferences from the dependents of an
// owner deleted with orphan propagation (then removes `orphan`). Work items are object uids.

import type { KubeObject, OwnerReference } from '../types.js';
import type { DeleteOptions, Informer } from '../../client/interfaces.js';
import { isConflict, isNotFound } from '../../client/errors.js';
import { ResourceRegistry } from '../../api/resources.js';
import { Controller, type ControllerContext, type ReconcileResult } from '../controller.js';
import { OwnerGraph } from './graph.js';

/** The kinds whose objects carry ownerReferences worth collecting (and the usual owners). */
export const GC_RESOURCES = ['pods', 'replicasets', 'deployments', 'daemonsets', 'jobs', 'controllerrevisions', 'endpointslices', 'services', 'endpoints'];

export const FOREGROUND = 'foregroundDeletion';
export const ORPHAN = 'orphan';

const hasFinalizer = (obj: KubeObject, f: string): boolean => obj.metadata?.finalizers?.includes(f) ?? false;
const ownerRefsKey = (obj: KubeObject): string => (obj.metadata?.ownerReferences ?? []).map((r) => `${r.uid}:${r.blockOwnerDeletion ? 1 : 0}`).join(',');

export class GarbageCollector extends Controller {
  readonly graph = new OwnerGraph();
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private readonly registry = new ResourceRegistry();
  /** uids of owners confirmed gone by a live read; uids are never reused, so this never goes stale. */
  private readonly absentOwners = new Set<string>();

  constructor(ctx: ControllerContext, resources: string[] = GC_RESOURCES) {
    super('garbagecollector', ctx);
    for (const resource of resources) {
      const inf = this.uses(ctx.informers.informerFor<KubeObject>(resource));
      this.informers.set(resource, inf);
      inf.addEventHandler({
        onAdd: (obj) => this.observed(resource, obj, undefined),
        onUpdate: (old, obj) => this.observed(resource, obj, old),
        onDelete: (obj) => {
          const { owners, dependents } = this.graph.remove(obj);
          // Dependents may now be orphans of a gone owner; owners may be waiting for this one.
          for (const uid of [...dependents, ...owners]) this.queue.add(uid);
        },
      });
    }
  }

  private observed(resource: string, obj: KubeObject, old: KubeObject | undefined): void {
    const uid = obj.metadata?.uid;
    if (!uid) return;
    const { changedOwners } = this.graph.upsert(resource, obj);
    for (const o of changedOwners) this.queue.add(o);
    const refsChanged = !old || ownerRefsKey(old) !== ownerRefsKey(obj);
    const deletingWithPolicy = !!obj.metadata?.deletionTimestamp && (hasFinalizer(obj, FOREGROUND) || hasFinalizer(obj, ORPHAN));
    if ((refsChanged && (obj.metadata?.ownerReferences?.length ?? 0) > 0) || deletingWithPolicy) this.queue.add(uid);
  }

  private lookup(uid: string): KubeObject | undefined {
    const loc = this.graph.locate(uid);
    if (!loc) return undefined;
    const obj = this.informers.get(loc.resource)?.lister.get(loc.key);
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
      if (owner === 'unknown') solid.push(ref);
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
    const type = this.registry.byKind(ref.apiVersion, ref.kind);
    if (!type) return 'unknown';
    const ns = type.namespaced ? namespace : undefined;
    const cached = this.informers.get(type.resource)?.lister.get(ns ? `${ns}/${ref.name}` : ref.name);
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

  private typeOf(obj: KubeObject): ReturnType<ResourceRegistry['byKind']> {
    const loc = this.graph.locate(obj.metadata?.uid ?? '');
    return loc ? this.registry.all().find((t) => t.resource === loc.resource) : this.registry.byKind(obj.apiVersion ?? '', obj.kind ?? '');
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
