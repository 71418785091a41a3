import { describe, expect, it } from 'vitest';
import { Algorithm, fitErrorMessage, FitError, numFeasibleNodesToFind } from './algorithm.js';
import type { Status } from './framework.js';
import { newPodInfo } from './node-info.js';
import { buildProfile, defaultProfile, DEFAULT_FILTERS, DEFAULT_SCORES } from './profile.js';
import { makeNode, makePod, nodeInfo, snapshotOf } from './testing.js';

describe('fitErrorMessage', () => {
  it("counts reasons over nodes and sorts them as kube-scheduler does", () => {
    const st = (reason: string): Status => ({ code: 'Unschedulable', reasons: [reason] });
    const statuses = new Map([
      ['n1', st('Insufficient cpu')],
      ['n2', st('node(s) had untolerated taint {node.kubernetes.io/unreachable: }')],
      ['n3', st('Insufficient cpu')],
    ]);
    expect(fitErrorMessage(3, statuses)).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 2 Insufficient cpu. preemption: not attempted, skiff-scheduler does not preempt.',
    );
  });

  it('with no nodes', () => {
    expect(fitErrorMessage(0, new Map())).toBe('0/0 nodes are available. preemption: not attempted, skiff-scheduler does not preempt.');
  });
});

describe('numFeasibleNodesToFind', () => {
  it.each([
    [50, 0, 50],
    [100, 0, 100],
    [1000, 0, 420],
    [5000, 0, 500],
    [1000, 100, 1000],
    [1000, 10, 100],
    [1000, 30, 300],
  ])('%d nodes at %d%% → %d', (n, pct, want) => {
    expect(numFeasibleNodesToFind(n, pct)).toBe(want);
  });
});

describe('Algorithm', () => {
  it('rejects with a FitError naming every node', () => {
    const nodes = [
      nodeInfo(makeNode('small', { cpu: '1' })),
      nodeInfo(makeNode('tainted', { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] })),
      nodeInfo(makeNode('cordoned', { unschedulable: true })),
    ];
    const algo = new Algorithm(defaultProfile());
    let err: unknown;
    try {
      algo.schedule(makePod('p', { cpu: '2' }), snapshotOf(nodes));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FitError);
    const fit = err as FitError;
    expect(fit.message).toMatch(/^0\/3 nodes are available: 1 Insufficient cpu, 1 node\(s\) had untolerated taint \{node.kubernetes.io\/unreachable: \}, 1 node\(s\) were unschedulable\./);
    expect([...fit.unschedulablePlugins].sort()).toEqual(['NodeResourcesFit', 'NodeUnschedulable', 'TaintToleration']);
  });

  it('picks the only feasible node', () => {
    const nodes = [nodeInfo(makeNode('a', { cpu: '1' })), nodeInfo(makeNode('b', { cpu: '8' })), nodeInfo(makeNode('c', { ready: 'False' }))];
    expect(new Algorithm(defaultProfile()).schedule(makePod('p', { cpu: '2' }), snapshotOf(nodes)).nodeName).toBe('b');
  });

  it('prefers the least allocated node', () => {
    const nodes = [nodeInfo(makeNode('busy'), makePod('x', { cpu: '3', memory: '6Gi' })), nodeInfo(makeNode('idle'))];
    expect(new Algorithm(defaultProfile()).schedule(makePod('p', { cpu: '500m', memory: '1Gi' }), snapshotOf(nodes)).nodeName).toBe('idle');
  });

  it('spreads identical pods evenly when placements are counted as they are made', () => {
    const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'].map((n) => nodeInfo(makeNode(n)));
    const snap = snapshotOf(nodes);
    const algo = new Algorithm(defaultProfile());
    for (let i = 0; i < 50; i++) {
      const pod = makePod(`p${i}`, { owner: 'rs', cpu: '10m', memory: '10Mi' });
      const { nodeName } = algo.schedule(pod, snap);
      snap.get(nodeName)!.addPod(newPodInfo(pod));
    }
    expect(nodes.map((n) => n.pods.size)).toEqual([10, 10, 10, 10, 10]);
  });

  it('breaks ties at random among the best', () => {
    const nodes = ['n1', 'n2', 'n3'].map((n) => nodeInfo(makeNode(n)));
    const seen = new Set<string>();
    const algo = new Algorithm(defaultProfile());
    for (let i = 0; i < 60; i++) seen.add(algo.schedule(makePod(`p${i}`), snapshotOf(nodes)).nodeName);
    expect(seen.size).toBe(3);
  });

  it('evaluates only enough nodes on a big cluster, rotating where it starts', () => {
    const nodes = Array.from({ length: 200 }, (_, i) => nodeInfo(makeNode(`n${i}`)));
    const algo = new Algorithm(buildProfile({ schedulerName: 'x', filters: DEFAULT_FILTERS, scores: DEFAULT_SCORES, percentageOfNodesToScore: 10 }));
    const first = algo.schedule(makePod('a'), snapshotOf(nodes));
    expect(first.evaluated).toBe(100);
    const second = algo.schedule(makePod('b'), snapshotOf(nodes));
    expect(Number(second.nodeName.slice(1))).toBeGreaterThanOrEqual(100);
  });

  it('unknown plugin names fail when the profile is built', () => {
    expect(() => buildProfile({ schedulerName: 'x', filters: ['NodeResourcesFitt'], scores: [] })).toThrow(/unknown plugin "NodeResourcesFitt"/);
    expect(() => buildProfile({ schedulerName: 'x', filters: ['NodeResourcesBalancedAllocation'], scores: [] })).toThrow(/does not implement filter/);
  });
});
