// `skiff top nodes|pods`: resource usage from metrics.k8s.io/v1beta1 (which skiff's API
// server answers from the kubelets' Summary API), in kubectl's columns: CPU in millicores,
// memory in Mi, nodes with their share of allocatable.

import { cpuToMillis, quantityToBytes } from '../../api/quantity.js';
import type { Node } from '../../api/types.js';
import { connect, resolveKind, type ConnectionFlags } from '../resources/connection.js';
import { alignTabs } from './tabwriter.js';

type Usage = Record<string, string | number>;

export interface NodeMetrics {
  metadata: { name: string };
  usage: Usage;
}

export interface PodMetrics {
  metadata: { name: string; namespace?: string };
  containers: { name: string; usage: Usage }[];
}

export interface TopFlags extends ConnectionFlags {
  containers?: boolean;
  sortBy?: string;
  selector?: string;
  noHeaders?: boolean;
  sum?: boolean;
}

const cpuOf = (u: Usage | undefined) => (u?.cpu === undefined ? 0 : cpuToMillis(u.cpu));
const memOf = (u: Usage | undefined) => (u?.memory === undefined ? 0 : quantityToBytes(u.memory));
const cpuText = (millis: number) => `${millis}m`;
const memText = (bytes: number) => `${Math.floor(bytes / (1024 * 1024))}Mi`;
const pct = (part: number, whole: number) => `${whole ? Math.trunc((part / whole) * 100) : 0}%`;

function table(rows: string[][]): string {
  return alignTabs(rows.map((r) => `${r.join('\t')}\n`).join(''), 3, 6);
}

function sorter<T>(sortBy: string | undefined, cpu: (x: T) => number, mem: (x: T) => number, name: (x: T) => string): (a: T, b: T) => number {
  if (sortBy === 'cpu') return (a, b) => cpu(b) - cpu(a);
  if (sortBy === 'memory') return (a, b) => mem(b) - mem(a);
  if (sortBy) throw new Error(`--sort-by takes cpu or memory, not "${sortBy}"`);
  return (a, b) => name(a).localeCompare(name(b));
}

/** `NAME CPU(cores) CPU(%) MEMORY(bytes) MEMORY(%)`; nodes without metrics show `<unknown>`. */
export function formatNodeTop(metrics: NodeMetrics[], nodes: Node[], flags: Pick<TopFlags, 'sortBy' | 'noHeaders'> = {}): string {
  const byName = new Map(metrics.map((m) => [m.metadata.name, m]));
  const sort = sorter<Node>(
    flags.sortBy,
    (n) => cpuOf(byName.get(n.metadata?.name ?? '')?.usage),
    (n) => memOf(byName.get(n.metadata?.name ?? '')?.usage),
    (n) => n.metadata?.name ?? '',
  );
  const rows = [...nodes].sort(sort).map((node) => {
    const name = node.metadata?.name ?? '';
    const m = byName.get(name);
    if (!m) return [name, '<unknown>', '<unknown>', '<unknown>', '<unknown>'];
    const alloc = node.status?.allocatable ?? node.status?.capacity ?? {};
    const cpu = cpuOf(m.usage);
    const mem = memOf(m.usage);
    return [name, cpuText(cpu), pct(cpu, cpuOf(alloc as Usage)), memText(mem), pct(mem, memOf(alloc as Usage))];
  });
  return table(flags.noHeaders ? rows : [['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)'], ...rows]);
}

/** `[NAMESPACE] [POD] NAME CPU(cores) MEMORY(bytes)`, per pod or per container. */
export function formatPodTop(metrics: PodMetrics[], flags: Pick<TopFlags, 'sortBy' | 'noHeaders' | 'containers' | 'sum'> & { withNamespace?: boolean } = {}): string {
  const podCpu = (m: PodMetrics) => m.containers.reduce((n, c) => n + cpuOf(c.usage), 0);
  const podMem = (m: PodMetrics) => m.containers.reduce((n, c) => n + memOf(c.usage), 0);
  const sorted = [...metrics].sort(sorter<PodMetrics>(flags.sortBy, podCpu, podMem, (m) => `${m.metadata.namespace ?? ''}/${m.metadata.name}`));
  const byContainer = sorter<PodMetrics['containers'][number]>(flags.sortBy, (c) => cpuOf(c.usage), (c) => memOf(c.usage), (c) => c.name);
  const lead = (m: PodMetrics) => (flags.withNamespace ? [m.metadata.namespace ?? ''] : []);
  const rows = flags.containers
    ? sorted.flatMap((m) => [...m.containers].sort(byContainer).map((c) => [...lead(m), m.metadata.name, c.name, cpuText(cpuOf(c.usage)), memText(memOf(c.usage))]))
    : sorted.map((m) => [...lead(m), m.metadata.name, cpuText(podCpu(m)), memText(podMem(m))]);
  const header = [...(flags.withNamespace ? ['NAMESPACE'] : []), ...(flags.containers ? ['POD'] : []), 'NAME', 'CPU(cores)', 'MEMORY(bytes)'];
  const all = flags.noHeaders ? rows : [header, ...rows];
  if (flags.sum) {
    const blanks = header.length - 2;
    all.push([...Array<string>(blanks).fill(''), '________', '________']);
    all.push([...Array<string>(blanks).fill(''), cpuText(sorted.reduce((n, m) => n + podCpu(m), 0)), memText(sorted.reduce((n, m) => n + podMem(m), 0))]);
  }
  return table(all);
}

const METRICS_API_HINT = 'is the metrics API served? skiff answers metrics.k8s.io from the kubelets; check `skiff get nodes` and `skiff api-resources --api-group=metrics.k8s.io`';

export async function runTop(what: string, name: string | undefined, flags: TopFlags): Promise<number> {
  const conn = await connect(flags);
  try {
    const metricsType = (resource: string) => conn.registry.all().find((t) => t.group === 'metrics.k8s.io' && t.resource === resource);
    if (/^(nodes?|no)$/.test(what)) {
      const type = metricsType('nodes');
      if (!type) throw new Error(`the server does not serve metrics.k8s.io nodes; ${METRICS_API_HINT}`);
      const nodeType = resolveKind('nodes', conn.registry);
      const nodes = name ? [await conn.client.resource<Node>(nodeType).get(undefined, name)] : (await conn.client.resource<Node>(nodeType).list(undefined, { labelSelector: flags.selector })).items;
      const metrics = name ? [await conn.client.resource<NodeMetrics & { apiVersion?: string }>(type).get(undefined, name)] : (await conn.client.resource<NodeMetrics & { apiVersion?: string }>(type).list(undefined, { labelSelector: flags.selector })).items;
      process.stdout.write(formatNodeTop(metrics, nodes, flags));
      return 0;
    }
    if (/^(pods?|po)$/.test(what)) {
      const type = metricsType('pods');
      if (!type) throw new Error(`the server does not serve metrics.k8s.io pods; ${METRICS_API_HINT}`);
      const ns = flags.allNamespaces ? undefined : conn.namespace;
      const client = conn.client.resource<PodMetrics & { apiVersion?: string }>(type);
      const metrics = name ? [await client.get(ns, name)] : (await client.list(ns, { labelSelector: flags.selector })).items;
      if (metrics.length === 0) {
        process.stderr.write(flags.allNamespaces ? 'No resources found\n' : `No resources found in ${conn.namespace} namespace.\n`);
        return 0;
      }
      process.stdout.write(formatPodTop(metrics, { ...flags, withNamespace: flags.allNamespaces }));
      return 0;
    }
    throw new Error(`skiff top shows nodes or pods, not "${what}"`);
  } finally {
    conn.client.close();
  }
}
