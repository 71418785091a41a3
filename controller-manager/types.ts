// The API types the controllers use: api/types.ts plus the few apps/v1 ones it does not re-export.

export type {
  KubeObject, Pod, Node, Namespace, Service, Endpoints, EndpointSlice, ServiceAccount, ReplicaSet, Deployment, DaemonSet, ControllerRevision, Job, Lease, PodDisruptionBudget, ObjectMeta, OwnerReference, LabelSelector, PodTemplateSpec, PodSpec, PodCondition, ContainerPort, Toleration, Taint,
  NodeCondition, ReplicaSetStatus, DeploymentStatus, DeploymentCondition, DaemonSetStatus, JobStatus, JobCondition, ServicePort,
  EndpointSubset, EndpointAddress, EndpointPort, SliceEndpoint, SliceEndpointPort, PodDisruptionBudgetStatus,
} from '../api/types.js';
export type { ReplicaSetCondition, RollingUpdateDeployment, DeploymentStrategy, RollingUpdateDaemonSet, DaemonSetCondition } from 'kubernetes-types/apps/v1.js';

