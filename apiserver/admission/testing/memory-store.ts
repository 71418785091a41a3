// Test-only: an in-memory Store with the storage contract's behaviour where unit tests of
// admission, deletion and subresources depend on it — resourceVersions from a counter,
// NotFound / AlreadyExists / Conflict as ApiErrors, preconditions, guaranteedUpdate retrying
// on conflict. Watches are not offered (those tests use real etcd).

import type { ResourceType } from '../../../api/resources.js';
import type { KubeList, KubeObject } from '../../../api/types.js';
import { apiVersionOf } from '../../../api/resources.js';
import { ApiError, errors } from '../../errors.js';
import type { ListOptions, Preconditions, Store, WatchStream } from '../../storage/store.js';

export class MemoryStore implements Store {
  private readonly objects = new Map<string, KubeObject>();
  private revision = 0;
  /** Every write in order, for tests that assert what was written. */
  readonly writes: Array<{ verb: 'create' | 'update' | 'delete'; resource: string; name: string }> = [];
  /** Called before each update commits; a test may throw a conflict here to exercise retries. */
  beforeUpdate?: (type: ResourceType, obj: KubeObject) => void | Promise<void>;

  private key(type: ResourceType, namespace: string | undefined, name: string): string {
    return `${type.group}/${type.resource}/${type.namespaced ? namespace ?? '' : ''}/${name}`;
  }

  private stamp(obj: KubeObject): KubeObject {
    const copy = structuredClone(obj);
    copy.metadata = { ...(copy.metadata ?? {}), resourceVersion: String(++this.revision) };
    return copy;
  }

  async create(type: ResourceType, obj: KubeObject): Promise<KubeObject> {
    const name = obj.metadata?.name ?? '';
    const key = this.key(type, obj.metadata?.namespace, name);
    if (this.objects.has(key)) throw errors.alreadyExists(type.resource, type.group, name);
    const stored = this.stamp({ apiVersion: apiVersionOf(type), kind: type.kind, ...obj });
    this.objects.set(key, stored);
    this.writes.push({ verb: 'create', resource: type.resource, name });
    return structuredClone(stored);
  }

  async get(type: ResourceType, namespace: string | undefined, name: string): Promise<KubeObject> {
    const found = this.objects.get(this.key(type, namespace, name));
    if (!found) throw errors.notFound(type.resource, type.group, name);
    return structuredClone(found);
  }

  async list(type: ResourceType, opts: ListOptions): Promise<KubeList> {
    const prefix = `${type.group}/${type.resource}/`;
    const items = [...this.objects.entries()]
      .filter(([k, o]) => k.startsWith(prefix) && (!opts.namespace || o.metadata?.namespace === opts.namespace))
      .map(([, o]) => structuredClone(o))
      .filter((o) => !opts.filter || opts.filter.matches(o));
    return { apiVersion: apiVersionOf(type), kind: `${type.kind}List`, metadata: { resourceVersion: String(this.revision) }, items };
  }

  private check(type: ResourceType, current: KubeObject, pre: Preconditions | undefined): void {
    const name = current.metadata?.name ?? '';
    if (pre?.uid && pre.uid !== current.metadata?.uid) {
      throw errors.conflict(type.resource, type.group, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata?.uid ?? ''}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== current.metadata?.resourceVersion) {
      throw errors.conflict(type.resource, type.group, name);
    }
  }

  async update(type: ResourceType, obj: KubeObject, preconditions?: Preconditions): Promise<KubeObject> {
    const name = obj.metadata?.name ?? '';
    const key = this.key(type, obj.metadata?.namespace, name);
    const current = this.objects.get(key);
    if (!current) throw errors.notFound(type.resource, type.group, name);
    this.check(type, current, preconditions);
    await this.beforeUpdate?.(type, obj);
    const stored = this.stamp(obj);
    this.objects.set(key, stored);
    this.writes.push({ verb: 'update', resource: type.resource, name });
    return structuredClone(stored);
  }

  async guaranteedUpdate(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    mutate: (current: KubeObject) => KubeObject | Promise<KubeObject>,
  ): Promise<KubeObject> {
    for (;;) {
      const current = await this.get(type, namespace, name);
      const next = await mutate(structuredClone(current));
      try {
        return await this.update(type, next, { resourceVersion: current.metadata?.resourceVersion });
      } catch (err) {
        if (err instanceof ApiError && err.reason === 'Conflict') continue;
        throw err;
      }
    }
  }

  async delete(type: ResourceType, namespace: string | undefined, name: string, preconditions?: Preconditions): Promise<KubeObject> {
    const key = this.key(type, namespace, name);
    const current = this.objects.get(key);
    if (!current) throw errors.notFound(type.resource, type.group, name);
    this.check(type, current, preconditions);
    this.objects.delete(key);
    this.writes.push({ verb: 'delete', resource: type.resource, name });
    return structuredClone(current);
  }

  async watch(): Promise<WatchStream> {
    throw errors.internal('MemoryStore does not serve watches');
  }

  async currentRevision(): Promise<string> {
    return String(this.revision);
  }

  healthy(): boolean {
    return true;
  }

  async close(): Promise<void> {}
}
