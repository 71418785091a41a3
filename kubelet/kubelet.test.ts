import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types.js';
import { podChanged } from './kubelet.js';

describe('podChanged', () => {
  const base: Pod = { metadata: { name: 'p', uid: 'u', resourceVersion: '1' }, spec: { containers: [{ name: 'c', image: 'busybox' }] }, status: { phase: 'Pending' } };
  it.each<[string, Pod, boolean]>([
    ['status only', { ...base, metadata: { ...base.metadata, resourceVersion: '2' }, status: { phase: 'Running' } }, false],
    ['deletion requested', { ...base, metadata: { ...base.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } }, true],
    ['image changed', { ...base, spec: { containers: [{ name: 'c', image: 'busybox:2' }] } }, true],
    ['labels changed', { ...base, metadata: { ...base.metadata, labels: { a: 'b' } } }, true],
  ])('%s → %s', (_n, next, want) => expect(podChanged(base, next)).toBe(want));
});
