import { describe, expect, it } from 'vitest';
import type { Affinity } from '../../api/types.js';
import type { NodeScore } from '../framework.js';
import { makeNode, makePod, newState, nodeInfo } from '../testing.js';
import { ERR_NODE_AFFINITY, nodeAffinity } from './node-affinity.js';

const node = makeNode('n1', { labels: { zone: 'a', disk: 'ssd' } });

describe('NodeAffinity filter', () => {
  it.each<[string, Record<string, string> | undefined, Affinity | undefined, boolean]>([
    ['nothing asked', undefined, undefined, true],
    ['nodeSelector matches', { zone: 'a' }, undefined, true],
    ['nodeSelector differs', { zone: 'b' }, undefined, false],
    ['required In', undefined, { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] }] } } }, true],
    ['required NotIn', undefined, { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'NotIn', values: ['ssd'] }] }] } } }, false],
    ['required matchFields by name', undefined, { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }] } } }, true],
    ['nodeSelector and affinity both required', { zone: 'b' }, { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'Exists' }] }] } } }, false],
  ])('%s', (_n, nodeSelector, affinity, fits) => {
    const pod = makePod('p', { spec: { ...(nodeSelector ? { nodeSelector } : {}), ...(affinity ? { affinity } : {}) } });
    const st = nodeAffinity.filter(newState(), pod, nodeInfo(node));
    expect(st.code).toBe(fits ? 'Success' : 'UnschedulableAndUnresolvable');
    if (!fits) expect(st.reasons).toEqual([ERR_NODE_AFFINITY]);
  });
});

describe('NodeAffinity score', () => {
  it('sums matching preferred weights and scales the best to 100', () => {
    const pod = makePod('p', {
      spec: {
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 10, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
              { weight: 30, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
            ],
          },
        },
      },
    });
    const nodes = [makeNode('both', { labels: { zone: 'a', disk: 'ssd' } }), makeNode('zone', { labels: { zone: 'a' } }), makeNode('none')];
    const state = newState();
    const scores: NodeScore[] = nodes.map((n) => ({ name: n.metadata!.name!, score: nodeAffinity.score(state, pod, nodeInfo(n)) }));
    expect(scores.map((s) => s.score)).toEqual([40, 10, 0]);
    nodeAffinity.normalize?.(state, pod, scores);
    expect(scores.map((s) => s.score)).toEqual([100, 25, 0]);
  });
});
