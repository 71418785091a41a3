// Our own wire-compatible subset of Kubernetes' protobuf messages: the kinds and fields
// kubectl's typed commands send as protobuf bodies (`create namespace|configmap|secret|
// serviceaccount|priorityclass|deployment|job|poddisruptionbudget`, `run`, `expose`, and the
// Eviction `drain` posts). Field numbers follow the upstream encoding; names are the JSON
// field names, so decoding yields the JSON form directly. A field outside the subset that
// carries a value is refused (415 asking for JSON), never dropped. `status` is not decoded:
// the main resource ignores it for every kind here that has one.

export type Scalar = 'string' | 'int64' | 'int32' | 'bool' | 'bytes';

export type FieldType =
  | Scalar
  /** metav1.Time: {seconds, nanos} → RFC 3339. */
  | 'time'
  /** intstr.IntOrString: {type=1 (0 int, 1 string), intVal=2, strVal=3} → number or string. */
  | 'intOrString'
  /** resource.Quantity: {string=1} → its string. */
  | 'quantity'
  /** Read past: the field is accepted and its content not kept (status on the main resource). */
  | 'ignored'
  | { message: MessageSchema }
  /** map<string, string|bytes|Quantity> as repeated {key=1, value=2} entries; bytes values become base64. */
  | { map: 'string' | 'bytes' | 'quantity' };

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

const labelSelector: MessageSchema = {
  1: { name: 'matchLabels', type: { map: 'string' } },
  2: {
    name: 'matchExpressions',
    repeated: true,
    type: { message: { 1: { name: 'key', type: 'string', keepZero: true }, 2: { name: 'operator', type: 'string', keepZero: true }, 3: { name: 'values', type: 'string', repeated: true } } },
  },
};

const container: MessageSchema = {
  1: { name: 'name', type: 'string', keepZero: true },
  2: { name: 'image', type: 'string' },
  3: { name: 'command', type: 'string', repeated: true },
  4: { name: 'args', type: 'string', repeated: true },
  5: { name: 'workingDir', type: 'string' },
  6: {
    name: 'ports',
    repeated: true,
    type: {
      message: {
        1: { name: 'name', type: 'string' },
        2: { name: 'hostPort', type: 'int32' },
        3: { name: 'containerPort', type: 'int32', keepZero: true },
        4: { name: 'protocol', type: 'string' },
        5: { name: 'hostIP', type: 'string' },
      },
    },
  },
  7: { name: 'env', repeated: true, type: { message: { 1: { name: 'name', type: 'string', keepZero: true }, 2: { name: 'value', type: 'string' } } } },
  8: { name: 'resources', type: { message: { 1: { name: 'limits', type: { map: 'quantity' } }, 2: { name: 'requests', type: { map: 'quantity' } } } } },
  13: { name: 'terminationMessagePath', type: 'string' },
  14: { name: 'imagePullPolicy', type: 'string' },
  16: { name: 'stdin', type: 'bool' },
  17: { name: 'stdinOnce', type: 'bool' },
  18: { name: 'tty', type: 'bool' },
  20: { name: 'terminationMessagePolicy', type: 'string' },
  24: { name: 'restartPolicy', type: 'string', keepZero: true },
};

const podSpec: MessageSchema = {
  2: { name: 'containers', type: { message: container }, repeated: true },
  3: { name: 'restartPolicy', type: 'string' },
  4: { name: 'terminationGracePeriodSeconds', type: 'int64', keepZero: true },
  5: { name: 'activeDeadlineSeconds', type: 'int64', keepZero: true },
  6: { name: 'dnsPolicy', type: 'string' },
  7: { name: 'nodeSelector', type: { map: 'string' } },
  8: { name: 'serviceAccountName', type: 'string' },
  9: { name: 'serviceAccount', type: 'string' },
  10: { name: 'nodeName', type: 'string' },
  11: { name: 'hostNetwork', type: 'bool' },
  12: { name: 'hostPID', type: 'bool' },
  13: { name: 'hostIPC', type: 'bool' },
  15: { name: 'imagePullSecrets', type: { message: localObjectReference }, repeated: true },
  16: { name: 'hostname', type: 'string' },
  17: { name: 'subdomain', type: 'string' },
  19: { name: 'schedulerName', type: 'string' },
  20: { name: 'initContainers', type: { message: container }, repeated: true },
  21: { name: 'automountServiceAccountToken', type: 'bool', keepZero: true },
  24: { name: 'priorityClassName', type: 'string' },
  25: { name: 'priority', type: 'int32', keepZero: true },
  27: { name: 'shareProcessNamespace', type: 'bool', keepZero: true },
  29: { name: 'runtimeClassName', type: 'string', keepZero: true },
  30: { name: 'enableServiceLinks', type: 'bool', keepZero: true },
  31: { name: 'preemptionPolicy', type: 'string', keepZero: true },
  35: { name: 'setHostnameAsFQDN', type: 'bool', keepZero: true },
};

const podTemplateSpec: MessageSchema = { 1: metadata, 2: { name: 'spec', type: { message: podSpec } } };

const status: FieldDef = { name: 'status', type: 'ignored' };

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
  'v1/Pod': { 1: metadata, 2: { name: 'spec', type: { message: podSpec } }, 3: status },
  'v1/Service': {
    1: metadata,
    2: {
      name: 'spec',
      type: {
        message: {
          1: {
            name: 'ports',
            repeated: true,
            type: {
              message: {
                1: { name: 'name', type: 'string' },
                2: { name: 'protocol', type: 'string' },
                3: { name: 'port', type: 'int32', keepZero: true },
                4: { name: 'targetPort', type: 'intOrString' },
                5: { name: 'nodePort', type: 'int32' },
                6: { name: 'appProtocol', type: 'string', keepZero: true },
              },
            },
          },
          2: { name: 'selector', type: { map: 'string' } },
          3: { name: 'clusterIP', type: 'string' },
          4: { name: 'type', type: 'string' },
          5: { name: 'externalIPs', type: 'string', repeated: true },
          7: { name: 'sessionAffinity', type: 'string' },
          8: { name: 'loadBalancerIP', type: 'string' },
          9: { name: 'loadBalancerSourceRanges', type: 'string', repeated: true },
          10: { name: 'externalName', type: 'string' },
          11: { name: 'externalTrafficPolicy', type: 'string' },
          12: { name: 'healthCheckNodePort', type: 'int32' },
          13: { name: 'publishNotReadyAddresses', type: 'bool' },
          17: { name: 'ipFamilyPolicy', type: 'string', keepZero: true },
          18: { name: 'clusterIPs', type: 'string', repeated: true },
          19: { name: 'ipFamilies', type: 'string', repeated: true },
          20: { name: 'allocateLoadBalancerNodePorts', type: 'bool', keepZero: true },
          21: { name: 'loadBalancerClass', type: 'string', keepZero: true },
          22: { name: 'internalTrafficPolicy', type: 'string', keepZero: true },
          23: { name: 'trafficDistribution', type: 'string', keepZero: true },
        },
      },
    },
    3: status,
  },
  'apps/v1/Deployment': {
    1: metadata,
    2: {
      name: 'spec',
      type: {
        message: {
          1: { name: 'replicas', type: 'int32', keepZero: true },
          2: { name: 'selector', type: { message: labelSelector } },
          3: { name: 'template', type: { message: podTemplateSpec } },
          4: {
            name: 'strategy',
            type: {
              message: {
                1: { name: 'type', type: 'string' },
                2: { name: 'rollingUpdate', type: { message: { 1: { name: 'maxUnavailable', type: 'intOrString' }, 2: { name: 'maxSurge', type: 'intOrString' } } } },
              },
            },
          },
          5: { name: 'minReadySeconds', type: 'int32' },
          6: { name: 'revisionHistoryLimit', type: 'int32', keepZero: true },
          7: { name: 'paused', type: 'bool' },
          9: { name: 'progressDeadlineSeconds', type: 'int32', keepZero: true },
        },
      },
    },
    3: status,
  },
  'batch/v1/Job': {
    1: metadata,
    2: {
      name: 'spec',
      type: {
        message: {
          1: { name: 'parallelism', type: 'int32', keepZero: true },
          2: { name: 'completions', type: 'int32', keepZero: true },
          3: { name: 'activeDeadlineSeconds', type: 'int64', keepZero: true },
          4: { name: 'selector', type: { message: labelSelector } },
          5: { name: 'manualSelector', type: 'bool', keepZero: true },
          6: { name: 'template', type: { message: podTemplateSpec } },
          7: { name: 'backoffLimit', type: 'int32', keepZero: true },
          8: { name: 'ttlSecondsAfterFinished', type: 'int32', keepZero: true },
          9: { name: 'completionMode', type: 'string', keepZero: true },
          10: { name: 'suspend', type: 'bool', keepZero: true },
        },
      },
    },
    3: status,
  },
  'policy/v1/PodDisruptionBudget': {
    1: metadata,
    2: {
      name: 'spec',
      type: {
        message: {
          1: { name: 'minAvailable', type: 'intOrString' },
          2: { name: 'selector', type: { message: labelSelector } },
          3: { name: 'maxUnavailable', type: 'intOrString' },
          4: { name: 'unhealthyPodEvictionPolicy', type: 'string', keepZero: true },
        },
      },
    },
    3: status,
  },
  'meta.k8s.io/v1/DeleteOptions': deleteOptions,
  'v1/DeleteOptions': deleteOptions,
};
