import { describe, expect, it } from 'vitest';
import { OwnerGraph } from './graph.js';
import type { KubeObject } from '../types.js';

const obj = (name: string, uid: string, owners: string[] = []): KubeObject => ({
  metadata: { name, namespace: 'ns', uid, ownerReferences: owners.map((o) => ({ apiVersion: 'v1', kind: 'X', name: o, uid: o })) },
});

describe('OwnerGraph', () => {
  it('tracks dependents by owner uid, through changes and removal', () => {
    const g = new OwnerGraph();
    g.upsert('replicasets', obj('rs', 'rs-uid', ['d-uid']));
    g.upsert('pods', obj('a', 'a-uid', ['rs-uid']));
    g.upsert('pods', obj('b', 'b-uid', ['rs-uid']));
    expect(g.dependents('rs-uid').sort()).toEqual(['a-uid', 'b-uid']);
    expect(g.dependents('d-uid')).toEqual(['rs-uid']);
    expect(g.locate('a-uid')).toEqual({ monitor: 'pods', key: 'ns/a', namespace: 'ns' });

    // b is released: its owner must hear about it
    expect(g.upsert('pods', obj('b', 'b-uid', [])).changedOwners).toEqual(['rs-uid']);
    expect(g.dependents('rs-uid')).toEqual(['a-uid']);

    // the RS goes: its owner and its dependents are reported
    expect(g.remove(obj('rs', 'rs-uid', ['d-uid']))).toEqual({ owners: ['d-uid'], dependents: ['a-uid'] });
    expect(g.dependents('d-uid')).toEqual([]);
    expect(g.size()).toBe(2);
  });
});
