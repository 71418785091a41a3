import { describe, expect, it } from 'vitest';
import { CriLogDecoder, logTimeMs, parseCriLogRecord } from './cri-log.js';

describe('parseCriLogRecord', () => {
  it.each([
    ['2026-11-22T09:26:05.137246338Z stdout F hello world', { time: '2026-11-22T09:26:05.137246338Z', stream: 'stdout', partial: false, message: 'hello world' }],
    ['2026-11-22T09:26:05.1Z stderr P part', { time: '2026-11-22T09:26:05.1Z', stream: 'stderr', partial: true, message: 'part' }],
    ['2026-11-22T09:26:05Z stdout F ', { time: '2026-11-22T09:26:05Z', stream: 'stdout', partial: false, message: '' }],
  ])('%s', (line, want) => expect(parseCriLogRecord(line)).toEqual(want));

  it.each(['garbage', '2026 nope F x'])('rejects %s', (line) => expect(parseCriLogRecord(line)).toBeUndefined());
});

describe('CriLogDecoder', () => {
  it('joins partial records and records split across chunks', () => {
    const d = new CriLogDecoder();
    const a = d.push('T1 stdout P aaa\nT2 stderr F err\nT3 stdout P bb');
    const b = d.push('b\nT4 stdout F ccc\n');
    expect([...a, ...b]).toEqual([
      { time: 'T2', stream: 'stderr', message: 'err' },
      { time: 'T1', stream: 'stdout', message: 'aaabbbccc' },
    ]);
  });
});

describe('logTimeMs', () => {
  it('reads nanosecond timestamps', () => expect(logTimeMs('2026-11-22T09:26:05.137246338Z')).toBe(Date.UTC(2026, 10, 22, 9, 26, 5, 137)));
});
