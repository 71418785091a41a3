import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addResourceCommands, parseBool } from './commands.js';

/** Parses a command line, with the delete action swapped for one that records the flags. */
function deleteFlags(args: string[]): Record<string, unknown> {
  const program = new Command('skiff').exitOverride();
  addResourceCommands(program);
  const del = program.commands.find((c) => c.name() === 'delete')!;
  let seen: Record<string, unknown> = {};
  del.action((_what: string[], opts: Record<string, unknown>) => {
    seen = opts;
  });
  program.parse(['delete', ...args], { from: 'user' });
  return seen;
}

describe('delete flags', () => {
  it.each([
    [['pod', 'web'], true],
    [['pod', 'web', '--wait'], true],
    [['pod', 'web', '--wait=false'], false],
    [['pod', 'web', '--wait=true'], true],
  ])('%j waits: %s', (args, wait) => {
    expect(deleteFlags(args).wait).toBe(wait);
  });

  it('collects repeated -f and keeps kubectl defaults', () => {
    expect(deleteFlags(['-f', 'a.yaml', '-f', 'b.yaml'])).toMatchObject({ filename: ['a.yaml', 'b.yaml'], cascade: 'background', gracePeriod: '-1', timeout: '60s' });
  });
});

describe('parseBool', () => {
  it.each([
    [undefined, true],
    ['true', true],
    ['false', false],
  ])('%s', (v, want) => {
    expect(parseBool(v)).toBe(want);
  });
  it('rejects anything else', () => {
    expect(() => parseBool('yes')).toThrow(/true or false/);
  });
});
