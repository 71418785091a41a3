import { describe, expect, it } from 'vitest';
import type { Toleration } from '../../api/types.js';
import { makeNode, makePod, newState, nodeInfo } from '../testing.js';
import { ERR_NODE_UNSCHEDULABLE, nodeUnschedulable } from './node-unschedulable.js';

describe('NodeUnschedulable', () => {
  it.each<[string, boolean, Toleration[], string]>([
    ['schedulable node', false, [], 'Success'],
    ['cordoned node', true, [], 'UnschedulableAndUnresolvable'],
    ['cordoned, toleration by key', true, [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }], 'Success'],
    ['cordoned, wildcard toleration', true, [{ operator: 'Exists' }], 'Success'],
    ['cordoned, toleration for another effect', true, [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoExecute' }], 'UnschedulableAndUnresolvable'],
  ])('%s', (_n, cordoned, tolerations, code) => {
    const st = nodeUnschedulable.filter(newState(), makePod('p', { spec: { tolerations } }), nodeInfo(makeNode('n', { unschedulable: cordoned })));
    expect(st.code).toBe(code);
    if (code !== 'Success') expect(st.reasons).toEqual([ERR_NODE_UNSCHEDULABLE]);
  });
});
