// Our own wire-compatible subset of Kubernetes' protobuf messages: only the kinds kubectl
// sends as protobuf bodies from its typed commands (`create namespace|configmap|secret|
// serviceaccount|priorityclass`, `drain`'s Eviction). Field numbers follow the upstream
// encoding; names are the JSON field names, so decoding yields the JSON form directly.
// Everything else is answered with a 415 that asks for JSON.

export type Scalar = 'string' | 'int64' | 'int32' | 'bool' | 'bytes';

export type FieldType =
  | Scalar
  /** metav1.Time: {seconds, nanos} → RFC 3339. */
  | 'time'
  | { message: MessageSchema }
  /** map<string, string|bytes> as repeated {key=1, value=2} entries; bytes values become base64. */
  | { map: 'string' | 'bytes' };

export interface FieldDef {
  name: string;
  type: FieldType;
  repeated?: boolean;
  /**
   * Kept when zero: pointer fields (encoded only when set, so a zero was sent on purpose) and
   * JSON fields without omitempty (PriorityClass.value). Other zero values are how gogo
   * encodes "unset" and are dropped.
   */
  keepZero?: boolean;
}

export type MessageSchema = Record<number, FieldDef>;

const ownerReference: MessageSchema = {
  1: { name: 'kind', type: 'string' },
  3: { name: 'name', type: 'string' },
  4: { name: 'uid', type: 'string' },
  5: { name: 'apiVersion', type: 'string' },
  6: { name: 'controller', type: 'bool' },
  7: { name: 'blockOwnerDeletion', type: 'bool' },
};

export const objectMeta: MessageSchema = {
  1: { name: 'name', type: 'string' },
  2: { name: 'generateName', type: 'string' },
  3: { name: 'namespace', type: 'string' },
  4: { name: 'selfLink', type: 'string' },
  5: { name: 'uid', type: 'string' },
  6: { name: 'resourceVersion', type: 'string' },
  7: { name: 'generation', type: 'int64' },
  8: { name: 'creationTimestamp', type: 'time' },
  9: { name: 'deletionTimestamp', type: 'time' },
  10: { name: 'deletionGracePeriodSeconds', type: 'int64', keepZero: true },
  11: { name: 'labels', type: { map: 'string' } },
  12: { name: 'annotations', type: { map: 'string' } },
  13: { name: 'ownerReferences', type: { message: ownerReference }, repeated: true },
  14: { name: 'finalizers', type: 'string', repeated: true },
};

const objectReference: MessageSchema = {
  1: { name: 'kind', type: 'string' },
  2: { name: 'namespace', type: 'string' },
  3: { name: 'name', type: 'string' },
  4: { name: 'uid', type: 'string' },
  5: { name: 'apiVersion', type: 'string' },
  6: { name: 'resourceVersion', type: 'string' },
  7: { name: 'fieldPath', type: 'string' },
};

const localObjectReference: MessageSchema = { 1: { name: 'name', type: 'string' } };

const metadata: FieldDef = { name: 'metadata', type: { message: objectMeta } };

const deleteOptions: MessageSchema = {
  1: { name: 'gracePeriodSeconds', type: 'int64', keepZero: true },
  2: { name: 'preconditions', type: { message: { 1: { name: 'uid', type: 'string' }, 2: { name: 'resourceVersion', type: 'string' } } } },
  3: { name: 'orphanDependents', type: 'bool', keepZero: true },
  4: { name: 'propagationPolicy', type: 'string' },
  5: { name: 'dryRun', type: 'string', repeated: true },
};

/** The decodable kinds by `apiVersion/kind`. */
export const KIND_SCHEMAS: Record<string, MessageSchema> = {
  'v1/Namespace': {
    1: metadata,
    2: { name: 'spec', type: { message: { 1: { name: 'finalizers', type: 'string', repeated: true } } } },
    3: { name: 'status', type: { message: { 1: { name: 'phase', type: 'string' } } } },
  },
  'v1/ConfigMap': {
    1: metadata,
    2: { name: 'data', type: { map: 'string' } },
    3: { name: 'binaryData', type: { map: 'bytes' } },
    4: { name: 'immutable', type: 'bool', keepZero: true },
  },
  'v1/Secret': {
    1: metadata,
    2: { name: 'data', type: { map: 'bytes' } },
    3: { name: 'type', type: 'string' },
    4: { name: 'stringData', type: { map: 'string' } },
    5: { name: 'immutable', type: 'bool', keepZero: true },
  },
  'v1/ServiceAccount': {
    1: metadata,
    2: { name: 'secrets', type: { message: objectReference }, repeated: true },
    3: { name: 'imagePullSecrets', type: { message: localObjectReference }, repeated: true },
    4: { name: 'automountServiceAccountToken', type: 'bool', keepZero: true },
  },
  'scheduling.k8s.io/v1/PriorityClass': {
    1: metadata,
    2: { name: 'value', type: 'int32', keepZero: true },
    3: { name: 'globalDefault', type: 'bool' },
    4: { name: 'description', type: 'string' },
    5: { name: 'preemptionPolicy', type: 'string' },
  },
  'policy/v1/Eviction': {
    1: metadata,
    2: { name: 'deleteOptions', type: { message: deleteOptions } },
  },
  'meta.k8s.io/v1/DeleteOptions': deleteOptions,
  'v1/DeleteOptions': deleteOptions,
};
