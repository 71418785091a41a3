import { describe, expect, it } from 'vitest';
import { evictionTime, tolerates } from './taints.js';
import type { Taint, Toleration } from './types.js';

const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:00Z' };

describe('tolerates', () => {
  it.each<{ t: Toleration; want: boolean }>([
    { t: { operator: 'Exists' }, want: true },
    { t: { key: 'node.kubernetes.io/unreachable', operator: 'Exists' }, want: true },
    { t: { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }, want: false },
    { t: { key: 'node.kubernetes.io/not-ready', operator: 'Exists' }, want: false },
    { t: { key: 'node.kubernetes.io/unreachable', value: '' }, want: true },
    { t: { key: 'node.kubernetes.io/unreachable', value: 'x' }, want: false },
    { t: {}, want: false },
  ])('$t → $want', ({ t, want }) => {
    expect(tolerates(t, unreachable)).toBe(want);
  });
});

describe('evictionTime', () => {
  const now = Date.parse('2026-01-01T00:01:00Z');
  it.each<{ name: string; tolerations: Toleration[]; want: number | undefined }>([
    { name: 'no toleration: now', tolerations: [], want: now },
    { name: 'forever', tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }], want: undefined },
    { name: '300 s after the taint', tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }], want: Date.parse('2026-01-01T00:05:00Z') },
    {
      name: 'smallest of several',
      tolerations: [
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
        { operator: 'Exists', tolerationSeconds: 30 },
      ],
      want: Date.parse('2026-01-01T00:00:30Z'),
    },
  ])('$name', ({ tolerations, want }) => {
    expect(evictionTime(tolerations, [unreachable, { key: 'dedicated', effect: 'NoSchedule' }], now)).toBe(want);
  });
});
