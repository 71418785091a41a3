import { describe, expect, it } from 'vitest';
import { KeyedHeap } from './heap.js';

interface Item {
  k: string;
  v: number;
}

const heap = () => new KeyedHeap<Item>((i) => i.k, (a, b) => a.v < b.v);
const drain = (h: KeyedHeap<Item>) => {
  const out: string[] = [];
  for (let i = h.pop(); i; i = h.pop()) out.push(i.k);
  return out;
};

describe('KeyedHeap', () => {
  it('pops in order', () => {
    const h = heap();
    for (const [k, v] of [['c', 3], ['a', 1], ['e', 5], ['b', 2], ['d', 4]] as const) h.push({ k, v });
    expect(drain(h)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('replaces an item with the same key and reorders', () => {
    const h = heap();
    h.push({ k: 'a', v: 1 });
    h.push({ k: 'b', v: 2 });
    h.push({ k: 'a', v: 3 });
    expect(h.size).toBe(2);
    expect(drain(h)).toEqual(['b', 'a']);
  });

  it('deletes by key from anywhere', () => {
    const h = heap();
    for (let i = 0; i < 20; i++) h.push({ k: `k${i}`, v: (i * 7) % 20 });
    for (const k of ['k3', 'k0', 'k19', 'k10']) expect(h.delete(k)?.k).toBe(k);
    expect(h.delete('nope')).toBeUndefined();
    const order = drain(h);
    expect(order).toHaveLength(16);
    const values = order.map((k) => (Number(k.slice(1)) * 7) % 20);
    expect(values).toEqual([...values].sort((a, b) => a - b));
  });
});
