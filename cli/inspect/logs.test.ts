import { describe, expect, it } from 'vitest';
import { allContainerNames, linePrefix, logQuery, parseDuration, type LogsFlags } from './logs.js';

describe('log flags → pods/log query', () => {
  const cases: { flags: LogsFlags; want: string }[] = [
    { flags: {}, want: 'container=web' },
    { flags: { follow: true, timestamps: true }, want: 'container=web&follow=true&timestamps=true' },
    { flags: { previous: true, tail: '20' }, want: 'container=web&previous=true&tailLines=20' },
    { flags: { tail: '-1' }, want: 'container=web' },
    { flags: { since: '5m' }, want: 'container=web&sinceSeconds=300' },
    { flags: { since: '1h30m' }, want: 'container=web&sinceSeconds=5400' },
    { flags: { since: '500ms' }, want: 'container=web&sinceSeconds=1' },
    { flags: { sinceTime: '2026-11-22T12:00:00Z' }, want: 'container=web&sinceTime=2026-11-22T12%3A00%3A00Z' },
    { flags: { limitBytes: '1024' }, want: 'container=web&limitBytes=1024' },
  ];
  it.each(cases)('$flags → $want', ({ flags, want }) => expect(logQuery('web', flags).toString()).toBe(want));

  it.each([
    [{ tail: 'ten' }, /invalid --tail "ten"/],
    [{ since: '5 minutes' }, /invalid duration "5 minutes"/],
    [{ since: '5m', sinceTime: '2026-11-22T12:00:00Z' }, /cannot both/],
    [{ sinceTime: 'yesterday' }, /RFC 3339/],
    [{ limitBytes: '0' }, /positive/],
  ] as [LogsFlags, RegExp][])('refuses %o', (flags, message) => expect(() => logQuery('web', flags)).toThrow(message));

  it('parses Go durations', () => {
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('1.5h')).toBe(5400);
    expect(() => parseDuration('5')).toThrow();
  });
});

describe('several logs', () => {
  const pod = { metadata: { name: 'web-abc' }, spec: { initContainers: [{ name: 'setup' }], containers: [{ name: 'web' }, { name: 'sidecar' }] } };
  it('all containers are the init containers, then the app containers', () => expect(allContainerNames(pod)).toEqual(['setup', 'web', 'sidecar']));
  it('prefixes name the pod and container', () => expect(linePrefix({ pod, container: 'web' })).toBe('[pod/web-abc/web] '));
});
