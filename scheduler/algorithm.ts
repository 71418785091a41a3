// One scheduling decision, pure and synchronous: PreFilter, Filter over the nodes (stopping
// once enough feasible nodes are found, as kube-scheduler does on big clusters), PreScore,
// Score, NormalizeScore, weighted sum, and the highest total wins — ties broken at random so
// identical pods spread evenly. When nothing fits, a FitError says why, per node.

import type { Pod } from '../api/types.js';
import { CycleState, MAX_NODE_SCORE, type NodeScore, type Snapshot, type Status } from './framework.js';
import type { NodeInfo } from './node-info.js';
import type { Profile } from './profile.js';

/** Why no node fits: each rejected node's status, and the plugins that rejected any. */
export class FitError extends Error {
  constructor(
    readonly pod: Pod,
    readonly numAllNodes: number,
    readonly nodeStatuses: ReadonlyMap<string, Status>,
    /** Set when a PreFilter rejected the pod before any node was looked at. */
    readonly preFilterStatus?: Status,
  ) {
    super(fitErrorMessage(numAllNodes, nodeStatuses, preFilterStatus));
    this.name = 'FitError';
  }

  /** Plugins that rejected at least one node; the queue moves the pod back only on events these care about. */
  get unschedulablePlugins(): Set<string> {
    const out = new Set<string>();
    if (this.preFilterStatus?.plugin) out.add(this.preFilterStatus.plugin);
    for (const s of this.nodeStatuses.values()) if (s.plugin) out.add(s.plugin);
    return out;
  }
}

/**
 * kube-scheduler's wording: `0/3 nodes are available: 1 node(s) had untolerated taint
 * {node.kubernetes.io/unreachable: }, 2 Insufficient cpu.` — reasons counted over nodes and
 * sorted as strings — then what preemption found; skiff does not preempt and says so.
 */
export function fitErrorMessage(numAllNodes: number, nodeStatuses: ReadonlyMap<string, Status>, preFilterStatus?: Status): string {
  const histogram = new Map<string, number>();
  if (preFilterStatus) {
    for (const r of preFilterStatus.reasons) histogram.set(r, numAllNodes);
  } else {
    for (const s of nodeStatuses.values()) for (const r of s.reasons) histogram.set(r, (histogram.get(r) ?? 0) + 1);
  }
  const parts = [...histogram].map(([reason, n]) => `${n} ${reason}`).sort();
  let msg = `0/${numAllNodes} nodes are available`;
  msg += parts.length ? `: ${parts.join(', ')}.` : '.';
  return `${msg} preemption: not attempted, skiff-scheduler does not preempt.`;
}

export interface ScheduleResult {
  nodeName: string;
  /** Nodes that passed the filters (of those evaluated). */
  feasible: number;
  evaluated: number;
}

/** How many feasible nodes to find before scoring (kube-scheduler's numFeasibleNodesToFind). */
export function numFeasibleNodesToFind(numAllNodes: number, percentage: number): number {
  const MIN_FEASIBLE = 100;
  if (numAllNodes < MIN_FEASIBLE || percentage >= 100) return numAllNodes;
  let pct = percentage;
  if (pct <= 0) pct = Math.max(5, 50 - Math.floor(numAllNodes / 125));
  return Math.max(MIN_FEASIBLE, Math.floor((numAllNodes * pct) / 100));
}

export class Algorithm {
  /** Where the next search starts, so a partial search does not always favour the first nodes. */
  private nextStart = 0;

  constructor(
    private readonly profile: Profile,
    private readonly random: () => number = Math.random,
  ) {}

  /** Picks a node for `pod`, or throws FitError. Does not change the snapshot. */
  schedule(pod: Pod, snapshot: Snapshot): ScheduleResult {
    const all = snapshot.nodes;
    if (all.length === 0) throw new FitError(pod, 0, new Map());
    const state = new CycleState();
    for (const p of this.profile.preFilter) {
      const st = p.preFilter(state, pod, snapshot);
      if (st.code === 'Skip') state.skipFilter.add(p.name);
      else if (st.code !== 'Success') throw new FitError(pod, all.length, new Map(), { ...st, plugin: p.name });
    }
    const { feasible, statuses, evaluated } = this.findFeasible(state, pod, all);
    if (feasible.length === 0) throw new FitError(pod, all.length, statuses);
    if (feasible.length === 1) return { nodeName: feasible[0].name, feasible: 1, evaluated };
    const totals = this.prioritize(state, pod, feasible, snapshot);
    return { nodeName: this.selectHost(feasible, totals), feasible: feasible.length, evaluated };
  }

  private findFeasible(state: CycleState, pod: Pod, all: readonly NodeInfo[]) {
    const want = numFeasibleNodesToFind(all.length, this.profile.percentageOfNodesToScore);
    const feasible: NodeInfo[] = [];
    const statuses = new Map<string, Status>();
    const start = this.nextStart % all.length;
    let evaluated = 0;
    for (; evaluated < all.length && feasible.length < want; evaluated++) {
      const ni = all[(start + evaluated) % all.length];
      const st = this.runFilters(state, pod, ni);
      if (st) statuses.set(ni.name, st);
      else feasible.push(ni);
    }
    this.nextStart = (start + evaluated) % all.length;
    return { feasible, statuses, evaluated };
  }

  /** The first failing status on this node, or undefined when every filter passes. */
  private runFilters(state: CycleState, pod: Pod, ni: NodeInfo): Status | undefined {
    for (const p of this.profile.filter) {
      if (state.skipFilter.has(p.name)) continue;
      const st = p.filter(state, pod, ni);
      if (st.code !== 'Success') return { ...st, plugin: p.name };
    }
    return undefined;
  }

  private prioritize(state: CycleState, pod: Pod, nodes: NodeInfo[], snapshot: Snapshot): number[] {
    for (const p of this.profile.preScore) {
      if (p.preScore(state, pod, nodes, snapshot).code === 'Skip') state.skipScore.add(p.name);
    }
    const totals = new Array<number>(nodes.length).fill(0);
    for (const { plugin, weight } of this.profile.score) {
      if (state.skipScore.has(plugin.name) || weight === 0) continue;
      const scores: NodeScore[] = nodes.map((ni) => ({ name: ni.name, score: plugin.score(state, pod, ni) }));
      plugin.normalize?.(state, pod, scores);
      for (let i = 0; i < scores.length; i++) {
        const s = Math.min(MAX_NODE_SCORE, Math.max(0, scores[i].score));
        totals[i] += s * weight;
      }
    }
    return totals;
  }

  /** The highest total; among equals, a uniformly random one (reservoir sampling). */
  private selectHost(nodes: NodeInfo[], totals: number[]): string {
    let best = 0;
    let ties = 1;
    for (let i = 1; i < nodes.length; i++) {
      if (totals[i] > totals[best]) {
        best = i;
        ties = 1;
      } else if (totals[i] === totals[best]) {
        ties++;
        if (this.random() * ties < 1) best = i;
      }
    }
    return nodes[best].name;
  }
}
