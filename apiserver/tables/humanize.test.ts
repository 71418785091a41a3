import { describe, expect, it } from 'vitest';
import { age, formatLabels, formatLabelSelector } from './humanize.js';

describe('age', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  it.each([
    ['2026-01-01T11:59:55Z', '5s'],
    ['2026-01-01T11:56:58Z', '3m2s'],
    [undefined, '<unknown>'],
    ['not a time', '<unknown>'],
  ])('%s → %s', (ts, want) => {
    expect(age(ts, now)).toBe(want);
  });
});

describe('formatLabels', () => {
  it.each([
    [undefined, '<none>'],
    [{}, '<none>'],
    [{ b: '2', a: '1' }, 'a=1,b=2'],
  ])('%j → %s', (labels, want) => {
    expect(formatLabels(labels)).toBe(want);
  });
});

describe('formatLabelSelector', () => {
  it.each([
    [undefined, ''],
    [{}, ''],
    [{ matchLabels: { app: 'web' } }, 'app=web'],
    [
      {
        matchLabels: { tier: 'front' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['prod', 'dev'] },
          { key: 'legacy', operator: 'DoesNotExist' },
          { key: 'zone', operator: 'Exists' },
          { key: 'arch', operator: 'NotIn', values: ['arm'] },
        ],
      },
      'arch notin (arm),env in (dev,prod),!legacy,tier=front,zone',
    ],
  ])('%j → %s', (sel, want) => {
    expect(formatLabelSelector(sel)).toBe(want);
  });
});
