// Resource types, exactly as Kubernetes names their fields. The declarations come from the
// `kubernetes-types` package (generated from the upstream OpenAPI), so skiff never keeps a
// hand-written copy of them; this module gathers the ones skiff serves under short names.

export type { ObjectMeta, ListMeta, OwnerReference, LabelSelector, LabelSelectorRequirement, Status, StatusCause, Time, ManagedFieldsEntry, Condition } from 'kubernetes-types/meta/v1.js';
export type {
  Namespace, Pod, PodSpec, PodStatus, PodCondition, PodTemplateSpec, Container, ContainerPort, ContainerStatus, ContainerState,
  EnvVar, Volume, VolumeMount, Probe, ResourceRequirements, Toleration, Taint, Affinity, NodeAffinity, NodeSelector, NodeSelectorTerm,
  NodeSelectorRequirement, PodAffinity, PodAntiAffinity, PodAffinityTerm, WeightedPodAffinityTerm, PreferredSchedulingTerm,
  TopologySpreadConstraint, Node, NodeSpec, NodeStatus, NodeCondition, NodeAddress, Service, ServiceSpec, ServicePort, Endpoints,
  EndpointSubset, EndpointAddress, EndpointPort, Event, ConfigMap, Secret, ServiceAccount, Binding, ObjectReference, Lifecycle,
  LifecycleHandler, ExecAction, HTTPGetAction, TCPSocketAction, KeyToPath, EnvFromSource,
} from 'kubernetes-types/core/v1.js';
export type { Deployment, DeploymentSpec, DeploymentStatus, DeploymentCondition, ReplicaSet, ReplicaSetSpec, ReplicaSetStatus, DaemonSet, DaemonSetSpec, DaemonSetStatus, ControllerRevision } from 'kubernetes-types/apps/v1.js';
export type { Job, JobSpec, JobStatus, JobCondition } from 'kubernetes-types/batch/v1.js';
export type { Lease, LeaseSpec } from 'kubernetes-types/coordination/v1.js';
export type { EndpointSlice, Endpoint as SliceEndpoint, EndpointPort as SliceEndpointPort } from 'kubernetes-types/discovery/v1.js';
export type { PodDisruptionBudget, PodDisruptionBudgetSpec, PodDisruptionBudgetStatus, Eviction } from 'kubernetes-types/policy/v1.js';
export type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
export type { Scale } from 'kubernetes-types/autoscaling/v1.js';
export type { CustomResourceDefinition } from 'kubernetes-types/apiextensions/v1.js';

import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';

/**
 * Any object the API serves: what every generic path (storage, watch, client) handles. No
 * index signature, so every upstream kind (`Pod`, `Deployment`, ...) is assignable to it;
 * generic code reads other fields through `fieldsOf(obj)`.
 */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/** The object as a plain record, for generic code that reads `spec`, `status`, ... by name. */
export function fieldsOf(obj: KubeObject): Record<string, unknown> {
  return obj as unknown as Record<string, unknown>;
}

/**
 * `kubernetes-types` marks server-set metadata (resourceVersion, uid, generation,
 * creationTimestamp, deletionTimestamp, ...) readonly, as clients see them. The API server and
 * test fixtures set them: this view drops the readonly modifiers.
 */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The object's metadata, writable (created if absent). */
export function mutableMeta(obj: KubeObject): Mutable<ObjectMeta> {
  obj.metadata ??= {};
  return obj.metadata as Mutable<ObjectMeta>;
}

/** A list as the API returns it. */
export interface KubeList<T extends KubeObject = KubeObject> {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

/** One event of a watch stream. */
export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}
