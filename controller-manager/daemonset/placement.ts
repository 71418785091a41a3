// Which nodes a DaemonSet's pod belongs on, and the pod it puts there: the node must match the
// nodeSelector and required node affinity, and its taints must be tolerated by the pod's
// tolerations plus the ones every daemon pod gets (so a daemon keeps running on a not-ready or
// unreachable node). The pod is pinned with a required `matchFields metadata.name In [node]`
// affinity so the scheduler binds it there.

import { nodeSelectorMatches } from '../../api/node-affinity.js';
import type { DaemonSet, Node, Pod, Toleration } from '../types.js';
import { toleratesAll } from '../taints.js';

export const REVISION_HASH_LABEL = 'controller-revision-hash';

/** Upstream's AddOrUpdateDaemonPodTolerations. */
export const DAEMON_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

export function daemonTolerations(template: Toleration[] | undefined, hostNetwork: boolean): Toleration[] {
  const out = [...(template ?? [])];
  const extra = hostNetwork ? [...DAEMON_TOLERATIONS, { key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' }] : DAEMON_TOLERATIONS;
  for (const t of extra) if (!out.some((o) => o.key === t.key && o.effect === t.effect)) out.push(t);
  return out;
}

export interface NodeVerdict {
  /** A daemon pod should be created here. */
  shouldRun: boolean;
  /** A daemon pod already here may stay (only NoExecute taints evict). */
  shouldContinueRunning: boolean;
}

export function nodeVerdict(ds: DaemonSet, node: Node): NodeVerdict {
  const spec = ds.spec?.template.spec;
  const labels = node.metadata?.labels ?? {};
  const selectorOk = Object.entries(spec?.nodeSelector ?? {}).every(([k, v]) => labels[k] === v);
  const terms = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const affinityOk = !terms || nodeSelectorMatches(terms, node);
  if (!selectorOk || !affinityOk) return { shouldRun: false, shouldContinueRunning: false };
  const tolerations = daemonTolerations(spec?.tolerations, !!spec?.hostNetwork);
  const taints = node.spec?.taints ?? [];
  const unschedulable = node.spec?.unschedulable ? [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] : [];
  return {
    shouldRun: toleratesAll(tolerations, [...taints, ...unschedulable], ['NoSchedule', 'NoExecute']),
    shouldContinueRunning: toleratesAll(tolerations, taints, ['NoExecute']),
  };
}

/** The node a daemon pod is for: where it runs, or where its affinity pins it. */
export function targetNode(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  for (const term of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    const f = term.matchFields?.find((r) => r.key === 'metadata.name' && r.operator === 'In' && r.values?.length === 1);
    if (f) return f.values![0];
  }
  return undefined;
}

/** The pod for `node`, from the template, pinned there by affinity. */
export function daemonPod(ds: DaemonSet, node: string, hash: string, ownerRef: NonNullable<Pod['metadata']>['ownerReferences']): Pod {
  const t = ds.spec!.template;
  const spec = structuredClone(t.spec ?? { containers: [] });
  spec.tolerations = daemonTolerations(spec.tolerations, !!spec.hostNetwork);
  // Eligibility was checked here; the scheduler only needs to know which node.
  spec.affinity = {
    ...spec.affinity,
    nodeAffinity: {
      ...spec.affinity?.nodeAffinity,
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] },
    },
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${ds.metadata?.name}-`,
      namespace: ds.metadata?.namespace,
      labels: { ...(t.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash },
      ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
      ownerReferences: ownerRef,
    },
    spec,
  };
}
