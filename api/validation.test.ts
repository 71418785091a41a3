import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { applyDefaults } from './defaults.js';
import { BUILTIN_RESOURCES, ResourceRegistry } from './resources.js';
import type { KubeObject } from './types.js';
import { validateObject } from './validation.js';

// Manifests as people write them (shapes from the Kubernetes documentation and common
// charts); each must default and validate without a single cause.
const MANIFESTS = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
  namespace: default
  labels: {app: nginx}
spec:
  replicas: 3
  selector:
    matchLabels: {app: nginx}
  template:
    metadata:
      labels: {app: nginx}
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
        ports:
        - containerPort: 80
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: coredns
  namespace: kube-system
  labels: {k8s-app: kube-dns}
spec:
  replicas: 2
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxUnavailable: 1}
  selector:
    matchLabels: {k8s-app: kube-dns}
  template:
    metadata:
      labels: {k8s-app: kube-dns}
    spec:
      priorityClassName: system-cluster-critical
      serviceAccountName: coredns
      tolerations:
      - key: CriticalAddonsOnly
        operator: Exists
      - key: node-role.kubernetes.io/control-plane
        effect: NoSchedule
      nodeSelector:
        kubernetes.io/os: linux
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 100
            podAffinityTerm:
              labelSelector:
                matchExpressions:
                - {key: k8s-app, operator: In, values: [kube-dns]}
              topologyKey: kubernetes.io/hostname
      containers:
      - name: coredns
        image: registry.k8s.io/coredns/coredns:v1.11.1
        imagePullPolicy: IfNotPresent
        resources:
          limits: {memory: 170Mi}
          requests: {cpu: 100m, memory: 70Mi}
        args: [-conf, /etc/coredns/Corefile]
        volumeMounts:
        - name: config-volume
          mountPath: /etc/coredns
          readOnly: true
        ports:
        - {containerPort: 53, name: dns, protocol: UDP}
        - {containerPort: 53, name: dns-tcp, protocol: TCP}
        - {containerPort: 9153, name: metrics, protocol: TCP}
        securityContext:
          allowPrivilegeEscalation: false
          capabilities:
            add: [NET_BIND_SERVICE]
            drop: [ALL]
          readOnlyRootFilesystem: true
        livenessProbe:
          httpGet: {path: /health, port: 8080, scheme: HTTP}
          initialDelaySeconds: 60
          timeoutSeconds: 5
          successThreshold: 1
          failureThreshold: 5
        readinessProbe:
          httpGet: {path: /ready, port: 8181, scheme: HTTP}
      dnsPolicy: Default
      volumes:
      - name: config-volume
        configMap:
          name: coredns
          items:
          - {key: Corefile, path: Corefile}
---
apiVersion: v1
kind: Service
metadata:
  name: kube-dns
  namespace: kube-system
  labels: {k8s-app: kube-dns, kubernetes.io/name: CoreDNS}
spec:
  selector: {k8s-app: kube-dns}
  clusterIP: 10.96.0.10
  ports:
  - {name: dns, port: 53, protocol: UDP}
  - {name: dns-tcp, port: 53, protocol: TCP}
  - {name: metrics, port: 9153, protocol: TCP}
---
apiVersion: v1
kind: Service
metadata: {name: web-nodeport, namespace: default}
spec:
  type: NodePort
  selector: {app: nginx}
  ports:
  - {port: 80, targetPort: 80, nodePort: 30007}
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluentd-elasticsearch
  namespace: kube-system
  labels: {k8s-app: fluentd-logging}
spec:
  selector:
    matchLabels: {name: fluentd-elasticsearch}
  template:
    metadata:
      labels: {name: fluentd-elasticsearch}
    spec:
      tolerations:
      - key: node-role.kubernetes.io/control-plane
        operator: Exists
        effect: NoSchedule
      containers:
      - name: fluentd-elasticsearch
        image: quay.io/fluentd_elasticsearch/fluentd:v2.5.2
        resources:
          limits: {memory: 200Mi}
          requests: {cpu: 100m, memory: 200Mi}
        volumeMounts:
        - {name: varlog, mountPath: /var/log}
      terminationGracePeriodSeconds: 30
      volumes:
      - name: varlog
        hostPath: {path: /var/log}
---
apiVersion: batch/v1
kind: Job
metadata: {name: pi, namespace: default, uid: 0b6b6a3e-5d3c-4f4e-9d0c-1a2b3c4d5e6f}
spec:
  template:
    spec:
      containers:
      - name: pi
        image: perl:5.34.0
        command: [perl, -Mbignum=bpi, -wle, print bpi(2000)]
      restartPolicy: Never
  backoffLimit: 4
---
apiVersion: batch/v1
kind: Job
metadata: {name: indexed, namespace: default, uid: 7c9e6679-7425-40de-944b-e07fc1f90ae7}
spec:
  completions: 5
  parallelism: 3
  completionMode: Indexed
  template:
    spec:
      restartPolicy: OnFailure
      containers:
      - name: worker
        image: busybox
        command: [sh, -c, 'echo $JOB_COMPLETION_INDEX']
---
apiVersion: v1
kind: Pod
metadata: {name: init-demo, namespace: default}
spec:
  initContainers:
  - name: install
    image: busybox:1.28
    command: [wget, -O, /work-dir/index.html, http://info.cern.ch]
    volumeMounts:
    - {name: workdir, mountPath: /work-dir}
  containers:
  - name: nginx
    image: nginx
    ports: [{containerPort: 80}]
    env:
    - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
    - {name: PASSWORD, valueFrom: {secretKeyRef: {name: db, key: password}}}
    volumeMounts:
    - {name: workdir, mountPath: /usr/share/nginx/html}
  dnsPolicy: Default
  volumes:
  - name: workdir
    emptyDir: {}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: game-demo, namespace: default}
data:
  player_initial_lives: "3"
  ui_properties_file_name: user-interface.properties
  game.properties: |
    enemy.types=aliens,monsters
---
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: default}
type: Opaque
data:
  password: MWYyZDFlMmU2N2Rm
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: zk-pdb, namespace: default}
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {app: zookeeper}
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high-priority}
value: 1000000
globalDefault: false
description: This priority class should be used for XYZ service pods only.
---
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: kube-controller-manager, namespace: kube-system}
spec:
  holderIdentity: cp-1_3f1b
  leaseDurationSeconds: 15
  acquireTime: "2026-01-01T00:00:00.000000Z"
  renewTime: "2026-01-01T00:00:10.000000Z"
  leaseTransitions: 2
---
apiVersion: v1
kind: Namespace
metadata: {name: team-a, labels: {kubernetes.io/metadata.name: team-a}}
---
apiVersion: v1
kind: Node
metadata: {name: node-1, labels: {kubernetes.io/hostname: node-1}}
spec:
  podCIDR: 10.244.1.0/24
  podCIDRs: [10.244.1.0/24]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: kube-dns-x7k2p
  namespace: kube-system
  labels: {kubernetes.io/service-name: kube-dns}
addressType: IPv4
ports:
- {name: dns, protocol: UDP, port: 53}
endpoints:
- addresses: [10.244.1.3]
  conditions: {ready: true}
  nodeName: node-1
---
apiVersion: v1
kind: Event
metadata: {name: web-0.17f6a1b2c3d4e5f6, namespace: default}
involvedObject: {apiVersion: v1, kind: Pod, name: web-0, namespace: default, uid: u-1}
reason: Scheduled
message: Successfully assigned default/web-0 to node-1
source: {component: default-scheduler}
type: Normal
count: 1
`;

const registry = new ResourceRegistry();
const docs = parseAllDocuments(MANIFESTS).map((d) => d.toJS() as KubeObject);

describe('real-world manifests', () => {
  it('covers every built-in kind skiff validates specially', () => {
    const kinds = new Set(docs.map((d) => d.kind));
    for (const k of ['Deployment', 'DaemonSet', 'Job', 'Pod', 'Service', 'ConfigMap', 'Secret', 'PodDisruptionBudget', 'PriorityClass', 'Lease', 'Namespace', 'Node', 'EndpointSlice', 'Event']) {
      expect(kinds).toContain(k);
    }
  });

  it.each(docs.map((d) => [`${d.kind} ${d.metadata?.name}`, d] as const))('%s is valid after defaulting', (_name, doc) => {
    const type = registry.byKind(doc.apiVersion!, doc.kind!)!;
    const obj = structuredClone(doc);
    applyDefaults(type, obj);
    expect(validateObject(type, obj)).toEqual([]);
    // A second write of the same manifest (an update) is valid as well.
    const again = structuredClone(doc);
    applyDefaults(type, again);
    expect(validateObject(type, again, obj)).toEqual([]);
  });
});

describe('validateObject', () => {
  it('checks only metadata for a custom resource, even with a built-in kind name', () => {
    const crd = { ...BUILTIN_RESOURCES.find((t) => t.kind === 'Pod')!, group: 'example.com' };
    expect(validateObject(crd, { metadata: { name: 'x', namespace: 'd' }, spec: {} } as KubeObject)).toEqual([]);
    expect(validateObject(crd, { metadata: { name: 'X', namespace: 'd' } }).map((c) => c.field)).toEqual(['metadata.name']);
  });

  it('returns Kubernetes StatusCauses', () => {
    const pods = BUILTIN_RESOURCES.find((t) => t.kind === 'Pod')!;
    expect(validateObject(pods, { metadata: { namespace: 'd' } })).toEqual([
      { reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' },
      { reason: 'FieldValueRequired', field: 'spec', message: 'Required value' },
    ]);
  });

  it('reports fields of the wrong JSON type alone, as FieldValueTypeInvalid', () => {
    const pods = BUILTIN_RESOURCES.find((t) => t.kind === 'Pod')!;
    const obj = { metadata: { name: 'Bad_Name', namespace: 'd' }, spec: { containers: 'web', terminationGracePeriodSeconds: '30' } } as unknown as KubeObject;
    applyDefaults(pods, obj);
    expect(validateObject(pods, obj)).toEqual([
      { reason: 'FieldValueTypeInvalid', field: 'spec.containers', message: 'Invalid value: "web": expected array, got string' },
      { reason: 'FieldValueTypeInvalid', field: 'spec.terminationGracePeriodSeconds', message: 'Invalid value: "30": expected integer, got string' },
    ]);
    // Defaulting left the malformed object alone.
    expect((obj as unknown as { spec: Record<string, unknown> }).spec.restartPolicy).toBeUndefined();
  });

  it('treats null properties as unset, as Go decoding does', () => {
    const services = BUILTIN_RESOURCES.find((t) => t.kind === 'Service')!;
    const obj = {
      metadata: { name: 'web', namespace: 'd', creationTimestamp: null, labels: null },
      spec: { selector: null, ports: [{ port: 80, targetPort: null, nodePort: null }], type: null },
    } as unknown as KubeObject;
    applyDefaults(services, obj);
    expect(validateObject(services, obj)).toEqual([]);
    expect(obj).toMatchObject({ metadata: { name: 'web', namespace: 'd' }, spec: { type: 'ClusterIP', ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }] } });
    expect(obj.metadata).not.toHaveProperty('creationTimestamp');
  });

  it('a null array element is a type error', () => {
    const pods = BUILTIN_RESOURCES.find((t) => t.kind === 'Pod')!;
    const obj = { metadata: { name: 'p', namespace: 'd' }, spec: { containers: [null] } } as unknown as KubeObject;
    expect(validateObject(pods, obj).map((c) => `${c.field} ${c.reason}`)).toEqual(['spec.containers[0] FieldValueTypeInvalid']);
  });

  it('keeps a __proto__ key an ordinary field when it drops nulls', () => {
    const cms = BUILTIN_RESOURCES.find((t) => t.kind === 'ConfigMap')!;
    const obj = JSON.parse('{"metadata":{"name":"c","namespace":"d","labels":null},"data":{"__proto__":"x","k":"v"}}') as KubeObject;
    applyDefaults(cms, obj);
    const data = (obj as unknown as { data: Record<string, string> }).data;
    expect(Object.keys(data)).toEqual(['__proto__', 'k']);
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(validateObject(cms, obj).map((c) => c.field)).toEqual([]);
  });

  it('names map keys in type errors as Kubernetes does', () => {
    const pods = BUILTIN_RESOURCES.find((t) => t.kind === 'Pod')!;
    const obj = {
      metadata: { name: 'p', namespace: 'd', labels: { app: 7 } },
      spec: { containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: {} } } }] },
    } as unknown as KubeObject;
    expect(validateObject(pods, obj).map((c) => c.field)).toEqual(['metadata.labels[app]', 'spec.containers[0].resources.limits[cpu]']);
  });
});
