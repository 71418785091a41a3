// Serves metrics.k8s.io/v1beta1 get and list live: the Node and Pod objects (filtered by the
// request's label and field selectors) come from the store, their usage from each node's
// kubelet Summary API, up to 64 nodes asked at once. A node whose kubelet does not answer is
// left out of lists and is NotFound on get, as metrics-server treats a node it has no
// sample of.

import type { Response } from 'express';
import type { ResourceType } from '../../api/resources.js';
import type { Node, Pod } from '../../api/types.js';
import type { RequestContext } from '../context.js';
import { errors } from '../errors.js';
import { sendJson } from '../respond.js';
import type { Seams } from '../seams.js';
import { findPodStats, nodeMetrics, podMetrics, type NodeMetrics, type PodMetrics } from './convert.js';
import { METRICS_API_VERSION, METRICS_GROUP } from './resources.js';
import { fetchSummary, type NodeSummary } from './summary.js';

export interface MetricsOptions {
  /** Deadline for one kubelet's summary. */
  summaryTimeoutMs: number;
  /** The span reported as `window`: how long the kubelet's usage rates are averaged over. */
  windowMs: number;
}

export const DEFAULT_METRICS_OPTIONS: MetricsOptions = { summaryTimeoutMs: 3000, windowMs: 10_000 };

function coreType(ctx: RequestContext, resource: 'nodes' | 'pods'): ResourceType {
  const t = ctx.registry.get('', 'v1', resource);
  if (!t) throw errors.internal(`${resource} are not served`);
  return t;
}

/** Kubelets asked at once; a large cluster's list is answered in waves rather than thousands of sockets. */
const MAX_PARALLEL_FETCHES = 64;

/** Each named node's summary, asked in parallel; nodes that fail are missing from the map. */
async function summaries(ctx: RequestContext, nodeNames: Iterable<string>, opts: MetricsOptions): Promise<Map<string, NodeSummary>> {
  const transport = ctx.kubeletTransport;
  if (!transport) throw errors.unavailable('this API server has no connection to kubelets configured');
  const pending = [...new Set(nodeNames)];
  const found = new Map<string, NodeSummary>();
  const worker = async (): Promise<void> => {
    for (let name = pending.shift(); name !== undefined; name = pending.shift()) {
      try {
        found.set(name, await fetchSummary(transport, name, opts.summaryTimeoutMs));
      } catch (err) {
        ctx.log.debug({ node: name, err }, 'no resource metrics from node');
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(MAX_PARALLEL_FETCHES, pending.length) }, worker));
  return found;
}

function selectedList<T>(ctx: RequestContext, seams: Seams, type: ResourceType) {
  const filter = seams.selectorFilter(type, ctx.query.get('labelSelector') ?? '', ctx.query.get('fieldSelector') ?? '');
  return async (): Promise<T[]> => (await ctx.store.list(type, { namespace: ctx.namespace, filter })).items as T[];
}

async function listNodeMetrics(ctx: RequestContext, seams: Seams, opts: MetricsOptions): Promise<NodeMetrics[]> {
  const nodes = await selectedList<Node>(ctx, seams, coreType(ctx, 'nodes'))();
  const byNode = await summaries(ctx, nodes.map((n) => n.metadata?.name ?? ''), opts);
  return nodes.flatMap((n) => {
    const s = byNode.get(n.metadata?.name ?? '');
    const m = s && nodeMetrics(n, s, opts.windowMs);
    return m ? [m] : [];
  });
}

async function listPodMetrics(ctx: RequestContext, seams: Seams, opts: MetricsOptions): Promise<PodMetrics[]> {
  const pods = (await selectedList<Pod>(ctx, seams, coreType(ctx, 'pods'))()).filter((p) => p.spec?.nodeName);
  const byNode = await summaries(ctx, pods.map((p) => p.spec?.nodeName ?? ''), opts);
  return pods.flatMap((p) => {
    const s = byNode.get(p.spec?.nodeName ?? '');
    const stats = s && findPodStats(s, p);
    const m = stats && podMetrics(p, stats, opts.windowMs);
    return m ? [m] : [];
  });
}

async function getNodeMetrics(ctx: RequestContext, name: string, opts: MetricsOptions): Promise<NodeMetrics> {
  const node = (await ctx.store.get(coreType(ctx, 'nodes'), undefined, name)) as Node;
  const s = (await summaries(ctx, [name], opts)).get(name);
  const m = s && nodeMetrics(node, s, opts.windowMs);
  if (!m) throw errors.notFound('nodes', METRICS_GROUP, name);
  return m;
}

async function getPodMetrics(ctx: RequestContext, name: string, opts: MetricsOptions): Promise<PodMetrics> {
  const pod = (await ctx.store.get(coreType(ctx, 'pods'), ctx.namespace, name)) as Pod;
  const nodeName = pod.spec?.nodeName;
  const s = nodeName ? (await summaries(ctx, [nodeName], opts)).get(nodeName) : undefined;
  const stats = s && findPodStats(s, pod);
  const m = stats && podMetrics(pod, stats, opts.windowMs);
  if (!m) throw errors.notFound('pods', METRICS_GROUP, name);
  return m;
}

/** Answers a metrics.k8s.io request whose verb the registry entry allows (get or list). */
export async function serveMetrics(ctx: RequestContext, seams: Seams, verb: string, res: Response, opts: MetricsOptions = DEFAULT_METRICS_OPTIONS): Promise<void> {
  const nodes = ctx.type.resource === 'nodes';
  if (verb === 'get' && ctx.name !== undefined) {
    sendJson(res, 200, nodes ? await getNodeMetrics(ctx, ctx.name, opts) : await getPodMetrics(ctx, ctx.name, opts));
    return;
  }
  if (verb !== 'list') throw errors.methodNotAllowed(`${verb} is not supported on ${ctx.type.resource}.${METRICS_GROUP}`);
  const items = nodes ? await listNodeMetrics(ctx, seams, opts) : await listPodMetrics(ctx, seams, opts);
  sendJson(res, 200, { kind: nodes ? 'NodeMetricsList' : 'PodMetricsList', apiVersion: METRICS_API_VERSION, metadata: {}, items });
}
