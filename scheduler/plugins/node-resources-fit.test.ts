import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/types.js';
import { makeNode, makePod, newState, nodeInfo } from '../testing.js';
import { nodeResourcesFit } from './node-resources-fit.js';
import { nodeResourcesBalancedAllocation } from './node-resources-balanced.js';

const node = makeNode('n', { cpu: '2', memory: '4Gi', pods: '3' });
node.status!.allocatable!['ephemeral-storage'] = '10Gi';

describe('NodeResourcesFit filter', () => {
  it.each<[string, Pod, Pod[], string[]]>([
    ['fits on an empty node', makePod('p', { cpu: '2', memory: '4Gi' }), [], []],
    ['cpu exhausted', makePod('p', { cpu: '500m' }), [makePod('a', { cpu: '1600m' })], ['Insufficient cpu']],
    ['memory exhausted', makePod('p', { memory: '1Gi' }), [makePod('a', { memory: '3.5Gi' })], ['Insufficient memory']],
    ['both', makePod('p', { cpu: '3', memory: '5Gi' }), [], ['Insufficient cpu', 'Insufficient memory']],
    ['too many pods', makePod('p'), [makePod('a'), makePod('b'), makePod('c')], ['Too many pods']],
    ['zero request fits a full node', makePod('p'), [makePod('a', { cpu: '2', memory: '4Gi' })], []],
    [
      'init container larger than the rest',
      makePod('p', { cpu: '100m', spec: { initContainers: [{ name: 'i', resources: { requests: { cpu: '1500m' } } }] } }),
      [makePod('a', { cpu: '1' })],
      ['Insufficient cpu'],
    ],
    [
      'extended resource missing on the node',
      makePod('p', { spec: { containers: [{ name: 'c', resources: { limits: { 'example.com/gpu': '1' } } }] } }),
      [],
      ['Insufficient example.com/gpu'],
    ],
    [
      'ephemeral-storage used up',
      makePod('p', { spec: { containers: [{ name: 'c', resources: { requests: { 'ephemeral-storage': '6Gi' } } }] } }),
      [makePod('a', { spec: { containers: [{ name: 'c', resources: { requests: { 'ephemeral-storage': '5Gi' } } }] } })],
      ['Insufficient ephemeral-storage'],
    ],
    [
      'ephemeral-storage fits',
      makePod('p', { spec: { containers: [{ name: 'c', resources: { requests: { 'ephemeral-storage': '4Gi' } } }] } }),
      [makePod('a', { spec: { containers: [{ name: 'c', resources: { requests: { 'ephemeral-storage': '5Gi' } } }] } })],
      [],
    ],
    ['overhead counts', makePod('p', { cpu: '900m', spec: { overhead: { cpu: '200m' } } }), [makePod('a', { cpu: '1' })], ['Insufficient cpu']],
  ])('%s', (_n, pod, existing, reasons) => {
    const fit = nodeResourcesFit();
    const state = newState();
    fit.preFilter(state, pod, { nodes: [], get: () => undefined, nodesWithAffinityPods: [], namespaceLabels: () => undefined });
    const st = fit.filter(state, pod, nodeInfo(node, ...existing));
    expect(st.reasons).toEqual(reasons);
    expect(st.code).toBe(reasons.length ? 'Unschedulable' : 'Success');
  });
});

describe('NodeResourcesFit score', () => {
  const big = makeNode('n', { cpu: '4', memory: '8Gi' });
  it.each<[string, 'LeastAllocated' | 'MostAllocated', Pod[], number]>([
    // Incoming pod 1 cpu / 2Gi on a 4 cpu / 8Gi node.
    ['least, empty node', 'LeastAllocated', [], 75],
    ['least, half full', 'LeastAllocated', [makePod('a', { cpu: '1', memory: '2Gi' })], 50],
    ['most, empty node', 'MostAllocated', [], 25],
    ['most, half full', 'MostAllocated', [makePod('a', { cpu: '1', memory: '2Gi' })], 50],
    // A pod without requests still counts as 100m / 200Mi when scoring.
    ['least, best-effort pods count', 'LeastAllocated', [makePod('a'), makePod('b')], 70],
  ])('%s', (_n, strategy, existing, want) => {
    const pod = makePod('p', { cpu: '1', memory: '2Gi' });
    expect(nodeResourcesFit(strategy).score(newState(), pod, nodeInfo(big, ...existing))).toBe(want);
  });
});

describe('NodeResourcesBalancedAllocation', () => {
  const big = makeNode('n', { cpu: '4', memory: '8Gi' });
  it.each<[string, Pod, number]>([
    ['balanced use', makePod('p', { cpu: '2', memory: '4Gi' }), 100],
    ['all cpu, little memory', makePod('p', { cpu: '4', memory: '200Mi' }), 51],
    ['half cpu', makePod('p', { cpu: '2', memory: '200Mi' }), 76],
  ])('%s', (_n, pod, want) => {
    expect(nodeResourcesBalancedAllocation.score(newState(), pod, nodeInfo(big))).toBe(want);
  });
});
