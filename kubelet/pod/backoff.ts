// Per-key exponential back-off for container restarts and image pulls, shaped like the
// kubelet's: a key is "in back-off" while less than its current delay has passed since the
// failure it is about; each restart doubles the delay up to the max; keys idle for twice
// the max are forgotten, so a container that ran fine for long starts over at the base.

export class Backoff {
  private readonly entries = new Map<string, { delayMs: number; lastUpdate: number }>();

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The current delay of `key` (0 when it has none). */
  delay(key: string): number {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  /** Whether `key` must still wait after a failure at `sinceMs`; and how long. */
  remaining(key: string, sinceMs: number): number {
    const e = this.entries.get(key);
    if (!e) return 0;
    return Math.max(0, sinceMs + e.delayMs - this.now());
  }

  /** Records one more restart of `key`: base the first time, then doubling to max. */
  next(key: string): number {
    const now = this.now();
    const e = this.entries.get(key);
    const delayMs = !e || now - e.lastUpdate > 2 * this.maxMs ? this.baseMs : Math.min(e.delayMs * 2, this.maxMs);
    this.entries.set(key, { delayMs, lastUpdate: now });
    return delayMs;
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Drops keys idle for more than twice the max, and any key under `prefix` if given. */
  gc(prefix?: string): void {
    const now = this.now();
    for (const [k, e] of this.entries) if (now - e.lastUpdate > 2 * this.maxMs || (prefix !== undefined && k.startsWith(prefix))) this.entries.delete(k);
  }
}
