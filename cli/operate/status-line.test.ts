import { describe, expect, it } from 'vitest';
import { statusLine } from './status-line.js';

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { written, s: { isTTY, write: (t: string) => written.push(t) } as unknown as NodeJS.WriteStream };
}

describe('statusLine', () => {
  it('in a pipe prints each new message once, as plain lines', () => {
    const { written, s } = stream(false);
    const line = statusLine(s);
    line.update('Waiting: 0 of 2');
    line.update('Waiting: 0 of 2');
    line.update('Waiting: 1 of 2');
    line.done('done');
    expect(written.join('')).toBe('Waiting: 0 of 2\nWaiting: 1 of 2\ndone\n');
  });

  it('on a terminal rewrites one line and ends in green (unless NO_COLOR)', () => {
    const saved = process.env.NO_COLOR;
    delete process.env.NO_COLOR;
    try {
      const { written, s } = stream(true);
      const line = statusLine(s);
      line.update('Waiting: 0 of 2');
      line.update('Waiting: 1 of 2');
      line.done('done');
      expect(written.join('')).toBe('\r\x1b[KWaiting: 0 of 2\r\x1b[KWaiting: 1 of 2\r\x1b[K\x1b[32mdone\x1b[0m\n');
    } finally {
      if (saved !== undefined) process.env.NO_COLOR = saved;
    }
  });
});
