import { describe, expect, it } from 'vitest';
import { ControllerExpectations, UidTrackingExpectations } from './expectations.js';
import { slowStartBatch } from './slowstart.js';

describe('ControllerExpectations', () => {
  it('is satisfied only once every expected create is observed', () => {
    const e = new ControllerExpectations(() => 0);
    expect(e.satisfied('ns/rs')).toBe(true);
    e.expect('ns/rs', 2, 0);
    expect(e.satisfied('ns/rs')).toBe(false);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(false);
    e.creationSkipped('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(true);
  });

  it('expires so a lost event cannot wedge an owner', () => {
    let now = 0;
    const e = new ControllerExpectations(() => now, 1000);
    e.expect('k', 1, 0);
    now = 999;
    expect(e.satisfied('k')).toBe(false);
    now = 1001;
    expect(e.satisfied('k')).toBe(true);
  });

  it('counts each deleted pod once, whether seen terminating or gone', () => {
    const e = new UidTrackingExpectations(() => 0);
    e.expectDeletions('k', ['ns/a', 'ns/b']);
    e.podDeletionObserved('k', 'ns/a');
    e.podDeletionObserved('k', 'ns/a');
    expect(e.satisfied('k')).toBe(false);
    e.podDeletionObserved('k', 'ns/b');
    expect(e.satisfied('k')).toBe(true);
  });
});

describe('slowStartBatch', () => {
  it.each([
    { count: 10, failAt: undefined, calls: 10, succeeded: 10 },
    { count: 10, failAt: 0, calls: 1, succeeded: 0 },
    // batches 1,2,4: index 4 is in the third batch (3..6), so 7 calls and 6 successes
    { count: 10, failAt: 4, calls: 7, succeeded: 6 },
    { count: 0, failAt: undefined, calls: 0, succeeded: 0 },
  ])('count $count failing at $failAt', async ({ count, failAt, calls, succeeded }) => {
    let n = 0;
    const res = await slowStartBatch(count, 1, async (i) => {
      n++;
      if (i === failAt) throw new Error('quota');
    });
    expect(n).toBe(calls);
    expect(res.succeeded).toBe(succeeded);
    expect(res.error !== undefined).toBe(failAt !== undefined);
  });
});
