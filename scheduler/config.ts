// `--config FILE`: a KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) read for the
// parts skiff implements — profiles with their filter/score plugins (enabled/disabled, weights),
// NodeResourcesFit's scoring strategy, leader election, backoff, percentageOfNodesToScore.
// Anything it cannot honour (an unknown plugin, an extension point skiff does not have, an
// unknown top-level field) is an error at start-up, never silently ignored.

import { parse as parseYaml } from 'yaml';
import { parseDuration } from '../client/flags.js';
import type { ResourceWeights, ScoringStrategy } from './plugins/node-resources-fit.js';
import { buildProfile, DEFAULT_FILTERS, DEFAULT_PERCENTAGE_OF_NODES_TO_SCORE, DEFAULT_SCHEDULER_NAME, DEFAULT_SCORES, type PluginArgs, type Profile } from './profile.js';

export const CONFIG_API_VERSION = 'kubescheduler.config.k8s.io/v1';

export interface LeaderElectionConfig {
  leaderElect: boolean;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  resourceNamespace: string;
  resourceName: string;
}

export interface SchedulerConfig {
  profiles: Profile[];
  leaderElection: LeaderElectionConfig;
  podInitialBackoffMs: number;
  podMaxBackoffMs: number;
}

export const DEFAULT_LEADER_ELECTION: LeaderElectionConfig = {
  leaderElect: false,
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
  resourceNamespace: 'kube-system',
  resourceName: 'kube-scheduler',
};

export class ConfigError extends Error {
  constructor(message: string) {
    super(`scheduler configuration: ${message}`);
    this.name = 'ConfigError';
  }
}

interface PluginRef {
  name: string;
  weight?: number;
}

interface PluginSet {
  enabled?: PluginRef[];
  disabled?: PluginRef[];
}

const KNOWN_TOP = new Set(['apiVersion', 'kind', 'profiles', 'leaderElection', 'percentageOfNodesToScore', 'podInitialBackoffSeconds', 'podMaxBackoffSeconds', 'clientConnection', 'parallelism']);
const SUPPORTED_POINTS = new Set(['filter', 'score']);

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function durationField(v: unknown, field: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'string') throw new ConfigError(`${field}: expected a duration such as "15s"`);
  try {
    return parseDuration(v);
  } catch (err) {
    throw new ConfigError(`${field}: ${(err as Error).message}`);
  }
}

function numberField(v: unknown, field: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ConfigError(`${field}: expected a non-negative number`);
  return v;
}

/** Defaults minus `disabled` (`*` disables all), then `enabled` appended or re-weighted in place. */
export function mergePlugins(defaults: ReadonlyArray<readonly [string, number]>, set: PluginSet | undefined, field: string): Array<[string, number]> {
  const disabled = new Set((set?.disabled ?? []).map((p) => p.name));
  const out: Array<[string, number]> = disabled.has('*') ? [] : defaults.filter(([n]) => !disabled.has(n)).map(([n, w]) => [n, w]);
  for (const [i, p] of (set?.enabled ?? []).entries()) {
    if (typeof p?.name !== 'string' || p.name === '') throw new ConfigError(`${field}.enabled[${i}].name: required`);
    const weight = p.weight ?? 1;
    if (!Number.isInteger(weight) || weight < 0 || weight > 100) throw new ConfigError(`${field}.enabled[${i}].weight: must be an integer from 0 to 100`);
    const at = out.findIndex(([n]) => n === p.name);
    if (at >= 0) out[at] = [p.name, weight];
    else out.push([p.name, weight]);
  }
  return out;
}

function pluginArgs(pluginConfig: unknown, field: string): PluginArgs {
  if (pluginConfig === undefined) return {};
  if (!Array.isArray(pluginConfig)) throw new ConfigError(`${field}: expected a list`);
  const args: PluginArgs = {};
  for (const [i, entry] of pluginConfig.entries()) {
    if (!isObj(entry) || typeof entry.name !== 'string') throw new ConfigError(`${field}[${i}].name: required`);
    if (entry.name !== 'NodeResourcesFit') throw new ConfigError(`${field}[${i}]: arguments for plugin "${entry.name}" are not supported (only NodeResourcesFit scoringStrategy)`);
    const strategy = isObj(entry.args) ? entry.args.scoringStrategy : undefined;
    if (strategy === undefined) continue;
    if (!isObj(strategy)) throw new ConfigError(`${field}[${i}].args.scoringStrategy: expected an object`);
    const type = (strategy.type ?? 'LeastAllocated') as ScoringStrategy;
    if (type !== 'LeastAllocated' && type !== 'MostAllocated') {
      throw new ConfigError(`${field}[${i}].args.scoringStrategy.type: "${String(strategy.type)}" is not supported (LeastAllocated, MostAllocated)`);
    }
    const resources: ResourceWeights = { cpu: 1, memory: 1 };
    if (strategy.resources !== undefined) {
      if (!Array.isArray(strategy.resources)) throw new ConfigError(`${field}[${i}].args.scoringStrategy.resources: expected a list`);
      resources.cpu = 0;
      resources.memory = 0;
      for (const r of strategy.resources as Array<{ name?: string; weight?: number }>) {
        if (r.name !== 'cpu' && r.name !== 'memory') throw new ConfigError(`${field}[${i}].args.scoringStrategy.resources: resource "${String(r.name)}" is not supported (cpu, memory)`);
        resources[r.name] = r.weight ?? 1;
      }
    }
    args.scoringStrategy = { type, resources };
  }
  return args;
}

function profileFrom(raw: unknown, i: number, globalPercentage: number): Profile {
  const field = `profiles[${i}]`;
  if (!isObj(raw)) throw new ConfigError(`${field}: expected an object`);
  const schedulerName = raw.schedulerName === undefined ? DEFAULT_SCHEDULER_NAME : raw.schedulerName;
  if (typeof schedulerName !== 'string' || schedulerName === '') throw new ConfigError(`${field}.schedulerName: must be a non-empty string`);
  const plugins = raw.plugins === undefined ? {} : raw.plugins;
  if (!isObj(plugins)) throw new ConfigError(`${field}.plugins: expected an object`);
  for (const point of Object.keys(plugins)) {
    if (!SUPPORTED_POINTS.has(point)) throw new ConfigError(`${field}.plugins.${point}: extension point not supported by skiff-scheduler (filter, score)`);
  }
  const filters = mergePlugins(DEFAULT_FILTERS.map((n) => [n, 0] as const), plugins.filter as PluginSet | undefined, `${field}.plugins.filter`).map(([n]) => n);
  const scores = mergePlugins(DEFAULT_SCORES, plugins.score as PluginSet | undefined, `${field}.plugins.score`);
  const percentage = numberField(raw.percentageOfNodesToScore, `${field}.percentageOfNodesToScore`, globalPercentage);
  try {
    return buildProfile({ schedulerName, filters, scores, args: pluginArgs(raw.pluginConfig, `${field}.pluginConfig`), percentageOfNodesToScore: percentage });
  } catch (err) {
    throw err instanceof ConfigError ? err : new ConfigError((err as Error).message);
  }
}

/** Reads a parsed KubeSchedulerConfiguration; no document at all means the defaults. */
export function parseConfig(doc: unknown): SchedulerConfig {
  if (doc === undefined || doc === null) doc = {};
  if (!isObj(doc)) throw new ConfigError('expected a KubeSchedulerConfiguration object');
  if (doc.apiVersion !== undefined && doc.apiVersion !== CONFIG_API_VERSION) throw new ConfigError(`apiVersion "${String(doc.apiVersion)}" is not supported (use ${CONFIG_API_VERSION})`);
  if (doc.kind !== undefined && doc.kind !== 'KubeSchedulerConfiguration') throw new ConfigError(`kind "${String(doc.kind)}" is not KubeSchedulerConfiguration`);
  for (const k of Object.keys(doc)) if (!KNOWN_TOP.has(k)) throw new ConfigError(`unknown field "${k}"`);
  // Unset: skiff's default (all nodes); 0: kube-scheduler's adaptive percentage.
  const percentage = numberField(doc.percentageOfNodesToScore, 'percentageOfNodesToScore', DEFAULT_PERCENTAGE_OF_NODES_TO_SCORE);
  if (percentage > 100) throw new ConfigError('percentageOfNodesToScore: must be from 0 to 100');
  const rawProfiles = doc.profiles === undefined ? [{}] : doc.profiles;
  if (!Array.isArray(rawProfiles) || rawProfiles.length === 0) throw new ConfigError('profiles: expected a non-empty list');
  const profiles = rawProfiles.map((p, i) => profileFrom(p, i, percentage));
  const names = new Set<string>();
  for (const p of profiles) {
    if (names.has(p.schedulerName)) throw new ConfigError(`profiles: duplicate schedulerName "${p.schedulerName}"`);
    names.add(p.schedulerName);
  }
  const le = doc.leaderElection === undefined ? {} : doc.leaderElection;
  if (!isObj(le)) throw new ConfigError('leaderElection: expected an object');
  const d = DEFAULT_LEADER_ELECTION;
  const leaderElection: LeaderElectionConfig = {
    leaderElect: le.leaderElect === undefined ? d.leaderElect : Boolean(le.leaderElect),
    leaseDurationMs: durationField(le.leaseDuration, 'leaderElection.leaseDuration', d.leaseDurationMs),
    renewDeadlineMs: durationField(le.renewDeadline, 'leaderElection.renewDeadline', d.renewDeadlineMs),
    retryPeriodMs: durationField(le.retryPeriod, 'leaderElection.retryPeriod', d.retryPeriodMs),
    resourceNamespace: typeof le.resourceNamespace === 'string' ? le.resourceNamespace : d.resourceNamespace,
    resourceName: typeof le.resourceName === 'string' ? le.resourceName : d.resourceName,
  };
  return {
    profiles,
    leaderElection,
    podInitialBackoffMs: numberField(doc.podInitialBackoffSeconds, 'podInitialBackoffSeconds', 1) * 1000,
    podMaxBackoffMs: numberField(doc.podMaxBackoffSeconds, 'podMaxBackoffSeconds', 10) * 1000,
  };
}

export function loadConfig(text: string): SchedulerConfig {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError(`not valid YAML: ${(err as Error).message}`);
  }
  return parseConfig(doc);
}
