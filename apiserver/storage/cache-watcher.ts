// One client's watch on the watch cache: which events it wants, and a bounded buffer of
// pre-serialized events between the cache (which pushes synchronously, never waiting for
// anyone) and the client's socket. A watcher whose buffer fills up is ended, not waited
// for: it resumes from its last resourceVersion, and nobody else is slowed down.

import type { KubeObject } from '../../api/types.js';
import type { ObjectFilter, RawWatchEvent, WatchStream } from './store.js';
import type { WatchEvent } from '../../api/types.js';
import { parseWatchEvent } from './serialized.js';
import type { Revisioned } from './event-ring.js';

/** A change the cache saw, as it keeps it in its history. */
export interface CacheEvent extends Revisioned {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  namespace: string | undefined;
  /** The object after the change (for DELETED: its last state at the deletion revision). */
  raw: string;
  /** The object before the change, for filtered watchers to tell "stopped matching" apart. */
  prevRaw: string | undefined;
}

export interface WatcherSpec {
  namespace?: string;
  filter?: ObjectFilter;
  bookmarks: boolean;
}

/**
 * Parses an event's objects at most once however many watchers filter on them, and hands
 * every watcher sent the same type the same RawWatchEvent (so its line is built once).
 */
export class ParsedEvent {
  private current: KubeObject | undefined;
  private previous: KubeObject | undefined;
  private readonly outgoing = new Map<RawWatchEvent['type'], RawWatchEvent>();
  constructor(readonly event: CacheEvent) {}
  /** The event's object sent as `type`. */
  as(type: RawWatchEvent['type']): RawWatchEvent {
    let e = this.outgoing.get(type);
    if (!e) {
      e = { type, object: this.event.raw };
      this.outgoing.set(type, e);
    }
    return e;
  }
  get object(): KubeObject {
    return (this.current ??= JSON.parse(this.event.raw) as KubeObject);
  }
  get prevObject(): KubeObject | undefined {
    if (this.event.prevRaw === undefined) return undefined;
    return (this.previous ??= JSON.parse(this.event.prevRaw) as KubeObject);
  }
}

/**
 * What a watcher is sent for a change, as Kubernetes does it: with a selector, an object
 * that starts matching arrives as ADDED and one that stops matching as DELETED.
 */
export function eventForWatcher(spec: WatcherSpec, parsed: ParsedEvent): RawWatchEvent | undefined {
  const e = parsed.event;
  if (spec.namespace !== undefined && e.namespace !== spec.namespace) return undefined;
  const filter = spec.filter;
  if (!filter) return parsed.as(e.type);
  if (e.type === 'DELETED') {
    const last = parsed.prevObject ?? parsed.object;
    return filter.matches(last) ? parsed.as('DELETED') : undefined;
  }
  const matchesNow = filter.matches(parsed.object);
  const matchedBefore = e.type === 'MODIFIED' && parsed.prevObject !== undefined && filter.matches(parsed.prevObject);
  if (matchesNow && matchedBefore) return parsed.as('MODIFIED');
  if (matchesNow) return parsed.as('ADDED');
  if (matchedBefore) return parsed.as('DELETED');
  return undefined;
}

export class CacheWatcher implements WatchStream {
  private queue: (RawWatchEvent | undefined)[] = [];
  private head = 0;
  private initialCount = 0;
  private delivered = 0;
  private wake: (() => void) | undefined;
  private ended = false;
  private iterated = false;
  /** Live events at or below this revision are already in what the watcher was sent first. */
  skipThrough = 0;
  /** When the last event was queued: bookmarks go to watchers quiet for a while. */
  lastQueuedAt = Date.now();

  constructor(
    readonly spec: WatcherSpec,
    private readonly capacity: number,
    private readonly unregister: (w: CacheWatcher) => void,
  ) {}

  get isEnded(): boolean {
    return this.ended;
  }

  /** Queues the initial state or replayed history: not bounded, it is the watch's starting point. */
  pushInitial(e: RawWatchEvent): void {
    this.queue.push(e);
    this.initialCount++;
  }

  /** Queues a live event; false when the buffer is full (the cache then ends this watcher). */
  push(e: RawWatchEvent): boolean {
    if (this.ended) return true;
    const pending = this.queue.length - this.head;
    const initialPending = Math.max(0, this.initialCount - this.delivered);
    if (pending - initialPending >= this.capacity) return false;
    this.queue.push(e);
    this.lastQueuedAt = Date.now();
    this.signal();
    return true;
  }

  /** Ends the stream after the events already queued. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.signal();
  }

  close(): void {
    this.end();
    this.unregister(this);
  }

  async *rawEvents(): AsyncGenerator<RawWatchEvent> {
    if (this.iterated) throw new Error('a watch stream can be iterated once');
    this.iterated = true;
    try {
      for (;;) {
        if (this.head < this.queue.length) {
          const e = this.queue[this.head] as RawWatchEvent;
          this.queue[this.head++] = undefined;
          this.delivered++;
          if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
            this.queue = this.queue.slice(this.head);
            this.head = 0;
          }
          yield e;
          continue;
        }
        if (this.ended) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      this.close();
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<WatchEvent> {
    for await (const e of this.rawEvents()) yield parseWatchEvent(e);
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
