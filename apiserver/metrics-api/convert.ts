// Kubelet summaries into metrics.k8s.io/v1beta1 objects, shaped as metrics-server returns
// them: labels copied from the Node or Pod, `timestamp` of the sample, `window` the span the
// usage rate was measured over. A pod is shown only when every container has both figures,
// as metrics-server does, so `kubectl top` never prints a half-measured pod.

import type { Node, Pod } from '../../api/types.js';
import { METRICS_API_VERSION } from './resources.js';
import { cpuQuantity, memoryQuantity } from './quantity.js';
import type { NodeSummary, PodSummary } from './summary.js';

export interface Usage {
  cpu: string;
  memory: string;
}

interface MetricsMeta {
  name: string;
  namespace?: string;
  creationTimestamp: string;
  labels?: Record<string, string>;
}

export interface NodeMetrics {
  kind: 'NodeMetrics';
  apiVersion: typeof METRICS_API_VERSION;
  metadata: MetricsMeta;
  timestamp: string;
  window: string;
  usage: Usage;
}

export interface PodMetrics {
  kind: 'PodMetrics';
  apiVersion: typeof METRICS_API_VERSION;
  metadata: MetricsMeta;
  timestamp: string;
  window: string;
  containers: Array<{ name: string; usage: Usage }>;
}

/** RFC 3339 to the second, as metav1.Time serializes; `now` when the sample has no valid time. */
function sampleTime(time: string, now: Date): string {
  const ms = Date.parse(time);
  return new Date(Number.isNaN(ms) ? now.getTime() : ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A Go duration string for whole or fractional seconds: `10s`, `1.5s`. */
export function windowString(windowMs: number): string {
  return `${Number((windowMs / 1000).toFixed(3))}s`;
}

export function nodeMetrics(node: Node, summary: NodeSummary, windowMs: number, now = new Date()): NodeMetrics | undefined {
  const { cpu, memory } = summary.node;
  if (!cpu || !memory) return undefined;
  const labels = node.metadata?.labels;
  return {
    kind: 'NodeMetrics',
    apiVersion: METRICS_API_VERSION,
    metadata: { name: node.metadata?.name ?? summary.node.nodeName, creationTimestamp: sampleTime('', now), ...(labels ? { labels } : {}) },
    timestamp: sampleTime(cpu.time, now),
    window: windowString(windowMs),
    usage: { cpu: cpuQuantity(cpu.usageNanoCores), memory: memoryQuantity(memory.workingSetBytes) },
  };
}

export function podMetrics(pod: Pod, stats: PodSummary, windowMs: number, now = new Date()): PodMetrics | undefined {
  if (stats.containers.length === 0) return undefined;
  const containers: PodMetrics['containers'] = [];
  let latest = '';
  for (const c of stats.containers) {
    if (!c.cpu || !c.memory) return undefined;
    containers.push({ name: c.name, usage: { cpu: cpuQuantity(c.cpu.usageNanoCores), memory: memoryQuantity(c.memory.workingSetBytes) } });
    if (c.cpu.time > latest) latest = c.cpu.time;
  }
  const labels = pod.metadata?.labels;
  return {
    kind: 'PodMetrics',
    apiVersion: METRICS_API_VERSION,
    metadata: {
      name: pod.metadata?.name ?? stats.podRef.name,
      namespace: pod.metadata?.namespace ?? stats.podRef.namespace,
      creationTimestamp: sampleTime('', now),
      ...(labels ? { labels } : {}),
    },
    timestamp: sampleTime(latest, now),
    window: windowString(windowMs),
    containers,
  };
}

/** The summary's stats for `pod`: same namespace and name, and the same UID when both know one (a recreated pod is another pod). */
export function findPodStats(summary: NodeSummary, pod: Pod): PodSummary | undefined {
  const meta = pod.metadata ?? {};
  return summary.pods.find(
    (p) => p.podRef.namespace === meta.namespace && p.podRef.name === meta.name && (!p.podRef.uid || !meta.uid || p.podRef.uid === meta.uid),
  );
}
