import { describe, expect, it } from 'vitest';
import type { Taint, Toleration } from '../../api/types.js';
import type { NodeScore } from '../framework.js';
import { makeNode, makePod, newState, nodeInfo } from '../testing.js';
import { taintToleration } from './taint-toleration.js';
import { tolerates } from './tolerations.js';

const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
const dedicated: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
const prefer: Taint = { key: 'spot', value: 'true', effect: 'PreferNoSchedule' };

describe('tolerates', () => {
  it.each<[string, Toleration, Taint, boolean]>([
    ['Equal with value', { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, dedicated, true],
    ['Equal default operator', { key: 'dedicated', value: 'gpu' }, dedicated, true],
    ['Equal wrong value', { key: 'dedicated', value: 'cpu' }, dedicated, false],
    ['Exists ignores value', { key: 'dedicated', operator: 'Exists' }, dedicated, true],
    ['effect mismatch', { key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, dedicated, false],
    ['empty key Exists tolerates all', { operator: 'Exists' }, unreachable, true],
    ['empty key Equal tolerates nothing', { operator: 'Equal' }, unreachable, false],
    ['other key', { key: 'x', operator: 'Exists' }, dedicated, false],
  ])('%s', (_n, t, taint, want) => {
    expect(tolerates(t, taint)).toBe(want);
  });
});

describe('TaintToleration filter', () => {
  it.each<[string, Taint[], Toleration[], string | undefined]>([
    ['no taints', [], [], undefined],
    ['NoSchedule untolerated', [dedicated], [], 'node(s) had untolerated taint {dedicated: gpu}'],
    ['NoExecute untolerated', [unreachable], [], 'node(s) had untolerated taint {node.kubernetes.io/unreachable: }'],
    ['tolerated', [dedicated, unreachable], [{ key: 'dedicated', value: 'gpu' }, { key: 'node.kubernetes.io/unreachable', operator: 'Exists' }], undefined],
    ['PreferNoSchedule does not filter', [prefer], [], undefined],
  ])('%s', (_n, taints, tolerations, reason) => {
    const st = taintToleration.filter(newState(), makePod('p', { spec: { tolerations } }), nodeInfo(makeNode('n', { taints })));
    expect(st.reasons[0]).toBe(reason);
    expect(st.code).toBe(reason ? 'UnschedulableAndUnresolvable' : 'Success');
  });
});

describe('TaintToleration score', () => {
  it('ranks nodes by untolerated PreferNoSchedule taints, fewest best', () => {
    const pod = makePod('p', { spec: { tolerations: [{ key: 'spot', operator: 'Exists', effect: 'NoSchedule' }] } });
    const nodes = [
      nodeInfo(makeNode('clean')),
      nodeInfo(makeNode('one', { taints: [prefer] })),
      nodeInfo(makeNode('two', { taints: [prefer, { key: 'old', effect: 'PreferNoSchedule' }] })),
    ];
    const state = newState();
    const scores: NodeScore[] = nodes.map((n) => ({ name: n.name, score: taintToleration.score(state, pod, n) }));
    taintToleration.normalize?.(state, pod, scores);
    expect(scores.map((s) => s.score)).toEqual([100, 50, 0]);
  });

  it('a PreferNoSchedule toleration removes the penalty', () => {
    const pod = makePod('p', { spec: { tolerations: [{ key: 'spot', operator: 'Exists' }] } });
    expect(taintToleration.score(newState(), pod, nodeInfo(makeNode('n', { taints: [prefer] })))).toBe(0);
  });
});
