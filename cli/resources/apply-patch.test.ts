import { describe, expect, it } from 'vitest';
import { LAST_APPLIED, applyPatch, lastAppliedValue, manifestForCreate, mergePatchBetween } from './apply-patch.js';

describe('mergePatchBetween', () => {
  it.each([
    { name: 'equal manifests: empty', previous: { a: 1, b: { c: [1, 2] } }, next: { a: 1, b: { c: [1, 2] } }, want: {} },
    { name: 'a changed scalar is set', previous: { a: 1 }, next: { a: 2 }, want: { a: 2 } },
    { name: 'a new field is set', previous: {}, next: { a: { b: 1 } }, want: { a: { b: 1 } } },
    { name: 'a dropped field is nulled', previous: { a: 1, b: 2 }, next: { a: 1 }, want: { b: null } },
    { name: 'nested: only the changed keys', previous: { m: { l: { x: '1', y: '2' } } }, next: { m: { l: { x: '1' } } }, want: { m: { l: { y: null } } } },
    { name: 'lists are replaced whole', previous: { l: [1, 2, 3] }, next: { l: [1, 3] }, want: { l: [1, 3] } },
    { name: 'an object replacing a scalar', previous: { a: 'x' }, next: { a: { b: 1 } }, want: { a: { b: 1 } } },
    { name: 'a dropped map is nulled whole', previous: { a: { b: 1 } }, next: {}, want: { a: null } },
  ])('$name', ({ previous, next, want }) => {
    expect(mergePatchBetween(previous, next)).toEqual(want);
  });
});

const manifest = (labels: Record<string, string>, annotations?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'c', labels, ...(annotations ? { annotations } : {}) },
  data: { k: 'v' },
});

describe('applyPatch', () => {
  it('is undefined when the manifest is what was applied last', () => {
    const m = manifest({ app: 'a' });
    expect(applyPatch(lastAppliedValue(m), m)).toBeUndefined();
  });

  it('nulls a dropped label and records the new manifest', () => {
    const before = manifest({ app: 'a', tier: 'front' });
    const after = manifest({ app: 'a' });
    expect(applyPatch(lastAppliedValue(before), after)).toEqual({
      metadata: { labels: { tier: null }, annotations: { [LAST_APPLIED]: lastAppliedValue(after) } },
    });
  });

  it('nulls each dropped annotation, keeping the last-applied one', () => {
    const before = manifest({ app: 'a' }, { note: 'x', owner: 'y' });
    const after = manifest({ app: 'a' });
    expect(applyPatch(lastAppliedValue(before), after)).toEqual({
      metadata: { annotations: { note: null, owner: null, [LAST_APPLIED]: lastAppliedValue(after) } },
    });
  });

  it('sets the whole manifest on an object that was not applied before (or has a mangled annotation)', () => {
    const m = manifest({ app: 'a' });
    for (const last of [undefined, 'not json']) {
      expect(applyPatch(last, m)).toEqual({ ...m, metadata: { ...m.metadata, annotations: { [LAST_APPLIED]: lastAppliedValue(m) } } });
    }
  });
});

describe('manifestForCreate', () => {
  it('adds the annotation without recording an old one inside it', () => {
    const m = manifest({ app: 'a' }, { [LAST_APPLIED]: 'stale', keep: 'me' });
    const out = manifestForCreate(m) as { metadata: { annotations: Record<string, string> } };
    expect(out.metadata.annotations.keep).toBe('me');
    expect(JSON.parse(out.metadata.annotations[LAST_APPLIED])).toEqual(manifest({ app: 'a' }, { keep: 'me' }));
    expect(m.metadata.annotations?.[LAST_APPLIED]).toBe('stale'); // the input is left alone
  });
});
