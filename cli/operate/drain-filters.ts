// Which of a node's pods `skiff drain` may remove, with kubectl's filters in kubectl's order:
// DaemonSet pods (their controller would put them straight back) need --ignore-daemonsets
// and are then left alone; mirror pods (the kubelet's static pods) are left alone; pods with
// emptyDir data need --delete-emptydir-data; pods no controller would recreate need --force.
// Finished pods lose nothing and always go. Pure: the caller says which DaemonSets exist.

import type { Pod } from '../../api/types.js';

export interface DrainFilterFlags {
  ignoreDaemonsets: boolean;
  force: boolean;
  deleteEmptydirData: boolean;
}

export interface DrainPlan {
  /** The pods to evict (or delete), in the order given. */
  remove: Pod[];
  /** `Warning: ...` lines: what is left alone or removed despite a risk. */
  warnings: string[];
  /** Why the drain cannot go ahead; empty when it can. */
  errors: string[];
}

const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

type Verdict = { remove: boolean; warning?: string; error?: string };

const podKey = (p: Pod) => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;
const finished = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
const controllerOf = (p: Pod) => p.metadata?.ownerReferences?.find((r) => r.controller);

/** `daemonSetExists(namespace, name)` answers whether a pod's DaemonSet is still there. */
export function planDrain(pods: Pod[], flags: DrainFilterFlags, daemonSetExists: (namespace: string, name: string) => boolean): DrainPlan {
  const filters: ((p: Pod) => Verdict | undefined)[] = [
    (p) => {
      const ref = controllerOf(p);
      if (ref?.kind !== 'DaemonSet') return undefined;
      if (!daemonSetExists(p.metadata?.namespace ?? '', ref.name)) {
        // An orphan of a deleted DaemonSet nobody will recreate: an unmanaged pod.
        return flags.force ? { remove: true, warning: 'deleting Pods whose DaemonSet is gone' } : { remove: false, error: `Pods whose DaemonSet is gone (use --force to override)` };
      }
      return flags.ignoreDaemonsets ? { remove: false, warning: 'ignoring DaemonSet-managed Pods' } : { remove: false, error: 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)' };
    },
    (p) => (p.metadata?.annotations?.[MIRROR_ANNOTATION] !== undefined ? { remove: false } : undefined),
    (p) => {
      if (finished(p) || !(p.spec?.volumes ?? []).some((v) => v.emptyDir)) return undefined;
      return flags.deleteEmptydirData ? { remove: true, warning: 'deleting Pods with local storage' } : { remove: false, error: 'Pods with local storage (use --delete-emptydir-data to override)' };
    },
    (p) => {
      if (finished(p) || controllerOf(p)) return undefined;
      return flags.force ? { remove: true, warning: 'deleting Pods that declare no controller' } : { remove: false, error: 'Pods declare no controller (use --force to override)' };
    },
  ];
  const warnings = new Map<string, string[]>();
  const errors = new Map<string, string[]>();
  const remove: Pod[] = [];
  const note = (into: Map<string, string[]>, what: string, p: Pod) => into.set(what, [...(into.get(what) ?? []), podKey(p)]);
  for (const pod of pods) {
    let keep = true;
    for (const filter of filters) {
      const v = filter(pod);
      if (!v) continue;
      if (v.warning) note(warnings, v.warning, pod);
      if (v.error) note(errors, v.error, pod);
      if (!v.remove) {
        keep = false;
        break;
      }
    }
    if (keep) remove.push(pod);
  }
  return {
    remove,
    warnings: [...warnings].map(([what, keys]) => `${what}: ${keys.join(', ')}`),
    errors: [...errors].map(([what, keys]) => `cannot delete ${what}: ${keys.join(', ')}`),
  };
}
