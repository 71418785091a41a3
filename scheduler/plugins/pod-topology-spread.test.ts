import { describe, expect, it } from 'vitest';
import type { Node, Pod, TopologySpreadConstraint } from '../../api/types.js';
import type { NodeScore } from '../framework.js';
import { makeNode, makePod, newState, nodeInfo, snapshotOf } from '../testing.js';
import { ERR_CONSTRAINTS, ERR_MISSING_LABEL, podTopologySpread } from './pod-topology-spread.js';

const zone = (name: string, z: string, extra: Record<string, string> = {}) => makeNode(name, { labels: { 'topology.kubernetes.io/zone': z, ...extra } });
const nodes = [zone('a1', 'a'), zone('a2', 'a'), zone('b1', 'b'), makeNode('x1')];

const spread = (key: string, maxSkew: number, when: 'DoNotSchedule' | 'ScheduleAnyway', extra: Partial<TopologySpreadConstraint> = {}): TopologySpreadConstraint => ({
  maxSkew, topologyKey: key, whenUnsatisfiable: when, labelSelector: { matchLabels: { app: 'web' } }, ...extra,
});
const web = (name: string, ns = 'default') => makePod(name, { labels: { app: 'web' }, namespace: ns });

function filterAll(pod: Pod, placement: Record<string, Pod[]>, on: Node[] = nodes): Record<string, string> {
  const infos = on.map((n) => nodeInfo(n, ...(placement[n.metadata!.name!] ?? [])));
  const state = newState();
  const pre = podTopologySpread.preFilter(state, pod, snapshotOf(infos));
  const out: Record<string, string> = {};
  for (const ni of infos) out[ni.name] = pre.code === 'Skip' ? '' : (podTopologySpread.filter(state, pod, ni).reasons[0] ?? '');
  return out;
}

describe('PodTopologySpread filter', () => {
  const zoneSkew1 = makePod('p', { labels: { app: 'web' }, spec: { topologySpreadConstraints: [spread('topology.kubernetes.io/zone', 1, 'DoNotSchedule')] } });
  it.each<[string, Pod, Record<string, Pod[]>, Record<string, string>]>([
    ['no constraints', web('p'), { a1: [web('w1')] }, { a1: '', a2: '', b1: '', x1: '' }],
    ['balanced zones, any zone fits', zoneSkew1, {}, { a1: '', a2: '', b1: '', x1: ERR_MISSING_LABEL }],
    ['zone a ahead by one: only b fits', zoneSkew1, { a1: [web('w1')] }, { a1: ERR_CONSTRAINTS, a2: ERR_CONSTRAINTS, b1: '', x1: ERR_MISSING_LABEL }],
    ['pods of other apps do not count', zoneSkew1, { a1: [makePod('o', { labels: { app: 'db' } })] }, { a1: '', a2: '', b1: '', x1: ERR_MISSING_LABEL }],
    ['pods in other namespaces do not count', zoneSkew1, { a1: [web('w1', 'other')] }, { a1: '', a2: '', b1: '', x1: ERR_MISSING_LABEL }],
    [
      'hostname skew 1',
      makePod('p', { labels: { app: 'web' }, spec: { topologySpreadConstraints: [spread('kubernetes.io/hostname', 1, 'DoNotSchedule')] } }),
      { a1: [web('w1')], a2: [web('w2')] },
      { a1: ERR_CONSTRAINTS, a2: ERR_CONSTRAINTS, b1: '', x1: '' },
    ],
    [
      'minDomains above the domain count treats the minimum as 0',
      makePod('p', { labels: { app: 'web' }, spec: { topologySpreadConstraints: [spread('topology.kubernetes.io/zone', 1, 'DoNotSchedule', { minDomains: 3 })] } }),
      { a1: [web('w1')], b1: [web('w2')] },
      { a1: ERR_CONSTRAINTS, a2: ERR_CONSTRAINTS, b1: ERR_CONSTRAINTS, x1: ERR_MISSING_LABEL },
    ],
    [
      'nodes excluded by the nodeSelector are not domains',
      makePod('p', { labels: { app: 'web' }, spec: { nodeSelector: { 'topology.kubernetes.io/zone': 'a' }, topologySpreadConstraints: [spread('topology.kubernetes.io/zone', 1, 'DoNotSchedule')] } }),
      { a1: [web('w1'), web('w2')] },
      { a1: '', a2: '', b1: '', x1: ERR_MISSING_LABEL },
    ],
    [
      'a pod the selector does not match adds nothing to its domain',
      makePod('p', { labels: { app: 'other' }, spec: { topologySpreadConstraints: [spread('topology.kubernetes.io/zone', 1, 'DoNotSchedule')] } }),
      { a1: [web('w1')] },
      { a1: '', a2: '', b1: '', x1: ERR_MISSING_LABEL },
    ],
  ])('%s', (_n, pod, placement, want) => {
    expect(filterAll(pod, placement)).toEqual(want);
  });
});

function scoreAll(pod: Pod, placement: Record<string, Pod[]>, on: Node[]): number[] {
  const infos = on.map((n) => nodeInfo(n, ...(placement[n.metadata!.name!] ?? [])));
  const state = newState();
  if (podTopologySpread.preScore(state, pod, infos, snapshotOf(infos)).code === 'Skip') return [];
  const scores: NodeScore[] = infos.map((ni) => ({ name: ni.name, score: podTopologySpread.score(state, pod, ni) }));
  podTopologySpread.normalize?.(state, pod, scores);
  return scores.map((s) => s.score);
}

describe('PodTopologySpread score', () => {
  const hosts = [makeNode('h1'), makeNode('h2'), makeNode('h3')];
  const sibling = (name: string) => makePod(name, { owner: 'rs' });

  it('system default spreads pods of the same owner across hosts', () => {
    const scores = scoreAll(sibling('p'), { h1: [sibling('s1'), sibling('s2')], h2: [sibling('s3')] }, hosts);
    expect(scores[2]).toBe(100);
    expect(scores[0]).toBeLessThan(scores[1]);
    expect(scores[1]).toBeLessThan(scores[2]);
  });

  it('pods of another owner do not count', () => {
    expect(scoreAll(sibling('p'), { h1: [makePod('o1', { owner: 'other' }), makePod('o2', { owner: 'other' })] }, hosts)).toEqual([100, 100, 100]);
  });

  it('a pod without an owner or constraints is not scored', () => {
    expect(scoreAll(makePod('p'), {}, hosts)).toEqual([]);
  });

  it('explicit ScheduleAnyway constraint prefers the emptier zone and ignores nodes without the key', () => {
    const pod = makePod('p', { labels: { app: 'web' }, spec: { topologySpreadConstraints: [spread('topology.kubernetes.io/zone', 1, 'ScheduleAnyway')] } });
    const scores = scoreAll(pod, { a1: [web('w1'), web('w2')] }, nodes);
    expect(scores[2]).toBe(100);
    expect(scores[0]).toBe(scores[1]);
    expect(scores[0]).toBeLessThan(100);
    expect(scores[3]).toBe(0);
  });
});
