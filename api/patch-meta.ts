// Strategic-merge-patch metadata of the built-in kinds: which lists merge element-wise by a key,
// which primitive lists merge as sets, which maps are replaced whole. Kubernetes declares this
// in its Go types' `patchStrategy`/`patchMergeKey` tags (v1.32); this is skiff's own table of
// the tagged fields reachable from the kinds skiff serves.
//
// The table is keyed by type, not by path from a kind's root: PodSpec is reached from Pod and
// from the pod template of Deployment, ReplicaSet, DaemonSet and Job, Container from three
// PodSpec lists, ObjectMeta from every kind. One row per tagged field, as in the Go types, so
// each row can be checked against its tag and a kind gains its template's rules by one reference.
//
// A field not in the table has no metadata: a list there is atomic (a patch replaces it) and a
// map merges key by key with nothing special below it.

import type { ResourceType } from './resources.js';

/**
 * `merge`: lists merge (by `mergeKey` for lists of objects, as sets for primitives);
 * `retainKeys`: the client sends `$retainKeys` to clear the fields it no longer sets (unions);
 * `replace`: the map is replaced whole, not merged.
 */
export type PatchStrategy = 'merge' | 'retainKeys' | 'merge,retainKeys' | 'replace';

export interface FieldPatchMeta {
  strategy?: PatchStrategy;
  /** The element field that identifies an element of a merging list of objects. */
  mergeKey?: string;
  /** The type of the value (of each element, for lists) when that type has rows of its own. */
  type?: TypeName;
}

/** A type of the table: Kubernetes' type names where one type is meant, a shared name where several are. */
export type TypeName =
  | 'ObjectMeta'
  | 'PodTemplateSpec'
  | 'PodSpec'
  | 'Container'
  | 'PodStatus'
  | 'NodeSpec'
  | 'NodeStatus'
  | 'ServiceSpec'
  | 'ServiceStatus'
  | 'ServiceAccount'
  | 'NamespaceStatus'
  | 'DeploymentSpec'
  | 'WorkloadSpec'
  | 'WorkloadStatus'
  | 'PodDisruptionBudgetSpec'
  | 'PodDisruptionBudgetStatus'
  | 'Pod'
  | 'Node'
  | 'Service'
  | 'Namespace'
  | 'Deployment'
  | 'Workload'
  | 'PodDisruptionBudget'
  | 'MetadataOnly';

const byName = (type?: TypeName): FieldPatchMeta => ({ strategy: 'merge', mergeKey: 'name', ...(type ? { type } : {}) });
const byType: FieldPatchMeta = { strategy: 'merge', mergeKey: 'type' };
const metadata: FieldPatchMeta = { type: 'ObjectMeta' };

const TYPES: Record<TypeName, Record<string, FieldPatchMeta>> = {
  ObjectMeta: {
    ownerReferences: { strategy: 'merge', mergeKey: 'uid' },
    finalizers: { strategy: 'merge' },
  },
  PodTemplateSpec: { metadata, spec: { type: 'PodSpec' } },
  PodSpec: {
    volumes: { strategy: 'merge,retainKeys', mergeKey: 'name' },
    initContainers: byName('Container'),
    containers: byName('Container'),
    // EphemeralContainerCommon carries the same four tagged lists as Container.
    ephemeralContainers: byName('Container'),
    imagePullSecrets: byName(),
    hostAliases: { strategy: 'merge', mergeKey: 'ip' },
    topologySpreadConstraints: { strategy: 'merge', mergeKey: 'topologyKey' },
    schedulingGates: byName(),
    resourceClaims: { strategy: 'merge,retainKeys', mergeKey: 'name' },
  },
  Container: {
    ports: { strategy: 'merge', mergeKey: 'containerPort' },
    env: byName(),
    volumeMounts: { strategy: 'merge', mergeKey: 'mountPath' },
    volumeDevices: { strategy: 'merge', mergeKey: 'devicePath' },
  },
  // containerStatuses and friends are atomic lists, so ContainerStatus' own tags never apply.
  PodStatus: {
    conditions: byType,
    hostIPs: { strategy: 'merge', mergeKey: 'ip' },
    podIPs: { strategy: 'merge', mergeKey: 'ip' },
    resourceClaimStatuses: { strategy: 'merge,retainKeys', mergeKey: 'name' },
  },
  // taints are atomic (listType=atomic, no patchStrategy): `kubectl taint` sends the whole list.
  NodeSpec: { podCIDRs: { strategy: 'merge' } },
  NodeStatus: { conditions: byType, addresses: byType },
  ServiceSpec: { ports: { strategy: 'merge', mergeKey: 'port' } },
  ServiceStatus: { conditions: byType },
  ServiceAccount: { metadata, secrets: byName() },
  NamespaceStatus: { conditions: byType },
  DeploymentSpec: { template: { type: 'PodTemplateSpec' }, strategy: { strategy: 'retainKeys' } },
  // ReplicaSetSpec, DaemonSetSpec, JobSpec: only the pod template has tagged fields.
  WorkloadSpec: { template: { type: 'PodTemplateSpec' } },
  // Deployment, ReplicaSet, DaemonSet and Job status: conditions by type.
  WorkloadStatus: { conditions: byType },
  PodDisruptionBudgetSpec: { selector: { strategy: 'replace' } },
  PodDisruptionBudgetStatus: { conditions: byType },

  Pod: { metadata, spec: { type: 'PodSpec' }, status: { type: 'PodStatus' } },
  Node: { metadata, spec: { type: 'NodeSpec' }, status: { type: 'NodeStatus' } },
  Service: { metadata, spec: { type: 'ServiceSpec' }, status: { type: 'ServiceStatus' } },
  Namespace: { metadata, status: { type: 'NamespaceStatus' } },
  Deployment: { metadata, spec: { type: 'DeploymentSpec' }, status: { type: 'WorkloadStatus' } },
  Workload: { metadata, spec: { type: 'WorkloadSpec' }, status: { type: 'WorkloadStatus' } },
  PodDisruptionBudget: { metadata, spec: { type: 'PodDisruptionBudgetSpec' }, status: { type: 'PodDisruptionBudgetStatus' } },
  // Endpoints (subsets atomic), ConfigMap, Secret, Event, Lease, EndpointSlice, PriorityClass,
  // ControllerRevision: nothing tagged outside metadata.
  MetadataOnly: { metadata },
};

/** The root type of each built-in kind, by `group/Kind` (core group: `/Kind`). */
const KINDS: Record<string, TypeName> = {
  '/Pod': 'Pod',
  '/Node': 'Node',
  '/Service': 'Service',
  '/Namespace': 'Namespace',
  '/ServiceAccount': 'ServiceAccount',
  '/Endpoints': 'MetadataOnly',
  '/Event': 'MetadataOnly',
  '/ConfigMap': 'MetadataOnly',
  '/Secret': 'MetadataOnly',
  'apps/Deployment': 'Deployment',
  'apps/ReplicaSet': 'Workload',
  'apps/DaemonSet': 'Workload',
  'apps/ControllerRevision': 'MetadataOnly',
  'batch/Job': 'Workload',
  'coordination.k8s.io/Lease': 'MetadataOnly',
  'discovery.k8s.io/EndpointSlice': 'MetadataOnly',
  'policy/PodDisruptionBudget': 'PodDisruptionBudget',
  'scheduling.k8s.io/PriorityClass': 'MetadataOnly',
  // Its versions and status conditions carry list types but no patch strategies.
  'apiextensions.k8s.io/CustomResourceDefinition': 'MetadataOnly',
};

const NONE: FieldPatchMeta = {};

/** The patch metadata of one type: what each field's patch strategy is, and its value's metadata. */
export class PatchMeta {
  /** A type without tagged fields: every list atomic, every map merged plainly. */
  static readonly EMPTY = new PatchMeta(undefined);

  private constructor(private readonly typeName: TypeName | undefined) {}

  static of(typeName: TypeName): PatchMeta {
    return new PatchMeta(typeName);
  }

  /** The name of the type in the table, for error messages; `unknown` below untagged fields. */
  get name(): string {
    return this.typeName ?? 'unknown';
  }

  field(name: string): FieldPatchMeta {
    return (this.typeName && Object.hasOwn(TYPES[this.typeName], name) ? TYPES[this.typeName][name] : undefined) ?? NONE;
  }

  /** The metadata of a field's value, or of each element when the field is a list. */
  child(name: string): PatchMeta {
    const type = this.field(name).type;
    return type ? PatchMeta.of(type) : PatchMeta.EMPTY;
  }
}

/**
 * The patch metadata of a served kind, or undefined when skiff has none (custom resources,
 * which like upstream accept JSON merge patch and JSON patch only).
 */
export function patchMetaFor(type: Pick<ResourceType, 'group' | 'kind'>): PatchMeta | undefined {
  const key = `${type.group}/${type.kind}`;
  return Object.hasOwn(KINDS, key) ? PatchMeta.of(KINDS[key]!) : undefined;
}
