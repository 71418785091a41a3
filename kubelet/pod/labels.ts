// The labels and annotations that tie CRI sandboxes and containers to their pod, with the
// names the upstream kubelet uses. A restarted kubelet rebuilds everything it knows from
// these: nothing about a pod's runtime objects lives only in memory.

export const POD_NAME = 'io.kubernetes.pod.name';
export const POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const POD_UID = 'io.kubernetes.pod.uid';
export const CONTAINER_NAME = 'io.kubernetes.container.name';
/** Marks the objects this kubelet made (vs. anything else using the same containerd). */
export const MANAGED_BY = 'io.kubernetes.managed-by';
export const MANAGED_BY_VALUE = 'skiff-kubelet';

/** Annotations on a container, read back after a restart. */
export const CONTAINER_HASH = 'io.kubernetes.container.hash';
export const CONTAINER_RESTART_COUNT = 'io.kubernetes.container.restartCount';
export const CONTAINER_INIT = 'skiff.io/init-container';
export const CONTAINER_TERMINATION_MESSAGE_PATH = 'io.kubernetes.container.terminationMessagePath';
export const POD_TERMINATION_GRACE_PERIOD = 'io.kubernetes.pod.terminationGracePeriod';

export interface PodIdentity {
  name: string;
  namespace: string;
  uid: string;
}

export function sandboxLabels(pod: PodIdentity): Record<string, string> {
  return { [POD_NAME]: pod.name, [POD_NAMESPACE]: pod.namespace, [POD_UID]: pod.uid, [MANAGED_BY]: MANAGED_BY_VALUE };
}

export function containerLabels(pod: PodIdentity, containerName: string): Record<string, string> {
  return { ...sandboxLabels(pod), [CONTAINER_NAME]: containerName };
}
