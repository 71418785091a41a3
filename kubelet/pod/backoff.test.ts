import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('doubles from base to max and reports the remaining wait', () => {
    let t = 1000;
    const b = new Backoff(10, 80, () => t);
    expect(b.remaining('k', t)).toBe(0);
    expect([b.next('k'), b.next('k'), b.next('k'), b.next('k'), b.next('k')]).toEqual([10, 20, 40, 80, 80]);
    expect(b.remaining('k', 1000)).toBe(80);
    t = 1050;
    expect(b.remaining('k', 1000)).toBe(30);
    t = 1100;
    expect(b.remaining('k', 1000)).toBe(0);
  });

  it('starts over after being idle for twice the max, and gc forgets', () => {
    let t = 0;
    const b = new Backoff(10, 80, () => t);
    b.next('k');
    b.next('k');
    t = 200;
    expect(b.next('k')).toBe(10);
    b.next('pod1/a');
    b.gc('pod1/');
    expect(b.delay('pod1/a')).toBe(0);
    t = 1000;
    b.gc();
    expect(b.delay('k')).toBe(0);
  });
});
