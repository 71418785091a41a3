import { describe, expect, it } from 'vitest';
import type { Affinity, Pod } from '../../api/types.js';
import type { NodeScore } from '../framework.js';
import { makeNode, makePod, newState, nodeInfo, snapshotOf } from '../testing.js';
import { ERR_AFFINITY, ERR_ANTI_AFFINITY, ERR_EXISTING_ANTI_AFFINITY, interPodAffinity } from './inter-pod-affinity.js';

const zoneA1 = makeNode('a1', { labels: { zone: 'a' } });
const zoneA2 = makeNode('a2', { labels: { zone: 'a' } });
const zoneB1 = makeNode('b1', { labels: { zone: 'b' } });
const noZone = makeNode('x1');

const web = (name: string, extra: Partial<Parameters<typeof makePod>[1]> = {}) => makePod(name, { labels: { app: 'web' }, ...extra });
const db = (name: string, extra: Partial<Parameters<typeof makePod>[1]> = {}) => makePod(name, { labels: { app: 'db' }, ...extra });

const requireNear = (app: string, topologyKey: string, extra: object = {}): Affinity => ({
  podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app } }, topologyKey, ...extra }] },
});
const requireAway = (app: string, topologyKey: string): Affinity => ({
  podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app } }, topologyKey }] },
});

/** Runs PreFilter + Filter of `pod` on every node; returns node name → first reason ('' when it fits). */
function run(pod: Pod, placement: Record<string, Pod[]>, namespaces?: Record<string, Record<string, string>>): Record<string, string> {
  const nodes = [zoneA1, zoneA2, zoneB1, noZone].map((n) => nodeInfo(n, ...(placement[n.metadata!.name!] ?? [])));
  const snap = snapshotOf(nodes, namespaces);
  const state = newState();
  const pre = interPodAffinity.preFilter(state, pod, snap);
  const out: Record<string, string> = {};
  for (const n of nodes) out[n.name] = pre.code === 'Skip' ? '' : (interPodAffinity.filter(state, pod, n).reasons[0] ?? '');
  return out;
}

describe('InterPodAffinity filter', () => {
  it.each<[string, Pod, Record<string, Pod[]>, Record<string, string>]>([
    ['no terms anywhere', web('p'), { a1: [db('d')] }, { a1: '', a2: '', b1: '', x1: '' }],
    ['affinity to a zone holding a match', web('p', { spec: { affinity: requireNear('db', 'zone') } }), { a1: [db('d')] }, { a1: '', a2: '', b1: ERR_AFFINITY, x1: ERR_AFFINITY }],
    ['affinity by hostname', web('p', { spec: { affinity: requireNear('db', 'kubernetes.io/hostname') } }), { b1: [db('d')] }, { a1: ERR_AFFINITY, a2: ERR_AFFINITY, b1: '', x1: ERR_AFFINITY }],
    ['affinity, no match anywhere', web('p', { spec: { affinity: requireNear('db', 'zone') } }), {}, { a1: ERR_AFFINITY, a2: ERR_AFFINITY, b1: ERR_AFFINITY, x1: ERR_AFFINITY }],
    ['first of its group may go anywhere with the key', web('p', { spec: { affinity: requireNear('web', 'zone') } }), {}, { a1: '', a2: '', b1: '', x1: ERR_AFFINITY }],
    ['affinity limited to another namespace', web('p', { spec: { affinity: requireNear('db', 'zone', { namespaces: ['other'] }) } }), { a1: [db('d')] }, { a1: ERR_AFFINITY, a2: ERR_AFFINITY, b1: ERR_AFFINITY, x1: ERR_AFFINITY }],
    ['affinity by namespaceSelector', web('p', { spec: { affinity: requireNear('db', 'zone', { namespaceSelector: { matchLabels: { team: 'data' } } }) } }), { b1: [db('d', { namespace: 'data' })] }, { a1: ERR_AFFINITY, a2: ERR_AFFINITY, b1: '', x1: ERR_AFFINITY }],
    ['anti-affinity by zone', web('p', { spec: { affinity: requireAway('db', 'zone') } }), { a1: [db('d')] }, { a1: ERR_ANTI_AFFINITY, a2: ERR_ANTI_AFFINITY, b1: '', x1: '' }],
    ['anti-affinity to own kind by hostname', web('p', { spec: { affinity: requireAway('web', 'kubernetes.io/hostname') } }), { a1: [web('w')] }, { a1: ERR_ANTI_AFFINITY, a2: '', b1: '', x1: '' }],
    ["existing pod's anti-affinity rejects the incoming pod", web('p'), { b1: [db('d', { spec: { affinity: requireAway('web', 'zone') } })] }, { a1: '', a2: '', b1: ERR_EXISTING_ANTI_AFFINITY, x1: '' }],
    ["existing pod's anti-affinity for another app", web('p'), { b1: [db('d', { spec: { affinity: requireAway('cache', 'zone') } })] }, { a1: '', a2: '', b1: '', x1: '' }],
  ])('%s', (_n, pod, placement, want) => {
    expect(run(pod, placement, { data: { team: 'data' } })).toEqual(want);
  });
});

describe('InterPodAffinity score', () => {
  it('prefers domains with preferred matches and avoids anti-preferred ones', () => {
    const pod = web('p', {
      spec: {
        affinity: {
          podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: { labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'zone' } }] },
          podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 20, podAffinityTerm: { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' } }] },
        },
      },
    });
    const nodes = [nodeInfo(zoneA1, db('d'), web('w')), nodeInfo(zoneA2), nodeInfo(zoneB1), nodeInfo(noZone)];
    const snap = snapshotOf(nodes);
    const state = newState();
    expect(interPodAffinity.preScore(state, pod, nodes, snap).code).toBe('Success');
    const scores: NodeScore[] = nodes.map((n) => ({ name: n.name, score: interPodAffinity.score(state, pod, n) }));
    expect(scores.map((s) => s.score)).toEqual([30, 50, 0, 0]);
    interPodAffinity.normalize?.(state, pod, scores);
    expect(scores.map((s) => s.score)).toEqual([60, 100, 0, 0]);
  });

  it("existing pods' preferred affinity pulls the incoming pod", () => {
    const friend = db('d', { spec: { affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'zone' } }] } } } });
    const nodes = [nodeInfo(zoneA1), nodeInfo(zoneB1, friend)];
    const state = newState();
    const pod = web('p');
    interPodAffinity.preScore(state, pod, nodes, snapshotOf(nodes));
    expect(nodes.map((n) => interPodAffinity.score(state, pod, n))).toEqual([0, 10]);
  });

  it('skips scoring when nobody has terms', () => {
    const nodes = [nodeInfo(zoneA1, db('d'))];
    expect(interPodAffinity.preScore(newState(), web('p'), nodes, snapshotOf(nodes)).code).toBe('Skip');
  });
});
