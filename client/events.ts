// Recording core/v1 Events as client-go's recorder does. event() never blocks and never
// throws: it queues, and one writer loop sends the queue in batches. Repeats are aggregated:
// the same (object, type, reason, message, source) seen again within 10 minutes bumps
// `count` and `lastTimestamp` on the existing Event by a patch rather than creating another,
// and repeats queued together become one write. A per-object token bucket (burst 25, then
// one per 5 minutes, as client-go's spam filter) drops a flood about one object.

import type { Event, KubeObject, ObjectReference } from '../api/types.js';
import { isNotFound } from './errors.js';
import type { ApiClient, EventRecorder, ResourceClient } from './interfaces.js';
import { clientLogger } from './client-log.js';
import type { Logger } from './log.js';
import { TokenBucket } from './rate-limiter.js';

export interface EventRecorderOptions {
  client: ApiClient;
  /** `source.component` and `reportingComponent`: `skiff-scheduler`, `kubelet`, ... */
  component: string;
  /** `source.host` and `reportingInstance`: the node name for a kubelet. */
  host?: string;
  /** Events one object may get in a burst (default 25) ... */
  burst?: number;
  /** ... and then per second (default one per 5 minutes). */
  qps?: number;
  /** Repeats within this window are aggregated (default 10 minutes). */
  aggregateWindowMs?: number;
  /** Events waiting beyond this are dropped, oldest first (default 1000). */
  maxQueue?: number;
  logger?: Logger;
}

interface Pending {
  key: string;
  ref: ObjectReference;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  at: number;
}

interface Recorded {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
  lastSeen: number;
}

const CACHE_SIZE = 4096;

/** Seconds-precision RFC 3339, as Event timestamps are. */
function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A bounded map that forgets the least recently used entry. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly size: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, v: V): void {
    this.map.delete(key);
    this.map.set(key, v);
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value!);
  }
  delete(key: string): void {
    this.map.delete(key);
  }
}

export class ApiEventRecorder implements EventRecorder {
  private readonly events: ResourceClient<Event>;
  private readonly queue: Pending[] = [];
  private readonly recorded = new Lru<Recorded>(CACHE_SIZE);
  private readonly spam = new Lru<TokenBucket>(CACHE_SIZE);
  private writing?: Promise<void>;
  private readonly log: Logger;
  private nameSeq = 0;

  constructor(private readonly opts: EventRecorderOptions) {
    this.events = opts.client.for<Event>('events');
    this.log = opts.logger ?? clientLogger().child({ part: 'events', source: opts.component });
  }

  event(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    try {
      const ref = referenceTo(obj);
      const source = `${this.opts.component}/${this.opts.host ?? ''}`;
      const objectKey = `${source}|${ref.apiVersion}|${ref.kind}|${ref.namespace ?? ''}|${ref.name}|${ref.uid ?? ''}`;
      let bucket = this.spam.get(objectKey);
      if (!bucket) this.spam.set(objectKey, (bucket = new TokenBucket(this.opts.qps ?? 1 / 300, this.opts.burst ?? 25)));
      if (!bucket.tryTake()) {
        this.log.debug({ object: `${ref.namespace ?? ''}/${ref.name}`, reason }, 'event dropped: too many events for this object');
        return;
      }
      this.queue.push({ key: `${objectKey}|${type}|${reason}|${message}`, ref, type, reason, message, at: Date.now() });
      const max = this.opts.maxQueue ?? 1000;
      if (this.queue.length > max) this.queue.splice(0, this.queue.length - max);
      this.writing ??= this.writeAll().finally(() => (this.writing = undefined));
    } catch (err) {
      this.log.debug({ err: String(err) }, 'event not recorded');
    }
  }

  /** Resolves once everything queued so far is written (or has failed). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** The writer loop: takes the whole queue, merges repeats, writes each distinct event once. */
  private async writeAll(): Promise<void> {
    await Promise.resolve();
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      const merged = new Map<string, { ev: Pending; n: number }>();
      for (const ev of batch) {
        const m = merged.get(ev.key);
        if (m) {
          m.n++;
          m.ev = { ...ev };
        } else merged.set(ev.key, { ev, n: 1 });
      }
      for (const { ev, n } of merged.values()) {
        try {
          await this.write(ev, n);
        } catch (err) {
          this.log.debug({ reason: ev.reason, object: ev.ref.name, err: String(err) }, 'event write failed');
        }
      }
    }
  }

  private async write(ev: Pending, n: number): Promise<void> {
    const window = this.opts.aggregateWindowMs ?? 600_000;
    const seen = this.recorded.get(ev.key);
    if (seen && ev.at - seen.lastSeen < window) {
      try {
        await this.events.patch(seen.namespace, seen.name, 'merge', { count: seen.count + n, lastTimestamp: rfc3339(ev.at) });
        seen.count += n;
        seen.lastSeen = ev.at;
        return;
      } catch (err) {
        // The Event expired (event TTL) or was deleted: start a new one.
        if (!isNotFound(err)) throw err;
        this.recorded.delete(ev.key);
      }
    }
    const namespace = ev.ref.namespace || 'default';
    // client-go names events `<object>.<hex nanoseconds>`; a sequence keeps names unique within a millisecond.
    const name = `${ev.ref.name}.${(BigInt(ev.at) * 1_000_000n + BigInt(this.nameSeq++ % 1_000_000)).toString(16)}`;
    const ts = rfc3339(ev.at);
    await this.events.create(namespace, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: ev.ref,
      reason: ev.reason,
      message: ev.message,
      type: ev.type,
      source: { component: this.opts.component, ...(this.opts.host ? { host: this.opts.host } : {}) },
      reportingComponent: this.opts.component,
      reportingInstance: this.opts.host ?? '',
      firstTimestamp: ts,
      lastTimestamp: ts,
      count: n,
    });
    this.recorded.set(ev.key, { name, namespace, count: n, firstTimestamp: ts, lastSeen: ev.at });
  }
}

/** The ObjectReference an Event points at. */
export function referenceTo(obj: KubeObject): ObjectReference {
  const m = obj.metadata ?? {};
  if (!m.name) throw new Error('event about an object without a name');
  return {
    ...(obj.apiVersion ? { apiVersion: obj.apiVersion } : {}),
    ...(obj.kind ? { kind: obj.kind } : {}),
    ...(m.namespace ? { namespace: m.namespace } : {}),
    name: m.name,
    ...(m.uid ? { uid: m.uid } : {}),
    ...(m.resourceVersion ? { resourceVersion: m.resourceVersion } : {}),
  };
}

export function createEventRecorder(opts: EventRecorderOptions): ApiEventRecorder {
  return new ApiEventRecorder(opts);
}
