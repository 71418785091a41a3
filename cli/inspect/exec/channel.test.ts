import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, encodeResize, encodeStdinClose, execQuery, outcomeFromStatus } from './channel.js';

describe('channel framing', () => {
  it('puts the channel byte first', () => {
    expect([...encodeFrame(0, 'ls\n')]).toEqual([0, 0x6c, 0x73, 0x0a]);
    expect(decodeFrame(Buffer.from([2, 0x65, 0x72]))).toEqual({ channel: 2, data: Buffer.from('er') });
    expect(decodeFrame(Buffer.alloc(0))).toBeUndefined();
  });
  it('resize and close messages', () => {
    expect(encodeResize(100, 25).toString('latin1')).toBe('\x04{"Width":100,"Height":25}');
    expect([...encodeStdinClose()]).toEqual([255, 0]);
  });
});

describe('exit status', () => {
  const cases: [string, ReturnType<typeof outcomeFromStatus>][] = [
    ['{"metadata":{},"status":"Success"}', { exitCode: 0 }],
    ['{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}', { exitCode: 3 }],
    ['{"metadata":{},"status":"Failure","message":"failed to exec in container: exec: \\"/nope\\": stat /nope: no such file or directory"}', { error: 'failed to exec in container: exec: "/nope": stat /nope: no such file or directory' }],
    ['garbage', { error: 'garbage' }],
  ];
  it.each(cases)('%s', (text, want) => expect(outcomeFromStatus(text)).toEqual(want));
});

describe('exec query', () => {
  it('repeats command, leaves out stderr with a TTY', () => {
    expect(execQuery(['sh', '-c', 'echo hi; exit 3'], 'web', { stdin: false, tty: false }).toString()).toBe('command=sh&command=-c&command=echo+hi%3B+exit+3&container=web&stdout=true&stderr=true');
    expect(execQuery(['sh'], 'web', { stdin: true, tty: true }).toString()).toBe('command=sh&container=web&stdin=true&stdout=true&tty=true');
  });
});
