// A bounded history of the watch cache's events, oldest first, for resuming watches. It
// answers "every event after revision N" as long as N is not older than the window it holds.

export interface Revisioned {
  revision: number;
}

export class EventRing<T extends Revisioned> {
  private readonly slots: (T | undefined)[];
  private head = 0; // index of the oldest event
  private count = 0;
  /** Every event with a revision above this one is held. */
  private startRevision: number;

  constructor(
    readonly capacity: number,
    startRevision = 0,
  ) {
    if (capacity < 1) throw new Error('event ring capacity must be at least 1');
    this.slots = new Array<T | undefined>(capacity);
    this.startRevision = startRevision;
  }

  get size(): number {
    return this.count;
  }

  /** The oldest revision a watch may start from: events after it are all here. */
  get oldestResumable(): number {
    return this.startRevision;
  }

  /** Forgets all events; the history starts again after `revision` (after a relist). */
  reset(revision: number): void {
    this.slots.fill(undefined);
    this.head = 0;
    this.count = 0;
    this.startRevision = revision;
  }

  push(event: T): void {
    if (this.count === this.capacity) {
      const evicted = this.slots[this.head] as T;
      this.slots[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
      this.count--;
      this.startRevision = evicted.revision;
    }
    this.slots[(this.head + this.count) % this.capacity] = event;
    this.count++;
  }

  /** Events with a revision above `revision`, oldest first; undefined when some of them were evicted. */
  since(revision: number): T[] | undefined {
    if (revision < this.startRevision) return undefined;
    // Binary search for the first event above `revision` (revisions never decrease).
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid).revision <= revision) lo = mid + 1;
      else hi = mid;
    }
    const out: T[] = [];
    for (let i = lo; i < this.count; i++) out.push(this.at(i));
    return out;
  }

  private at(i: number): T {
    return this.slots[(this.head + i) % this.capacity] as T;
  }
}
