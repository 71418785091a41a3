// A small in-memory Store for the HTTP layer's unit tests: resourceVersions from one counter,
// preconditions, and watches fed from an event log. Not for running a server.

import { storageKey, type ResourceType } from '../../api/resources.js';
import { mutableMeta, type KubeList, type KubeObject, type WatchEvent } from '../../api/types.js';
import { errors } from '../errors.js';
import type { ListOptions, Preconditions, Store, WatchOptions, WatchStream } from '../storage/store.js';

interface Logged {
  rv: number;
  key: string;
  event: WatchEvent;
}

export class MemoryStore implements Store {
  private rev = 1;
  private readonly objects = new Map<string, KubeObject>();
  private readonly log: Logged[] = [];
  private readonly listeners = new Set<() => void>();
  up = true;

  private check(): void {
    if (!this.up) throw errors.unavailable('etcd: memory store is down');
  }

  private write(type: ResourceType, obj: KubeObject, kind: 'ADDED' | 'MODIFIED' | 'DELETED'): KubeObject {
    const rv = ++this.rev;
    const stored = structuredClone(obj);
    mutableMeta(stored).resourceVersion = String(rv);
    const key = storageKey(type, obj.metadata?.namespace, obj.metadata?.name ?? '');
    if (kind === 'DELETED') this.objects.delete(key);
    else this.objects.set(key, stored);
    this.log.push({ rv, key, event: { type: kind, object: stored } });
    for (const l of this.listeners) l();
    return structuredClone(stored);
  }

  private precondition(type: ResourceType, current: KubeObject, pre?: Preconditions): void {
    const name = current.metadata?.name ?? '';
    if (pre?.resourceVersion && pre.resourceVersion !== current.metadata?.resourceVersion) throw errors.conflict(type.resource, type.group, name);
    if (pre?.uid && pre.uid !== current.metadata?.uid) throw errors.conflict(type.resource, type.group, name, 'uid precondition failed');
  }

  async create(type: ResourceType, obj: KubeObject): Promise<KubeObject> {
    this.check();
    const key = storageKey(type, obj.metadata?.namespace, obj.metadata?.name ?? '');
    if (this.objects.has(key)) throw errors.alreadyExists(type.resource, type.group, obj.metadata?.name ?? '');
    return this.write(type, obj, 'ADDED');
  }

  async get(type: ResourceType, namespace: string | undefined, name: string): Promise<KubeObject> {
    this.check();
    const obj = this.objects.get(storageKey(type, namespace, name));
    if (!obj) throw errors.notFound(type.resource, type.group, name);
    return structuredClone(obj);
  }

  async list(type: ResourceType, opts: ListOptions): Promise<KubeList> {
    this.check();
    const prefix = storageKey(type, opts.namespace ?? '', '').replace(/\/+$/, '/');
    const all = [...this.objects.entries()]
      .filter(([k]) => k.startsWith(prefix))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, o]) => o)
      .filter((o) => !opts.filter || opts.filter.matches(o));
    const start = opts.continue ? Number(opts.continue) : 0;
    const end = opts.limit ? start + opts.limit : all.length;
    const items = all.slice(start, end).map((o) => structuredClone(o));
    return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: String(this.rev), ...(end < all.length ? { continue: String(end) } : {}) }, items };
  }

  async update(type: ResourceType, obj: KubeObject, pre?: Preconditions): Promise<KubeObject> {
    const current = await this.get(type, obj.metadata?.namespace, obj.metadata?.name ?? '');
    this.precondition(type, current, pre);
    return this.write(type, obj, 'MODIFIED');
  }

  async guaranteedUpdate(type: ResourceType, namespace: string | undefined, name: string, mutate: (c: KubeObject) => KubeObject | Promise<KubeObject>): Promise<KubeObject> {
    const current = await this.get(type, namespace, name);
    const next = await mutate(structuredClone(current));
    if (JSON.stringify(next) === JSON.stringify(current)) return current;
    return this.write(type, next, 'MODIFIED');
  }

  async delete(type: ResourceType, namespace: string | undefined, name: string, pre?: Preconditions): Promise<KubeObject> {
    const current = await this.get(type, namespace, name);
    this.precondition(type, current, pre);
    return this.write(type, current, 'DELETED');
  }

  async watch(type: ResourceType, opts: WatchOptions): Promise<WatchStream> {
    this.check();
    const prefix = storageKey(type, opts.namespace ?? '', '').replace(/\/+$/, '/');
    const from = opts.resourceVersion && opts.resourceVersion !== '0' ? Number(opts.resourceVersion) : undefined;
    const queue: WatchEvent[] = [];
    if (from === undefined) {
      const list = await this.list(type, { namespace: opts.namespace, filter: opts.filter });
      queue.push(...list.items.map((o) => ({ type: 'ADDED' as const, object: o })));
    }
    let cursor = from === undefined ? this.log.length : this.log.findIndex((l) => l.rv > from);
    if (cursor < 0) cursor = this.log.length;
    let closed = false;
    let wake: (() => void) | undefined;
    const pump = () => {
      for (; cursor < this.log.length; cursor++) {
        const l = this.log[cursor];
        if (l.key.startsWith(prefix) && (!opts.filter || opts.filter.matches(l.event.object))) queue.push(structuredClone(l.event));
      }
      wake?.();
    };
    this.listeners.add(pump);
    pump();
    const listeners = this.listeners;
    return {
      close() {
        closed = true;
        listeners.delete(pump);
        wake?.();
      },
      async *[Symbol.asyncIterator]() {
        while (!closed) {
          const next = queue.shift();
          if (next) {
            yield next;
            continue;
          }
          await new Promise<void>((r) => (wake = r));
          wake = undefined;
        }
      },
    };
  }

  async currentRevision(): Promise<string> {
    return String(this.rev);
  }
  healthy(): boolean {
    return this.up;
  }
  async close(): Promise<void> {}
}
