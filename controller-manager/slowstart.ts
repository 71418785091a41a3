// Creating many pods at once against a failing API (quota, admission) would flood it with
// requests that all fail the same way. Like upstream's slowStartBatch, create in batches of
// 1, 2, 4, ... and stop at the first batch that has an error.

/** Runs `fn` `count` times in growing batches; returns how many ran, how many succeeded, and the first error. */
export async function slowStartBatch(count: number, initialBatch: number, fn: (i: number) => Promise<void>): Promise<{ attempted: number; succeeded: number; error?: unknown }> {
  let done = 0;
  let batch = Math.min(count, initialBatch);
  let succeeded = 0;
  while (batch > 0) {
    const results = await Promise.allSettled(Array.from({ length: batch }, (_, j) => fn(done + j)));
    done += batch;
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    succeeded += results.filter((r) => r.status === 'fulfilled').length;
    if (failure) return { attempted: done, succeeded, error: failure.reason };
    batch = Math.min(2 * batch, count - done);
  }
  return { attempted: done, succeeded };
}
