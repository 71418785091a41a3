import { describe, expect, it } from 'vitest';
import { deleteOptions, parseDuration } from './delete.js';
import { parseOutput } from './get.js';

describe('parseOutput', () => {
  it.each([
    [undefined, { kind: 'table', wide: false }],
    ['wide', { kind: 'table', wide: true }],
    ['yaml', { kind: 'yaml' }],
    ['name', { kind: 'name' }],
    ['jsonpath={.items[*].metadata.name}', { kind: 'jsonpath', template: '{.items[*].metadata.name}' }],
  ])('%s', (flag, want) => {
    expect(parseOutput(flag)).toEqual(want);
  });
  it('names the formats for an unknown one', () => {
    expect(() => parseOutput('xml')).toThrow(/wide, yaml, json, name, jsonpath/);
  });
});

describe('deleteOptions', () => {
  it.each([
    [{}, { propagationPolicy: 'Background' }],
    [{ cascade: 'foreground', gracePeriod: '0' }, { propagationPolicy: 'Foreground', gracePeriodSeconds: 0 }],
    [{ cascade: 'Orphan', gracePeriod: '-1' }, { propagationPolicy: 'Orphan' }],
  ])('%j', (flags, want) => {
    expect(deleteOptions(flags)).toEqual(want);
  });
  it.each([[{ cascade: 'true' }], [{ gracePeriod: '1.5' }], [{ gracePeriod: 'soon' }]])('rejects %j', (flags) => {
    expect(() => deleteOptions(flags)).toThrow();
  });
});

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['2m', 120_000],
    ['5', 5_000],
    ['250ms', 250],
  ])('%s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
});
