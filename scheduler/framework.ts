// The scheduling framework's extension points, in the shape of kube-scheduler's
// framework/interface.go. A plugin is a name plus the one or two methods below it implements;
// the scheduler runs, for each pod: PreFilter (once) → Filter (per node) → PreScore (once over
// the feasible nodes) → Score (per feasible node) → NormalizeScore → pick the highest
// weighted total. Every method is synchronous and must not mutate the NodeInfos it is given:
// one scheduling cycle runs start to finish without yielding, so the cache cannot change under it.

import type { Pod } from '../api/types.js';
import type { NodeInfo } from './node-info.js';

export type Code =
  /** The plugin is satisfied. */
  | 'Success'
  /** The node does not fit now but might after the cluster changes (a pod leaves, a taint is removed). */
  | 'Unschedulable'
  /** The node cannot fit this pod whatever other pods do (wrong labels, missing topology key). */
  | 'UnschedulableAndUnresolvable'
  /** PreFilter/PreScore: this pod has nothing for the plugin to check; its Filter/Score is skipped. */
  | 'Skip'
  /** An internal failure; the pod is retried with backoff. */
  | 'Error';

export interface Status {
  readonly code: Code;
  /** Short reasons in Kubernetes' words, e.g. `Insufficient cpu`; aggregated into FailedScheduling. */
  readonly reasons: readonly string[];
  /** Set by the framework to the plugin that returned it. */
  plugin?: string;
}

export const SUCCESS: Status = Object.freeze({ code: 'Success', reasons: [] }) as Status;
export const SKIP: Status = Object.freeze({ code: 'Skip', reasons: [] }) as Status;

export function unschedulable(...reasons: string[]): Status {
  return { code: 'Unschedulable', reasons };
}

export function unresolvable(...reasons: string[]): Status {
  return { code: 'UnschedulableAndUnresolvable', reasons };
}

export function errorStatus(message: string): Status {
  return { code: 'Error', reasons: [message] };
}

export const MAX_NODE_SCORE = 100;

/** A typed slot in CycleState; each plugin owns its keys. */
export class StateKey<T> {
  declare private readonly _type: T;
  constructor(readonly name: string) {}
}

/** Per-pod scratch space shared by one plugin's PreFilter/Filter/PreScore/Score calls in one cycle. */
export class CycleState {
  private readonly data = new Map<StateKey<unknown>, unknown>();

  read<T>(key: StateKey<T>): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  write<T>(key: StateKey<T>, value: T): void {
    this.data.set(key, value);
  }

  /** Plugins whose PreFilter returned Skip; their Filter is not called. */
  readonly skipFilter = new Set<string>();
  readonly skipScore = new Set<string>();
}

/** The cluster as one cycle sees it. */
export interface Snapshot {
  readonly nodes: readonly NodeInfo[];
  get(nodeName: string): NodeInfo | undefined;
  /** Nodes holding at least one pod with pod affinity or anti-affinity terms. */
  readonly nodesWithAffinityPods: readonly NodeInfo[];
  /** Namespace labels, for pod affinity terms with a namespaceSelector. */
  namespaceLabels(namespace: string): Readonly<Record<string, string>> | undefined;
}

export interface Plugin {
  readonly name: string;
}

/**
 * Runs once per pod before any Filter. Computes what filters share (the pod's affinity terms,
 * topology counts). Returns Skip when the plugin has nothing to check for this pod, a failure
 * status to reject the pod on every node at once.
 */
export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: Pod, snapshot: Snapshot): Status;
}

/** Decides whether `pod` may run on one node. Cheap checks first; never mutates nodeInfo. */
export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status;
}

/** Runs once per pod over the feasible nodes before Score; Skip means Score is not called. */
export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], snapshot: Snapshot): Status;
}

export interface NodeScore {
  readonly name: string;
  score: number;
}

/**
 * Ranks one feasible node. After normalize (if any) scores must be in 0..MAX_NODE_SCORE;
 * the scheduler multiplies them by the plugin's configured weight and sums.
 */
export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number;
  normalize?(state: CycleState, pod: Pod, scores: NodeScore[]): void;
}

export function isPreFilter(p: Plugin): p is PreFilterPlugin {
  return typeof (p as Partial<PreFilterPlugin>).preFilter === 'function';
}
export function isFilter(p: Plugin): p is FilterPlugin {
  return typeof (p as Partial<FilterPlugin>).filter === 'function';
}
export function isPreScore(p: Plugin): p is PreScorePlugin {
  return typeof (p as Partial<PreScorePlugin>).preScore === 'function';
}
export function isScore(p: Plugin): p is ScorePlugin {
  return typeof (p as Partial<ScorePlugin>).score === 'function';
}

/**
 * Scales raw scores so the highest becomes MAX_NODE_SCORE (kube-scheduler's
 * DefaultNormalizeScore); `reverse` makes the lowest raw score the best.
 */
export function defaultNormalize(scores: NodeScore[], reverse: boolean): void {
  let max = 0;
  for (const s of scores) max = Math.max(max, s.score);
  if (max === 0) {
    if (reverse) for (const s of scores) s.score = MAX_NODE_SCORE;
    return;
  }
  for (const s of scores) {
    const scaled = Math.floor((MAX_NODE_SCORE * s.score) / max);
    s.score = reverse ? MAX_NODE_SCORE - scaled : scaled;
  }
}
