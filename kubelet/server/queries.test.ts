import { describe, expect, it } from 'vitest';
import { parseLogQuery } from './logs.js';
import { parseStreamQuery } from './stream.js';

describe('parseLogQuery', () => {
  it.each([
    ['follow=true&tailLines=10&timestamps=1', { follow: true, previous: false, timestamps: true, tailLines: 10, limitBytes: undefined, sinceMs: undefined }],
    ['previous=true&sinceSeconds=60&limitBytes=100', { follow: false, previous: true, timestamps: false, tailLines: undefined, limitBytes: 100, sinceMs: 1_000_000 - 60_000 }],
    ['sinceTime=1970-01-01T00:10:00Z', { sinceMs: 600_000 }],
  ])('%s', (q, want) => expect(parseLogQuery(new URLSearchParams(q), 1_000_000)).toMatchObject(want));
});

describe('parseStreamQuery', () => {
  it.each([
    ['command=sh&command=-c&command=echo+hi&stdout=true&stderr=true', { command: ['sh', '-c', 'echo hi'], stdin: false, stdout: true, stderr: true, tty: false }],
    // CRI refuses tty with stderr: stdout carries both on a terminal.
    ['command=sh&stdin=1&stdout=1&stderr=1&tty=1', { command: ['sh'], stdin: true, stdout: true, stderr: false, tty: true }],
    ['container=main&stdout=true', { container: 'main', command: [] }],
  ])('%s', (q, want) => expect(parseStreamQuery(new URLSearchParams(q))).toMatchObject(want));
});
