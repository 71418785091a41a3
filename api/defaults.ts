// Defaulting: what the API server fills in on every create and update before validation,
// as Kubernetes does while decoding a request. Only kinds whose fields skiff acts on have
// defaults; Node, Lease, ConfigMap, PodDisruptionBudget and the rest are stored as sent.

import type { ResourceType } from './resources.js';
import type { KubeObject } from './types.js';
import { defaultNamespace, defaultPriorityClass, defaultSecret } from './defaults/cluster.js';
import { defaultPod } from './defaults/pod.js';
import { defaultEndpointSlice, defaultEndpoints, defaultService } from './defaults/service.js';
import { defaultDaemonSet, defaultDeployment, defaultJob, defaultReplicaSet } from './defaults/workloads.js';
import { removeNulls, typeErrors } from './validation/schema.js';

export { defaultPullPolicy, defaultPodSpec } from './defaults/pod.js';

type Defaulter = (obj: never) => void;

/** Keyed by `group/Kind`, so a custom resource with a built-in kind name is left alone. */
const DEFAULTERS: Record<string, Defaulter> = {
  '/Pod': defaultPod,
  '/Service': defaultService,
  '/Endpoints': defaultEndpoints,
  '/Namespace': defaultNamespace,
  '/Secret': defaultSecret,
  'apps/Deployment': defaultDeployment,
  'apps/ReplicaSet': defaultReplicaSet,
  'apps/DaemonSet': defaultDaemonSet,
  'batch/Job': defaultJob,
  'discovery.k8s.io/EndpointSlice': defaultEndpointSlice,
  'scheduling.k8s.io/PriorityClass': defaultPriorityClass,
};

/**
 * Fills in Kubernetes' defaults for `obj` of `type`, in place. Null properties are removed
 * first (null means unset). An object with fields of the wrong type is left as it is:
 * validation reports those fields.
 */
export function applyDefaults(type: ResourceType, obj: KubeObject): void {
  const defaulter = DEFAULTERS[`${type.group}/${type.kind}`] as ((o: KubeObject) => void) | undefined;
  if (!defaulter || typeErrors(type, obj).length > 0) return;
  removeNulls(obj);
  defaulter(obj);
}
