import { describe, expect, it } from 'vitest';
import type { Image } from '../cri/types.js';
import { pickImagesToRemove } from './gc.js';

const img = (id: string, size: number, tag = `docker.io/library/${id}:latest`, pinned = false): Image => ({ id, repo_tags: [tag], repo_digests: [], size: String(size), uid: null, username: '', pinned });

describe('pickImagesToRemove', () => {
  const images = [img('a', 100), img('b', 200), img('c', 300), img('pause', 50, 'registry.k8s.io/pause:3.10'), img('p', 500, 'x', true)];
  const lastUsed = new Map([
    ['a', 30],
    ['b', 10],
    ['c', 20],
  ]);
  it.each<[string, Set<string>, number, string[]]>([
    ['least recently used first, until enough is freed', new Set(), 250, ['b', 'c']],
    ['never an image in use', new Set(['b']), 250, ['c']],
    ['nothing needed', new Set(), 0, []],
    ['everything removable, still never pinned or the sandbox image', new Set(), 10_000, ['b', 'c', 'a']],
  ])('%s', (_n, inUse, bytes, want) => {
    expect(pickImagesToRemove(images, inUse, new Set(['registry.k8s.io/pause:3.10']), lastUsed, bytes).map((i) => i.id)).toEqual(want);
  });
});
