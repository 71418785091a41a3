import { describe, expect, it } from 'vitest';
import { progressRequestsReliable } from './etcd-client.js';

describe('progressRequestsReliable', () => {
  it.each([
    ['3.4.23', false],
    ['3.4.30', false],
    ['3.4.31', true],
    ['3.5.12', false],
    ['3.5.13', true],
    ['3.5.21', true],
    ['3.6.0', true],
    ['3.3.27', false],
    ['4.0.0', true],
    ['garbage', false],
  ])('etcd %s -> %s', (version, want) => {
    expect(progressRequestsReliable(version)).toBe(want);
  });
});
