import { describe, expect, it } from 'vitest';
import { serializeList, serializeListPieces, watchEventLine } from './serialized.js';
import type { SerializedList } from './store.js';

const item = (n: number) => JSON.stringify({ metadata: { name: `p${n}`, resourceVersion: String(n) }, spec: { pad: 'x'.repeat(n % 50) } });
const list = (count: number): SerializedList => ({
  apiVersion: 'v1',
  kind: 'PodList',
  metadata: { resourceVersion: '42', continue: count > 2 ? 'token' : undefined },
  items: Array.from({ length: count }, (_, i) => item(i)),
});

describe('serializeListPieces', () => {
  it.each([
    { name: 'empty list', count: 0, pieceChars: 64, minPieces: 1 },
    { name: 'one item, one piece', count: 1, pieceChars: 64 * 1024, minPieces: 1 },
    { name: 'small list, one piece', count: 10, pieceChars: 64 * 1024, minPieces: 1 },
    { name: 'large list, many pieces', count: 500, pieceChars: 1024, minPieces: 20 },
    { name: 'every item its own piece', count: 5, pieceChars: 1, minPieces: 5 },
  ])('$name', ({ count, pieceChars, minPieces }) => {
    const l = list(count);
    const pieces = [...serializeListPieces(l, pieceChars)];
    expect(pieces.length).toBeGreaterThanOrEqual(minPieces);
    // No piece grows much past the limit: it is cut after the item that crossed it.
    for (const p of pieces) expect(p.length).toBeLessThan(pieceChars + 200);
    const parsed = JSON.parse(pieces.join('')) as { items: unknown[]; metadata: unknown; kind: string };
    expect(parsed.kind).toBe('PodList');
    expect(parsed.metadata).toEqual(JSON.parse(JSON.stringify(l.metadata)));
    expect(parsed.items).toEqual(l.items.map((i) => JSON.parse(i) as unknown));
    expect(serializeList(l)).toBe(pieces.join(''));
  });
});

describe('watchEventLine', () => {
  it('builds one line per event object and reuses it', () => {
    const e = { type: 'ADDED' as const, object: '{"kind":"Pod"}' };
    const line = watchEventLine(e);
    expect(line).toBe('{"type":"ADDED","object":{"kind":"Pod"}}\n');
    expect(watchEventLine(e)).toBe(line);
    expect(watchEventLine({ type: 'DELETED', object: e.object })).toBe('{"type":"DELETED","object":{"kind":"Pod"}}\n');
  });
});
