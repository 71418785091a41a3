// Rate limiters in client-go's shapes: a token bucket (requests per second with a burst),
// per-key exponential backoff for requeues, and the max of several. The default controller
// limiter is max(per-key 5 ms doubling to 1000 s, overall 10 qps with a burst of 100): one
// failing key backs off on its own while a storm of failures is held to 10 retries a second.

/** Decides how long a key waits before it is retried. */
export interface RateLimiter<K = string> {
  /** The delay before `key` may be retried; counts as one more failure of `key`. */
  when(key: K): number;
  /** Clears `key`'s failure history. */
  forget(key: K): void;
  numRequeues(key: K): number;
}

/**
 * A token bucket holding up to `burst` tokens, refilled at `qps` per second. `reserve()` takes
 * a token now, going into debt if none is left, and returns how long the caller must wait for
 * the token it took; callers that wait that long never exceed the rate.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly qps: number,
    readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(qps > 0) || !(burst >= 1)) throw new Error(`token bucket needs qps > 0 and burst >= 1 (got qps ${qps}, burst ${burst})`);
    this.tokens = burst;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.qps);
    this.last = t;
  }

  /** Takes a token; returns the milliseconds until it is actually available (0 when one was free). */
  reserve(): number {
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.qps) * 1000);
  }

  /** Takes a token only if one is free now. */
  tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Waits for a token (rejects if `signal` aborts first). */
  async take(signal?: AbortSignal): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await sleep(wait, signal);
  }
}

/** Per-key exponential backoff: base · 2^failures, capped at max. */
export class ExponentialBackoffLimiter<K = string> implements RateLimiter<K> {
  private readonly failures = new Map<K, number>();

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
  ) {}

  when(key: K): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    // 2^n overflows to Infinity long before it matters; min() keeps the cap exact.
    return Math.min(this.maxMs, this.baseMs * 2 ** n);
  }

  forget(key: K): void {
    this.failures.delete(key);
  }

  numRequeues(key: K): number {
    return this.failures.get(key) ?? 0;
  }
}

/** An overall limit over every key, from a token bucket; it keeps no per-key state. */
export class BucketLimiter<K = string> implements RateLimiter<K> {
  constructor(private readonly bucket: TokenBucket) {}

  when(): number {
    return this.bucket.reserve();
  }

  forget(): void {}

  numRequeues(): number {
    return 0;
  }
}

/** The longest delay any of the limiters asks for. */
export class MaxOfLimiter<K = string> implements RateLimiter<K> {
  private readonly limiters: RateLimiter<K>[];

  constructor(...limiters: RateLimiter<K>[]) {
    this.limiters = limiters;
  }

  when(key: K): number {
    return Math.max(...this.limiters.map((l) => l.when(key)));
  }

  forget(key: K): void {
    for (const l of this.limiters) l.forget(key);
  }

  numRequeues(key: K): number {
    return Math.max(...this.limiters.map((l) => l.numRequeues(key)));
  }
}

/** client-go's DefaultControllerRateLimiter. */
export function defaultControllerRateLimiter<K = string>(now: () => number = Date.now): RateLimiter<K> {
  return new MaxOfLimiter<K>(new ExponentialBackoffLimiter<K>(5, 1000_000), new BucketLimiter<K>(new TokenBucket(10, 100, now)));
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Exponential backoff with full jitter for reconnects and retries: attempt n waits a random
 * time in [d/2, d] where d = min(max, base · 2^n), so many clients that lost the same
 * server do not all come back in the same instant.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const d = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(d / 2 + random() * (d / 2));
}
