// Container resources → LinuxContainerResources, with the kubelet's formulas: cpu shares from
// the request (1024 per core, at least 2), CFS quota from the limit over a 100 ms period,
// memory limit in bytes, and an oom_score_adj by QoS class (containerd clamps negative values
// to 0 on these machines: restrict_oom_score_adj).

import type { Container, Pod } from '../../api/types.js';
import { cpuToMillis, quantityToBytes } from '../../api/quantity.js';
import type { LinuxContainerResources } from '../cri/types.js';

export const CPU_PERIOD_US = 100_000;
const MIN_SHARES = 2;
const MIN_QUOTA_US = 1000;

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

type Quantities = Record<string, string | number> | undefined;

function q(list: Quantities, name: string): string | number | undefined {
  return list?.[name];
}

function allContainers(pod: Pod): Container[] {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
}

/** The pod's QoS class, as the API server computes status.qosClass. */
export function qosClass(pod: Pod): QosClass {
  let any = false;
  let guaranteed = true;
  for (const c of allContainers(pod)) {
    const req = c.resources?.requests as Quantities;
    const lim = c.resources?.limits as Quantities;
    for (const r of ['cpu', 'memory']) {
      const l = q(lim, r);
      const rq = q(req, r) ?? l;
      if (rq !== undefined || l !== undefined) any = true;
      if (l === undefined || rq === undefined) guaranteed = false;
      else if ((r === 'cpu' ? cpuToMillis(rq) : quantityToBytes(rq)) !== (r === 'cpu' ? cpuToMillis(l) : quantityToBytes(l))) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export function oomScoreAdj(pod: Pod, container: Container, nodeMemoryBytes: number): number {
  const qos = qosClass(pod);
  if (qos === 'Guaranteed') return -997;
  if (qos === 'BestEffort') return 1000;
  const req = q(container.resources?.requests as Quantities, 'memory') ?? q(container.resources?.limits as Quantities, 'memory');
  const bytes = req === undefined ? 0 : quantityToBytes(req);
  const adj = 1000 - Math.floor((1000 * bytes) / Math.max(1, nodeMemoryBytes));
  // Burstable stays strictly between Guaranteed and BestEffort.
  return Math.min(999, Math.max(2, adj));
}

export function linuxResources(pod: Pod, container: Container, nodeMemoryBytes: number): LinuxContainerResources {
  const req = container.resources?.requests as Quantities;
  const lim = container.resources?.limits as Quantities;
  const cpuReq = q(req, 'cpu') ?? q(lim, 'cpu');
  const cpuLim = q(lim, 'cpu');
  const memLim = q(lim, 'memory');
  const shares = cpuReq === undefined ? MIN_SHARES : Math.max(MIN_SHARES, Math.floor((cpuToMillis(cpuReq) * 1024) / 1000));
  const out: LinuxContainerResources = { cpu_shares: shares, oom_score_adj: oomScoreAdj(pod, container, nodeMemoryBytes) };
  if (cpuLim !== undefined) {
    out.cpu_period = CPU_PERIOD_US;
    out.cpu_quota = Math.max(MIN_QUOTA_US, Math.floor((cpuToMillis(cpuLim) * CPU_PERIOD_US) / 1000));
  }
  if (memLim !== undefined) out.memory_limit_in_bytes = quantityToBytes(memLim);
  return out;
}
