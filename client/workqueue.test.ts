import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExponentialBackoffLimiter, MaxOfLimiter, BucketLimiter, TokenBucket, defaultControllerRateLimiter } from './rate-limiter.js';
import { RateLimitingQueue } from './workqueue.js';

describe('RateLimitingQueue', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('deduplicates keys that are waiting', async () => {
    const q = new RateLimitingQueue();
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.len()).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
    expect(q.len()).toBe(0);
  });

  it('holds a key re-added while processing until done, and never hands it out twice', async () => {
    const q = new RateLimitingQueue();
    q.add('a');
    const key = await q.get();
    q.add('a');
    q.add('a');
    expect(q.len()).toBe(0);
    let second: string | undefined;
    void q.get().then((k) => (second = k));
    await Promise.resolve();
    expect(second).toBeUndefined();
    q.done(key!);
    await Promise.resolve();
    expect(second).toBe('a');
    expect(q.len()).toBe(0);
    q.done('a');
    // Done without a pending add leaves nothing queued.
    expect(q.len()).toBe(0);
  });

  it('hands keys to waiting getters in arrival order', async () => {
    const q = new RateLimitingQueue();
    const got = [q.get(), q.get()];
    q.add('x');
    q.add('y');
    expect(await Promise.all(got)).toEqual(['x', 'y']);
  });

  it('releases addAfter keys in ready order, keeping the earliest time for a key', async () => {
    const q = new RateLimitingQueue();
    q.addAfter('late', 300);
    q.addAfter('early', 100);
    q.addAfter('mid', 200);
    q.addAfter('late', 50); // earlier: moves up
    q.addAfter('early', 1000); // later: ignored
    expect(q.len()).toBe(0);
    await vi.advanceTimersByTimeAsync(60);
    expect(q.len()).toBe(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(q.len()).toBe(3);
    expect([await q.get(), await q.get(), await q.get()]).toEqual(['late', 'early', 'mid']);
    await vi.advanceTimersByTimeAsync(2000);
    expect(q.len()).toBe(0);
  });

  it('backs off rate-limited keys exponentially and forget() resets the backoff', async () => {
    const q = new RateLimitingQueue({ rateLimiter: new ExponentialBackoffLimiter(10, 1000) });
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const start = Date.now();
      q.addRateLimited('k');
      const k = await new Promise<string | undefined>((resolve) => {
        void q.get().then(resolve);
        void vi.advanceTimersByTimeAsync(2000);
      });
      delays.push(Date.now() - start);
      q.done(k!);
      vi.setSystemTime(start + 10_000);
    }
    expect(delays.map((d) => Math.round(d / 10) * 10)).toEqual([10, 20, 40, 80]);
    expect(q.numRequeues('k')).toBe(4);
    q.forget('k');
    expect(q.numRequeues('k')).toBe(0);
  });

  it('drains on shutDownWithDrain: queued keys are still handed out, then get() ends', async () => {
    const q = new RateLimitingQueue();
    q.add('a');
    q.add('b');
    const a = await q.get();
    let drained = false;
    const drain = q.shutDownWithDrain().then(() => (drained = true));
    q.add('c'); // ignored after shutdown
    q.addAfter('d', 10);
    expect(await q.get()).toBe('b');
    expect(await q.get()).toBeUndefined();
    q.done(a!);
    await Promise.resolve();
    expect(drained).toBe(false);
    q.done('b');
    await drain;
    expect(drained).toBe(true);
  });

  it('wakes blocked getters with undefined on shutDown', async () => {
    const q = new RateLimitingQueue();
    const g = q.get();
    q.shutDown();
    expect(await g).toBeUndefined();
  });

  it('records metrics by queue name', async () => {
    const registry = new Registry();
    const q = new RateLimitingQueue({ name: 'pods', metricsRegistry: registry });
    const other = new RateLimitingQueue({ name: 'nodes', metricsRegistry: registry });
    q.add('a');
    q.add('b');
    other.add('n');
    const k = await q.get();
    q.done(k!);
    q.addRateLimited('a');
    const text = await registry.metrics();
    expect(text).toContain('workqueue_adds_total{name="pods"} 2');
    expect(text).toContain('workqueue_adds_total{name="nodes"} 1');
    expect(text).toContain('workqueue_depth{name="pods"} 1');
    expect(text).toContain('workqueue_retries_total{name="pods"} 1');
    expect(text).toContain('workqueue_work_duration_seconds_count{name="pods"} 1');
    q.shutDown();
  });
});

describe('rate limiters', () => {
  it.each([
    [0, 5],
    [1, 10],
    [5, 160],
    [30, 1000_000],
  ])('default controller limiter: after %i failures waits %i ms', (failures, expected) => {
    let t = 0;
    const limiter = defaultControllerRateLimiter(() => t);
    for (let i = 0; i < failures; i++) {
      limiter.when('k');
      t += 1000; // keep the overall bucket full so only the per-key backoff shows
    }
    expect(limiter.when('k')).toBe(expected);
  });

  it('the overall bucket holds a storm of distinct keys to 10 per second after a burst of 100', () => {
    const t = 0;
    const limiter = new MaxOfLimiter(new ExponentialBackoffLimiter<string>(5, 1000_000), new BucketLimiter<string>(new TokenBucket(10, 100, () => t)));
    const delays = Array.from({ length: 120 }, (_, i) => limiter.when(`k${i}`));
    expect(delays.slice(0, 100).every((d) => d === 5)).toBe(true);
    expect(delays[100]).toBe(100);
    expect(delays[119]).toBe(2000);
  });

  it('a token bucket refills at its rate up to its burst', () => {
    let t = 0;
    const b = new TokenBucket(2, 3, () => t);
    expect([b.tryTake(), b.tryTake(), b.tryTake(), b.tryTake()]).toEqual([true, true, true, false]);
    t += 500;
    expect([b.tryTake(), b.tryTake()]).toEqual([true, false]);
    t += 60_000;
    expect([b.tryTake(), b.tryTake(), b.tryTake(), b.tryTake()]).toEqual([true, true, true, false]);
  });
});
