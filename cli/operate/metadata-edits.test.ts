import { describe, expect, it } from 'vitest';
import { planEdit, splitArgs } from './metadata-edits.js';

describe('splitArgs', () => {
  it.each([
    { args: ['pod', 'web', 'app=web', 'tier-'], objects: ['pod', 'web'], set: { app: 'web' }, remove: ['tier'] },
    { args: ['deploy/web', 'rs/web-1', 'example.com/owner=team-a'], objects: ['deploy/web', 'rs/web-1'], set: { 'example.com/owner': 'team-a' }, remove: [] },
    { args: ['pods', 'canary-'], objects: ['pods'], set: {}, remove: ['canary'] },
    { args: ['pod', 'web', 'empty='], objects: ['pod', 'web'], set: { empty: '' }, remove: [] },
  ])('$args', ({ args, objects, set, remove }) => {
    const r = splitArgs(args, 'labels');
    expect(r.objects).toEqual(objects);
    expect(Object.fromEntries(r.changes.set)).toEqual(set);
    expect(r.changes.remove).toEqual(remove);
  });

  it.each([
    { args: ['pod', 'web'], field: 'labels', error: 'at least one label update is required' },
    { args: ['pod', 'web', 'a=1', 'a-'], field: 'labels', error: 'can not both modify and remove the label "a"' },
    { args: ['pod', 'web', 'a=1', 'a=2'], field: 'labels', error: 'a is given twice' },
    { args: ['pod', 'web', 'bad key=1'], field: 'labels', error: 'invalid label key "bad key"' },
    { args: ['pod', 'web', 'a=has space'], field: 'labels', error: 'invalid label value "a=has space"' },
    { args: ['pod', 'a=1', 'web'], field: 'labels', error: '"web": give the objects first' },
    { args: ['pod', 'web', '=x'], field: 'annotations', error: 'an annotation needs a key' },
  ] as const)('refuses $args', ({ args, field, error }) => {
    expect(() => splitArgs([...args], field)).toThrow(error);
  });

  it('lets annotation values hold anything', () => {
    expect(Object.fromEntries(splitArgs(['svc', 'web', 'note=any text, even = signs'], 'annotations').changes.set)).toEqual({ note: 'any text, even = signs' });
  });
});

describe('planEdit', () => {
  const changes = (set: Record<string, string>, remove: string[] = []) => ({ set: new Map(Object.entries(set)), remove });
  it.each([
    { name: 'adds a key', current: { app: 'web' }, c: changes({ tier: 'front' }), overwrite: false, want: { kind: 'patch', patch: { metadata: { labels: { tier: 'front' }, resourceVersion: '7' } }, missing: [] } },
    { name: 'same value is no change', current: { app: 'web' }, c: changes({ app: 'web' }), overwrite: false, want: { kind: 'unchanged', missing: [] } },
    { name: 'refuses a new value without --overwrite', current: { app: 'web' }, c: changes({ app: 'api' }), overwrite: false, want: { kind: 'refused', message: "'app' already has a value (web), and --overwrite is false" } },
    { name: 'overwrites with --overwrite', current: { app: 'web' }, c: changes({ app: 'api' }), overwrite: true, want: { kind: 'patch', patch: { metadata: { labels: { app: 'api' }, resourceVersion: '7' } }, missing: [] } },
    { name: 'removes with null, notes missing keys', current: { app: 'web' }, c: changes({}, ['app', 'gone']), overwrite: false, want: { kind: 'patch', patch: { metadata: { labels: { app: null }, resourceVersion: '7' } }, missing: ['gone'] } },
    { name: 'removing only missing keys changes nothing', current: undefined, c: changes({}, ['gone']), overwrite: false, want: { kind: 'unchanged', missing: ['gone'] } },
  ])('$name', ({ current, c, overwrite, want }) => {
    expect(planEdit(current, c, overwrite, 'labels', '7')).toEqual(want);
  });
});
