// Validation: the API server calls validateObject after defaulting on every create and
// update and answers 422 Invalid with the returned causes. Every kind gets its metadata
// checked; the kinds skiff acts on also get the rules of their spec, and on update the
// fields that may not change. Custom resources get the metadata checks only.

import type { ResourceType } from './resources.js';
import type { KubeObject } from './types.js';
import {
  validateConfigMap, validateControllerRevision, validateControllerRevisionUpdate, validateDataUpdate, validateEvent, validateLease, validateNamespace,
  validateNode, validateNodeUpdate, validatePodDisruptionBudget, validatePriorityClass, validatePriorityClassUpdate, validateSecret,
} from './validation/cluster.js';
import type { FieldError } from './validation/field.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './validation/meta.js';
import { typeErrors, withoutNulls } from './validation/schema.js';
import { validatePod, validatePodUpdate } from './validation/pod.js';
import { validateEndpointSlice, validateEndpointSliceUpdate, validateEndpoints, validateService, validateServiceUpdate } from './validation/service.js';
import {
  validateDaemonSet, validateDaemonSetUpdate, validateDeployment, validateDeploymentUpdate, validateJob, validateJobUpdate, validateReplicaSet,
  validateReplicaSetUpdate,
} from './validation/workloads.js';

export type { FieldError, FieldReason } from './validation/field.js';
export { Path, fieldErrors } from './validation/field.js';

interface KindRules {
  create: (obj: never) => FieldError[];
  update?: (obj: never, old: never) => FieldError[];
}

/** Keyed by `group/Kind`, so a custom resource that reuses a built-in kind name is not mistaken for it. */
const RULES: Record<string, KindRules> = {
  '/Pod': { create: validatePod, update: validatePodUpdate },
  '/Service': { create: validateService, update: validateServiceUpdate },
  '/Endpoints': { create: validateEndpoints },
  '/Namespace': { create: validateNamespace },
  '/Node': { create: validateNode, update: validateNodeUpdate },
  '/ConfigMap': { create: validateConfigMap, update: validateDataUpdate },
  '/Secret': { create: validateSecret, update: validateDataUpdate },
  '/Event': { create: validateEvent },
  'apps/Deployment': { create: validateDeployment, update: validateDeploymentUpdate },
  'apps/ReplicaSet': { create: validateReplicaSet, update: validateReplicaSetUpdate },
  'apps/DaemonSet': { create: validateDaemonSet, update: validateDaemonSetUpdate },
  'apps/ControllerRevision': { create: validateControllerRevision, update: validateControllerRevisionUpdate },
  'batch/Job': { create: validateJob, update: validateJobUpdate },
  'coordination.k8s.io/Lease': { create: validateLease },
  'discovery.k8s.io/EndpointSlice': { create: validateEndpointSlice, update: validateEndpointSliceUpdate },
  'policy/PodDisruptionBudget': { create: validatePodDisruptionBudget },
  'scheduling.k8s.io/PriorityClass': { create: validatePriorityClass, update: validatePriorityClassUpdate },
};

/**
 * Every problem with `input` of `type` as Kubernetes StatusCauses; empty when valid. With
 * `oldInput` (an update, the stored object) the immutable fields are compared as well.
 */
export function validateObject(type: ResourceType, input: KubeObject, oldInput?: KubeObject): FieldError[] {
  // Fields of the wrong JSON type are reported alone: the rules below assume a well-typed object.
  const wrongTypes = typeErrors(type, input);
  if (wrongTypes.length > 0) return wrongTypes;
  const obj = withoutNulls(input);
  // A stored object is well-typed (it passed this check when written); one that is not has
  // nothing trustworthy to compare against.
  const old = oldInput && typeErrors(type, oldInput).length === 0 ? withoutNulls(oldInput) : undefined;
  const errs = validateObjectMeta(type, obj);
  const rules = RULES[`${type.group}/${type.kind}`];
  if (rules) errs.push(...(rules.create as (o: KubeObject) => FieldError[])(obj));
  if (old) {
    errs.push(...validateObjectMetaUpdate(obj, old));
    if (rules?.update) errs.push(...(rules.update as (o: KubeObject, p: KubeObject) => FieldError[])(obj, old));
  }
  return errs;
}
