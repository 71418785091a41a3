// Where a pod's files live under the kubelet's --root-dir: container logs in
// `pods/<ns>_<name>_<uid>/<container>/<attempt>.log` (containerd never deletes them, and a
// reused path appends, hence one file per attempt), volumes in `pod-volumes/<uid>/`.

import { join } from 'node:path';
import type { PodIdentity } from './labels.js';

export function podLogDir(rootDir: string, pod: PodIdentity): string {
  return join(rootDir, 'pods', `${pod.namespace}_${pod.name}_${pod.uid}`);
}

/** Relative to the pod log dir, as CRI wants it. */
export function containerLogPath(containerName: string, attempt: number): string {
  return `${containerName}/${attempt}.log`;
}

export function podVolumesDir(rootDir: string, uid: string): string {
  return join(rootDir, 'pod-volumes', uid);
}

/** The pod's cgroup under this node's own root, so two nodes on one machine never share one. */
export function podCgroupParent(nodeName: string, uid: string): string {
  return `/skiff/${nodeName}/pod${uid}`;
}
