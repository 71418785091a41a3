// The parts of the kubelet's Summary API (`/stats/summary`, stats/v1alpha1) that resource
// metrics need, read defensively: a sample without a figure is left out rather than shown as
// zero. Fetching is one GET per node with a short deadline; a node that does not answer in
// time, or answers badly, has no summary.

import { request as httpsRequest } from 'node:https';
import type { KubeletTransport } from '../context.js';
import { kubeletTLS } from '../subresources/kubelet-proxy.js';

export interface CpuSample {
  time: string;
  usageNanoCores: number;
}

export interface MemorySample {
  time: string;
  workingSetBytes: number;
}

export interface ContainerSummary {
  name: string;
  cpu?: CpuSample;
  memory?: MemorySample;
}

export interface PodSummary {
  podRef: { name: string; namespace: string; uid: string };
  containers: ContainerSummary[];
}

export interface NodeSummary {
  node: { nodeName: string; cpu?: CpuSample; memory?: MemorySample };
  pods: PodSummary[];
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function cpuOf(v: unknown): CpuSample | undefined {
  if (!isObject(v) || typeof v.usageNanoCores !== 'number' || !Number.isFinite(v.usageNanoCores)) return undefined;
  return { time: str(v.time), usageNanoCores: v.usageNanoCores };
}

function memoryOf(v: unknown): MemorySample | undefined {
  if (!isObject(v) || typeof v.workingSetBytes !== 'number' || !Number.isFinite(v.workingSetBytes)) return undefined;
  return { time: str(v.time), workingSetBytes: v.workingSetBytes };
}

/** Reads a decoded `/stats/summary` body; throws when it is not a summary at all. */
export function parseSummary(body: unknown): NodeSummary {
  if (!isObject(body) || !isObject(body.node)) throw new Error('not a kubelet stats summary: no "node"');
  const pods = Array.isArray(body.pods) ? body.pods : [];
  return {
    node: { nodeName: str(body.node.nodeName), cpu: cpuOf(body.node.cpu), memory: memoryOf(body.node.memory) },
    pods: pods.filter(isObject).flatMap((p) => {
      if (!isObject(p.podRef)) return [];
      const containers = Array.isArray(p.containers) ? p.containers.filter(isObject) : [];
      return [
        {
          podRef: { name: str(p.podRef.name), namespace: str(p.podRef.namespace), uid: str(p.podRef.uid) },
          containers: containers.map((c) => ({ name: str(c.name), cpu: cpuOf(c.cpu), memory: memoryOf(c.memory) })),
        },
      ];
    }),
  };
}

/** Largest summary body read; a kubelet with thousands of pods stays well below it. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** GETs `/stats/summary` from the node's kubelet within `timeoutMs`. */
export async function fetchSummary(transport: KubeletTransport, nodeName: string, timeoutMs: number): Promise<NodeSummary> {
  const base = await transport.kubeletURL(nodeName);
  const target = new URL('/stats/summary?only_cpu_and_memory=true', base);
  const text = await new Promise<string>((resolve, reject) => {
    const req = httpsRequest(
      {
        protocol: 'https:',
        hostname: target.hostname.replace(/^\[|\]$/g, ''),
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: 'GET',
        headers: { accept: 'application/json' },
        timeout: timeoutMs,
        ...kubeletTLS(transport),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY_BYTES) req.destroy(new Error(`summary of node "${nodeName}" is larger than ${MAX_BODY_BYTES} bytes`));
          else chunks.push(c);
        });
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`kubelet of node "${nodeName}" answered ${res.statusCode ?? 0} for ${target.pathname}`));
          else resolve(Buffer.concat(chunks).toString('utf8'));
        });
        res.on('error', reject);
      },
    );
    // One deadline for the whole exchange, not only for idle sockets.
    const deadline = setTimeout(() => req.destroy(new Error(`kubelet of node "${nodeName}" did not answer within ${timeoutMs}ms`)), timeoutMs);
    req.on('close', () => clearTimeout(deadline));
    req.on('timeout', () => req.destroy(new Error(`kubelet of node "${nodeName}" did not answer within ${timeoutMs}ms`)));
    req.on('error', reject);
    req.end();
  });
  return parseSummary(JSON.parse(text) as unknown);
}
