import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { manifestFiles, parseManifests, readManifests } from './manifests.js';

describe('parseManifests', () => {
  it('reads every document, numbering them when there are several, skipping empty ones', () => {
    const r = parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: b}\n', 'x.yaml');
    expect(r.problems).toEqual([]);
    expect(r.manifests.map((m) => [m.source, m.object.kind])).toEqual([
      ['x.yaml#1', 'ConfigMap'],
      ['x.yaml#3', 'Secret'],
    ]);
  });

  it.each([
    ['a syntax error at its line and column', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a: b\n', /^x\.yaml:4:9: Nested mappings are not allowed in compact mappings$/],
    ['a document that is not a mapping', '- a\n- b\n', /^x\.yaml:1:1: a manifest must be a mapping/],
    ['missing kind and name, at the document', 'apiVersion: v1\n---\napiVersion: v1\nkind: Pod\n', /^x\.yaml:1:1: the object has no kind, metadata\.name$/],
  ])('reports %s', (_, text, want) => {
    const r = parseManifests(text, 'x.yaml');
    expect(r.manifests).toEqual(expect.any(Array));
    expect(r.problems[0]?.message).toMatch(want);
  });

  it('names the line of the second document', () => {
    const r = parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkind: [\n', 'y.yaml');
    expect(r.manifests).toHaveLength(1);
    expect(r.problems[0].message).toMatch(/^y\.yaml:[56]:\d+: /);
  });
});

describe('manifestFiles / readManifests', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists a directory in order, descending only with -R, and reads stdin for -', () => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-manifests-'));
    mkdirSync(join(dir, 'sub'));
    const doc = (n: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${n}}\n`;
    writeFileSync(join(dir, 'b.yaml'), doc('b'));
    writeFileSync(join(dir, 'a.yml'), doc('a'));
    writeFileSync(join(dir, 'notes.txt'), 'not a manifest');
    writeFileSync(join(dir, 'sub', 'c.json'), JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }));
    expect(manifestFiles(dir, false)).toEqual([join(dir, 'a.yml'), join(dir, 'b.yaml')]);
    expect(manifestFiles(dir, true)).toEqual([join(dir, 'a.yml'), join(dir, 'b.yaml'), join(dir, 'sub', 'c.json')]);
    const r = readManifests([dir, '-', join(dir, 'missing.yaml')], true, () => doc('in'));
    expect(r.manifests.map((m) => m.object.metadata?.name)).toEqual(['a', 'b', 'c', 'in']);
    expect(r.problems).toEqual([{ message: `${join(dir, 'missing.yaml')}: no such file or directory` }]);
  });
});
