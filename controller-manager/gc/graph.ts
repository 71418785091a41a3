// The ownerReferences graph the garbage collector walks: for every object seen by its
// informers, where to find it (which informer, and its key there) and which objects name it as an owner.
// Edges are kept by uid, so a new object that reuses an old name is never mistaken for it.

import type { KubeObject, OwnerReference } from '../types.js';
import { objectKey } from '../../api/meta.js';

export interface NodeLocation {
  /** The informer that holds it (`pods.`, `greetings.example.com`). */
  monitor: string;
  key: string;
  namespace?: string;
}

interface GraphNode {
  location: NodeLocation;
  owners: OwnerReference[];
}

export class OwnerGraph {
  private readonly nodes = new Map<string, GraphNode>();
  /** owner uid → dependent uids (the owner itself need not be known: it may be gone). */
  private readonly dependentsOf = new Map<string, Set<string>>();

  /** Records (or refreshes) an object; returns the owner uids it gained or lost. */
  upsert(monitor: string, obj: KubeObject): { changedOwners: string[] } {
    const uid = obj.metadata?.uid;
    if (!uid) return { changedOwners: [] };
    const owners = obj.metadata?.ownerReferences ?? [];
    const before = new Set((this.nodes.get(uid)?.owners ?? []).map((r) => r.uid));
    const after = new Set(owners.map((r) => r.uid));
    for (const o of before) if (!after.has(o)) this.dependentsOf.get(o)?.delete(uid);
    for (const o of after) {
      let set = this.dependentsOf.get(o);
      if (!set) this.dependentsOf.set(o, (set = new Set()));
      set.add(uid);
    }
    this.nodes.set(uid, { location: { monitor, key: objectKey(obj), namespace: obj.metadata?.namespace }, owners });
    return { changedOwners: [...before, ...after].filter((o) => before.has(o) !== after.has(o)) };
  }

  /** Forgets a deleted object; returns its owners (they may be waiting for it) and its dependents. */
  remove(obj: KubeObject): { owners: string[]; dependents: string[] } {
    const uid = obj.metadata?.uid;
    if (!uid) return { owners: [], dependents: [] };
    const node = this.nodes.get(uid);
    this.nodes.delete(uid);
    const owners = (node?.owners ?? obj.metadata?.ownerReferences ?? []).map((r) => r.uid);
    for (const o of owners) {
      const set = this.dependentsOf.get(o);
      set?.delete(uid);
      if (set && set.size === 0) this.dependentsOf.delete(o);
    }
    return { owners, dependents: [...(this.dependentsOf.get(uid) ?? [])] };
  }

  locate(uid: string): NodeLocation | undefined {
    return this.nodes.get(uid)?.location;
  }

  dependents(uid: string): string[] {
    return [...(this.dependentsOf.get(uid) ?? [])].filter((d) => this.nodes.has(d));
  }

  size(): number {
    return this.nodes.size;
  }
}
