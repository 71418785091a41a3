// The informer's local store: objects keyed `namespace/name` (or `name` when cluster-scoped)
// with secondary indexes kept in step on every write, so listers answer "pods on node x" or
// "pods in namespace y" without scanning. One writer (the informer), many readers (listers).

import type { KubeObject } from '../api/types.js';
import type { Lister } from './interfaces.js';

// The key helpers live in api/meta.ts; re-exported here for the informer's users.
export { objectKey, splitKey } from '../api/meta.js';
import { objectKey } from '../api/meta.js';

export type IndexFunc<T> = (obj: T) => string[];

export const NAMESPACE_INDEX = 'namespace';

interface Index<T> {
  fn: IndexFunc<T>;
  /** index value → keys filed under it */
  byValue: Map<string, Set<string>>;
}

export class IndexedCache<T extends KubeObject> implements Lister<T> {
  private readonly items = new Map<string, T>();
  private readonly indexes = new Map<string, Index<T>>();

  constructor() {
    this.addIndex(NAMESPACE_INDEX, (obj) => (obj.metadata?.namespace ? [obj.metadata.namespace] : []));
  }

  /** Adds an index; objects already cached are filed at once. */
  addIndex(name: string, fn: IndexFunc<T>): void {
    if (this.indexes.has(name)) throw new Error(`index ${JSON.stringify(name)} already exists`);
    const index: Index<T> = { fn, byValue: new Map() };
    this.indexes.set(name, index);
    for (const [key, obj] of this.items) this.file(index, key, obj);
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  get size(): number {
    return this.items.size;
  }

  byIndex(indexName: string, value: string): T[] {
    const index = this.indexes.get(indexName);
    if (!index) throw new Error(`index ${JSON.stringify(indexName)} does not exist`);
    const keys = index.byValue.get(value);
    return keys ? [...keys].map((k) => this.items.get(k)!) : [];
  }

  /** Stores `obj`; returns the object it replaced. */
  put(obj: T): T | undefined {
    const key = objectKey(obj);
    const old = this.items.get(key);
    if (old) for (const index of this.indexes.values()) this.unfile(index, key, old);
    this.items.set(key, obj);
    for (const index of this.indexes.values()) this.file(index, key, obj);
    return old;
  }

  /** Removes the object under `key`; returns it. */
  remove(key: string): T | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    for (const index of this.indexes.values()) this.unfile(index, key, old);
    this.items.delete(key);
    return old;
  }

  private file(index: Index<T>, key: string, obj: T): void {
    for (const value of index.fn(obj)) {
      let keys = index.byValue.get(value);
      if (!keys) index.byValue.set(value, (keys = new Set()));
      keys.add(key);
    }
  }

  private unfile(index: Index<T>, key: string, obj: T): void {
    for (const value of index.fn(obj)) {
      const keys = index.byValue.get(value);
      keys?.delete(key);
      if (keys?.size === 0) index.byValue.delete(value);
    }
  }
}
