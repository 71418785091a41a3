import { describe, expect, it } from 'vitest';
import { makeNode, makePod, newState, nodeInfo, type NodeOpts } from '../testing.js';
import { ERR_NETWORK_UNAVAILABLE, ERR_NOT_READY, nodeReady } from './node-ready.js';

describe('NodeReady', () => {
  it.each<[string, NodeOpts, string | undefined]>([
    ['ready', {}, undefined],
    ['not ready', { ready: 'False' }, ERR_NOT_READY],
    ['unknown', { ready: 'Unknown' }, ERR_NOT_READY],
    ['network unavailable', { networkUnavailable: true }, ERR_NETWORK_UNAVAILABLE],
  ])('%s', (_n, opts, reason) => {
    const st = nodeReady.filter(newState(), makePod('p'), nodeInfo(makeNode('n', opts)));
    expect(st.reasons[0]).toBe(reason);
  });

  it('a node without conditions is not ready', () => {
    const node = makeNode('n');
    delete node.status?.conditions;
    expect(nodeReady.filter(newState(), makePod('p'), nodeInfo(node)).reasons).toEqual([ERR_NOT_READY]);
  });
});
