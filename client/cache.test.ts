import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types.js';
import { IndexedCache, objectKey, splitKey } from './cache.js';

const pod = (namespace: string, name: string, nodeName?: string): Pod => ({ metadata: { namespace, name }, spec: { containers: [], ...(nodeName ? { nodeName } : {}) } });
const names = (pods: Pod[]) => pods.map((p) => p.metadata?.name).sort();

describe('IndexedCache', () => {
  it('keeps indexes in step as objects are added, moved and removed', () => {
    const cache = new IndexedCache<Pod>();
    cache.addIndex('node', (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []));
    cache.put(pod('a', 'p1', 'n1'));
    cache.put(pod('a', 'p2', 'n1'));
    cache.put(pod('b', 'p3'));
    expect(names(cache.byIndex('node', 'n1'))).toEqual(['p1', 'p2']);
    expect(names(cache.byIndex('namespace', 'a'))).toEqual(['p1', 'p2']);
    // p2 moves to n2: it leaves n1's entry.
    const old = cache.put(pod('a', 'p2', 'n2'));
    expect(old?.spec?.nodeName).toBe('n1');
    expect(names(cache.byIndex('node', 'n1'))).toEqual(['p1']);
    expect(names(cache.byIndex('node', 'n2'))).toEqual(['p2']);
    cache.remove('a/p1');
    expect(cache.byIndex('node', 'n1')).toEqual([]);
    expect(cache.remove('a/p1')).toBeUndefined();
    expect(cache.size).toBe(2);
  });

  it('files existing objects under an index added later, and refuses unknown or duplicate indexes', () => {
    const cache = new IndexedCache<Pod>();
    cache.put(pod('a', 'p1', 'n1'));
    cache.addIndex('node', (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []));
    expect(names(cache.byIndex('node', 'n1'))).toEqual(['p1']);
    expect(() => cache.addIndex('node', () => [])).toThrow(/already exists/);
    expect(() => cache.byIndex('nope', 'x')).toThrow(/does not exist/);
  });
});

describe('object keys', () => {
  it.each([
    [{ metadata: { namespace: 'ns', name: 'web' } }, 'ns/web', { namespace: 'ns', name: 'web' }],
    [{ metadata: { name: 'node-1' } }, 'node-1', { name: 'node-1' }],
  ])('%j ↔ %s', (obj, key, parts) => {
    expect(objectKey(obj)).toBe(key);
    expect(splitKey(key)).toEqual(parts);
  });
});
