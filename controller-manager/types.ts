// The API kinds as the controllers handle them. api/types.ts declares the kinds as plain
// interfaces (no index signature) while the client's generics want a KubeObject, so each kind
// is re-exported here as `Kind & KubeObject` once, instead of casting at every call.

import type * as api from '../api/types.js';
import type { KubeObject } from '../api/types.js';

export type {
  KubeObject, ObjectMeta, OwnerReference, LabelSelector, PodTemplateSpec, PodSpec, PodCondition, ContainerPort, Toleration, Taint,
  NodeCondition, ReplicaSetStatus, DeploymentStatus, DeploymentCondition, DaemonSetStatus, JobStatus, JobCondition, ServicePort,
  EndpointSubset, EndpointAddress, EndpointPort, SliceEndpoint, SliceEndpointPort, PodDisruptionBudgetStatus,
} from '../api/types.js';
export type { ReplicaSetCondition, RollingUpdateDeployment, DeploymentStrategy, RollingUpdateDaemonSet, DaemonSetCondition } from 'kubernetes-types/apps/v1.js';

export type Pod = api.Pod & KubeObject;
export type Node = api.Node & KubeObject;
export type Namespace = api.Namespace & KubeObject;
export type Service = api.Service & KubeObject;
export type Endpoints = api.Endpoints & KubeObject;
export type EndpointSlice = api.EndpointSlice & KubeObject;
export type ServiceAccount = api.ServiceAccount & KubeObject;
export type ReplicaSet = api.ReplicaSet & KubeObject;
export type Deployment = api.Deployment & KubeObject;
export type DaemonSet = api.DaemonSet & KubeObject;
export type ControllerRevision = api.ControllerRevision & KubeObject;
export type Job = api.Job & KubeObject;
export type Lease = api.Lease & KubeObject;
export type PodDisruptionBudget = api.PodDisruptionBudget & KubeObject;
