// Fixed objects for the describe golden tests: a small web Deployment as a cluster holds it
// (ReplicaSet, pods, Service, EndpointSlice, node, events), times relative to NOW.

import type { ConfigMap, DaemonSet, Deployment, Endpoints, EndpointSlice, Event, Job, KubeObject, Lease, Namespace, Node, Pod, PodDisruptionBudget, ReplicaSet, Secret, Service, ServiceAccount } from '../../../api/types.js';

export const NOW = new Date('2026-11-22T12:00:00Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString().replace('.000Z', 'Z');

const template = {
  metadata: { labels: { app: 'web', 'pod-template-hash': '7d9f8c6b5' } },
  spec: {
    containers: [
      {
        name: 'web',
        image: 'nginx:1.27',
        ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }],
        env: [
          { name: 'MODE', value: 'fast' },
          { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
          { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
        ],
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
        readinessProbe: { httpGet: { path: '/healthz', port: 80, scheme: 'HTTP' }, initialDelaySeconds: 0, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
        volumeMounts: [{ name: 'config', mountPath: '/etc/web', readOnly: true }],
      },
    ],
    volumes: [{ name: 'config', configMap: { name: 'web-config' } }],
  },
};

export const deployment: Deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', uid: 'd-1', creationTimestamp: ago(3600), labels: { app: 'web' }, annotations: { 'deployment.kubernetes.io/revision': '2', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } }, template: { ...template, metadata: { labels: { app: 'web' } } } },
  status: {
    replicas: 2,
    updatedReplicas: 2,
    readyReplicas: 2,
    availableReplicas: 2,
    conditions: [
      { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
      { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
    ],
  },
};

const rs = (name: string, revision: string, replicas: number, uid: string): ReplicaSet => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name,
    namespace: 'default',
    uid,
    creationTimestamp: ago(1800),
    labels: { app: 'web', 'pod-template-hash': name.slice(4) },
    annotations: { 'deployment.kubernetes.io/revision': revision },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-1', controller: true }],
  },
  spec: { replicas, selector: { matchLabels: { app: 'web', 'pod-template-hash': name.slice(4) } }, template },
  status: { replicas, readyReplicas: replicas, availableReplicas: replicas },
});

export const replicaSets: ReplicaSet[] = [rs('web-7d9f8c6b5', '2', 2, 'rs-2'), rs('web-5b6c7d8e9', '1', 0, 'rs-1')];

const pod = (name: string, ip: string, restarts: number): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'default',
    uid: `pod-${name}`,
    creationTimestamp: ago(1790),
    labels: { app: 'web', 'pod-template-hash': '7d9f8c6b5' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9f8c6b5', uid: 'rs-2', controller: true }],
  },
  spec: {
    ...template.spec,
    nodeName: 'node-0',
    serviceAccountName: 'default',
    priority: 0,
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
  },
  status: {
    phase: 'Running',
    hostIP: '10.200.0.10',
    podIP: ip,
    podIPs: [{ ip }],
    startTime: ago(1790),
    conditions: [
      { type: 'Initialized', status: 'True' },
      { type: 'Ready', status: 'True' },
      { type: 'ContainersReady', status: 'True' },
      { type: 'PodScheduled', status: 'True' },
    ],
    containerStatuses: [
      {
        name: 'web',
        image: 'docker.io/library/nginx:1.27',
        imageID: 'docker.io/library/nginx@sha256:0a1b2c',
        containerID: `containerd://${name}-c1`,
        ready: true,
        restartCount: restarts,
        started: true,
        state: { running: { startedAt: ago(600) } },
        ...(restarts ? { lastState: { terminated: { exitCode: 137, reason: 'Error', startedAt: ago(1780), finishedAt: ago(610) } } } : {}),
      },
    ],
  },
});

export const pods: Pod[] = [pod('web-7d9f8c6b5-abcde', '10.244.0.5', 1), pod('web-7d9f8c6b5-fghij', '10.244.0.6', 0)];

const event = (kind: string, name: string, reason: string, message: string, seconds: number, extra: Partial<Event> = {}): Event => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: `${name}.${reason.toLowerCase()}`, namespace: 'default' },
  involvedObject: { kind, name, namespace: 'default' },
  reason,
  message,
  type: 'Normal',
  source: { component: kind === 'Pod' ? 'kubelet' : 'deployment-controller' },
  firstTimestamp: ago(seconds),
  lastTimestamp: ago(seconds),
  count: 1,
  ...extra,
});

export const podEvents: Event[] = [
  event('Pod', 'web-7d9f8c6b5-abcde', 'Pulled', 'Container image "nginx:1.27" already present on machine', 1785, { involvedObject: { kind: 'Pod', name: 'web-7d9f8c6b5-abcde', namespace: 'default', fieldPath: 'spec.containers{web}' } }),
  event('Pod', 'web-7d9f8c6b5-abcde', 'Scheduled', 'Successfully assigned default/web-7d9f8c6b5-abcde to node-0', 1790, { source: { component: 'default-scheduler' } }),
  event('Pod', 'web-7d9f8c6b5-abcde', 'BackOff', 'Back-off restarting failed container web', 620, { type: 'Warning', count: 3, firstTimestamp: ago(900), lastTimestamp: ago(620) }),
];

export const deploymentEvents: Event[] = [
  event('Deployment', 'web', 'ScalingReplicaSet', 'Scaled up replica set web-5b6c7d8e9 to 2', 3600),
  event('Deployment', 'web', 'ScalingReplicaSet', 'Scaled up replica set web-7d9f8c6b5 to 2', 1800),
];

export const service: Service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default', creationTimestamp: ago(3500), labels: { app: 'web' } },
  spec: {
    type: 'NodePort',
    selector: { app: 'web' },
    clusterIP: '10.96.0.20',
    clusterIPs: ['10.96.0.20'],
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', nodePort: 30080 }],
    sessionAffinity: 'None',
    externalTrafficPolicy: 'Cluster',
    internalTrafficPolicy: 'Cluster',
  },
};

export const slices: EndpointSlice[] = [
  {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-x1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    endpoints: [
      { addresses: ['10.244.0.5'], conditions: { ready: true } },
      { addresses: ['10.244.0.6'], conditions: { ready: true } },
      { addresses: ['10.244.0.7'], conditions: { ready: false } },
    ],
  },
];

export const node: Node = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: {
    name: 'node-0',
    uid: 'n-0',
    creationTimestamp: ago(7200),
    labels: { 'kubernetes.io/hostname': 'node-0', 'kubernetes.io/os': 'linux', 'node-role.kubernetes.io/worker': '' },
    annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
  },
  spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'], taints: [{ key: 'example.com/gpu', value: 'none', effect: 'PreferNoSchedule' }] },
  status: {
    conditions: [
      { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: ago(10), lastTransitionTime: ago(7200), reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
      { type: 'Ready', status: 'True', lastHeartbeatTime: ago(10), lastTransitionTime: ago(7190), reason: 'KubeletReady', message: 'kubelet is posting ready status' },
    ],
    addresses: [
      { type: 'InternalIP', address: '10.200.0.10' },
      { type: 'Hostname', address: 'node-0' },
    ],
    capacity: { cpu: '2', memory: '4026036Ki', pods: '110', 'ephemeral-storage': '20Gi' },
    allocatable: { cpu: '2', memory: '3923636Ki', pods: '110', 'ephemeral-storage': '20Gi' },
    nodeInfo: {
      machineID: 'm-1',
      systemUUID: 'u-1',
      bootID: 'b-1',
      kernelVersion: '6.1.0-18-amd64',
      osImage: 'Debian GNU/Linux 12 (bookworm)',
      operatingSystem: 'linux',
      architecture: 'amd64',
      containerRuntimeVersion: 'containerd://1.6.20',
      kubeletVersion: 'v1.32.0+skiff-0.1.0',
      kubeProxyVersion: '',
    },
  },
};

export const nodeEvents: Event[] = [event('Node', 'node-0', 'NodeReady', 'Node node-0 status is now: NodeReady', 7190, { source: { component: 'kubelet', host: 'node-0' }, involvedObject: { kind: 'Node', name: 'node-0' } })];

export const job: Job = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'migrate', namespace: 'default', uid: 'j-1', creationTimestamp: ago(300), labels: { 'job-name': 'migrate' } },
  spec: {
    parallelism: 1,
    completions: 1,
    completionMode: 'NonIndexed',
    suspend: false,
    backoffLimit: 6,
    selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'j-1' } },
    template: { metadata: { labels: { 'job-name': 'migrate' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image: 'busybox', command: ['sh', '-c', 'echo done'] }] } },
  },
  status: { startTime: ago(300), completionTime: ago(290), succeeded: 1, ready: 0, conditions: [{ type: 'Complete', status: 'True', lastProbeTime: ago(290), lastTransitionTime: ago(290) }] },
};

export const daemonSet: DaemonSet = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'logger', namespace: 'kube-system', uid: 'ds-1', creationTimestamp: ago(90000), labels: { app: 'logger' } },
  spec: {
    selector: { matchLabels: { app: 'logger' } },
    template: { metadata: { labels: { app: 'logger' } }, spec: { containers: [{ name: 'logger', image: 'busybox', args: ['sh', '-c', 'while true; do date; sleep 5; done'] }], nodeSelector: { 'kubernetes.io/os': 'linux' } } },
  },
  status: { desiredNumberScheduled: 1, currentNumberScheduled: 1, updatedNumberScheduled: 1, numberAvailable: 1, numberMisscheduled: 0, numberReady: 1 },
};

export const daemonPods: Pod[] = [
  { metadata: { name: 'logger-x', namespace: 'kube-system', creationTimestamp: ago(89000), ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'logger', uid: 'ds-1', controller: true }] }, status: { phase: 'Running' } },
  { metadata: { name: 'stray', namespace: 'kube-system', creationTimestamp: ago(45), labels: { app: 'logger' } }, status: { phase: 'Running' } },
];

export const namespace: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'staging', creationTimestamp: ago(400000), labels: { 'kubernetes.io/metadata.name': 'staging' } }, status: { phase: 'Active' } };

/** A custom kind: the generic describer prints it. */
export const custom: KubeObject & { spec: unknown; status: unknown } = {
  apiVersion: 'example.com/v1',
  kind: 'Backup',
  metadata: { name: 'nightly', namespace: 'default', uid: 'b-1', creationTimestamp: ago(86400), generation: 3, resourceVersion: '42', labels: { team: 'db' }, managedFields: [] },
  spec: { schedule: '0 2 * * *', retainDays: 7, targets: ['db', 'files'], storage: { bucketURL: 's3://backups', podCIDR: 'x' } },
  status: { lastRun: ago(36000), conditions: [{ type: 'Ready', status: 'True' }] },
};

export const lease: Lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'node-0', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'node-0', leaseDurationSeconds: 40, renewTime: ago(8) } };

export const configMap: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', namespace: 'default' }, data: { 'nginx.conf': 'server {\n  listen 80;\n}', mode: 'fast' }, binaryData: { 'logo.png': Buffer.from([1, 2, 3, 4]).toString('base64') } };

export const secret: Secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'default', labels: { app: 'db' } }, type: 'Opaque', data: { password: Buffer.from('s3cret!').toString('base64'), user: Buffer.from('admin').toString('base64') } };

export const serviceAccount: ServiceAccount = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'deployer', namespace: 'default' }, imagePullSecrets: [{ name: 'registry' }, { name: 'old-registry' }] };

export const endpoints: Endpoints = {
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
  subsets: [{ addresses: [{ ip: '10.244.0.5' }, { ip: '10.244.0.6' }], notReadyAddresses: [{ ip: '10.244.0.7' }], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }],
};

export const pdb: PodDisruptionBudget = {
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'web', namespace: 'default' },
  spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
  status: { disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 },
};
