import { describe, expect, it } from 'vitest';
import { applyDefaults, defaultPullPolicy } from './defaults.js';
import { BUILTIN_RESOURCES, type ResourceType } from './resources.js';
import type { KubeObject } from './types.js';

const type = (kind: string): ResourceType => BUILTIN_RESOURCES.find((t) => t.kind === kind)!;
/** Defaults a manifest fragment of `kind` and returns it. */
function defaulted(kind: string, obj: object): Record<string, unknown> {
  const o = structuredClone(obj) as KubeObject;
  applyDefaults(type(kind), o);
  return o as unknown as Record<string, unknown>;
}

describe('image pull policy', () => {
  it.each<[string, string]>([
    ['busybox', 'Always'],
    ['busybox:latest', 'Always'],
    ['busybox:1.36', 'IfNotPresent'],
    ['registry.local:5000/busybox', 'Always'],
    ['registry.local:5000/busybox:1.0', 'IfNotPresent'],
    ['registry.local:5000/team/app:latest', 'Always'],
    ['busybox@sha256:abcd', 'IfNotPresent'],
  ])('%s → %s', (image, policy) => expect(defaultPullPolicy(image)).toBe(policy));
});

describe('Pod', () => {
  it('fills the spec, containers, probes, ports, pod-only fields', () => {
    const pod = defaulted('Pod', {
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx',
            ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }],
            readinessProbe: { httpGet: { port: 80 } },
            livenessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5 },
            resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m' } },
            env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
          },
        ],
        volumes: [{ name: 'scratch' }, { name: 'cfg', configMap: { name: 'cfg' } }],
      },
    });
    expect(pod.spec).toEqual({
      containers: [
        {
          name: 'web',
          image: 'nginx',
          imagePullPolicy: 'Always',
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          ports: [
            { containerPort: 80, protocol: 'TCP' },
            { containerPort: 53, protocol: 'UDP' },
          ],
          readinessProbe: { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
          livenessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
          resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
          env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName', apiVersion: 'v1' } } }],
        },
      ],
      volumes: [{ name: 'scratch', emptyDir: {} }, { name: 'cfg', configMap: { name: 'cfg', defaultMode: 420 } }],
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
      securityContext: {},
      enableServiceLinks: true,
      serviceAccountName: 'default',
      serviceAccount: 'default',
      priority: 0,
      preemptionPolicy: 'PreemptLowerPriority',
    });
  });

  it.each<[string, object, object]>([
    ['keeps what is set', { restartPolicy: 'Never', dnsPolicy: 'Default', terminationGracePeriodSeconds: 0, enableServiceLinks: false }, { restartPolicy: 'Never', dnsPolicy: 'Default', terminationGracePeriodSeconds: 0, enableServiceLinks: false }],
    ['takes the deprecated service account name', { serviceAccount: 'builder' }, { serviceAccountName: 'builder', serviceAccount: 'builder' }],
    ['host network ports are host ports', { hostNetwork: true, containers: [{ name: 'c', image: 'x:1', ports: [{ containerPort: 9100 }] }] }, { containers: [expect.objectContaining({ ports: [{ containerPort: 9100, hostPort: 9100, protocol: 'TCP' }] })] }],
    ['defaults init containers too', { initContainers: [{ name: 'i', image: 'x:1', resources: { limits: { cpu: '1' } } }] }, { initContainers: [expect.objectContaining({ imagePullPolicy: 'IfNotPresent', resources: { limits: { cpu: '1' }, requests: { cpu: '1' } } })] }],
  ])('%s', (_name, spec, expected) => {
    const pod = defaulted('Pod', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x:1' }], ...spec } });
    expect(pod.spec).toMatchObject(expected);
  });

  it('leaves priority to admission when a class is named', () => {
    const pod = defaulted('Pod', { metadata: { name: 'p' }, spec: { priorityClassName: 'high', containers: [{ name: 'c', image: 'x:1' }] } });
    expect(pod.spec).not.toHaveProperty('priority');
    expect(pod.spec).not.toHaveProperty('preemptionPolicy');
  });

  it('is idempotent', () => {
    const once = defaulted('Pod', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: '1' } } }] } });
    expect(defaulted('Pod', once)).toEqual(once);
  });
});

describe('workloads', () => {
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } };

  it('Deployment', () => {
    const d = defaulted('Deployment', { metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template } });
    expect(d.spec).toMatchObject({
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: { spec: { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', containers: [expect.objectContaining({ imagePullPolicy: 'IfNotPresent' })] } },
    });
    // Pod-only defaults stay off templates, as upstream's output shows.
    expect((d.spec as { template: { spec: Record<string, unknown> } }).template.spec.enableServiceLinks).toBeUndefined();
  });

  it.each<[string, object, object]>([
    ['Recreate gets no rolling parameters', { strategy: { type: 'Recreate' } }, { strategy: { type: 'Recreate' } }],
    ['partial rolling update keeps the given half', { strategy: { rollingUpdate: { maxSurge: 1 } }, replicas: 0 }, { replicas: 0, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } } }],
  ])('Deployment: %s', (_name, spec, expected) => {
    const d = defaulted('Deployment', { metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template, ...spec } });
    expect(d.spec).toEqual(expect.objectContaining(expected));
  });

  it('ReplicaSet and DaemonSet', () => {
    expect(defaulted('ReplicaSet', { metadata: { name: 'r' }, spec: { selector: {}, template } }).spec).toMatchObject({ replicas: 1 });
    expect(defaulted('DaemonSet', { metadata: { name: 'd' }, spec: { selector: {}, template } }).spec).toMatchObject({
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
    });
    expect(defaulted('DaemonSet', { metadata: { name: 'd' }, spec: { selector: {}, template, updateStrategy: { type: 'OnDelete' } } }).spec).toMatchObject({
      updateStrategy: { type: 'OnDelete' },
    });
  });

  it.each<[string, object, object]>([
    ['nothing set: one pod once', {}, { completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, podReplacementPolicy: 'TerminatingOrFailed' }],
    ['completions alone gets parallelism 1', { completions: 5 }, { completions: 5, parallelism: 1 }],
    ['backoff per index means no global limit', { backoffLimitPerIndex: 1, completionMode: 'Indexed', completions: 2 }, { backoffLimit: 2147483647 }],
    ['pod failure policy replaces only failed pods', { podFailurePolicy: { rules: [] } }, { podReplacementPolicy: 'Failed' }],
  ])('Job: %s', (_name, spec, expected) => {
    const j = defaulted('Job', { metadata: { name: 'pi', uid: 'u-1' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } }, ...spec } });
    expect(j.spec).toMatchObject(expected);
  });

  it('Job: parallelism alone leaves completions unset (a work queue)', () => {
    const j = defaulted('Job', { metadata: { name: 'q' }, spec: { parallelism: 3, template: {} } });
    expect(j.spec).toMatchObject({ parallelism: 3 });
    expect(j.spec).not.toHaveProperty('completions');
  });

  it('Job: generates the selector from the uid and labels the template', () => {
    const j = defaulted('Job', { metadata: { name: 'pi', uid: 'u-1' }, spec: { template: { metadata: { labels: { app: 'pi' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } } });
    expect(j.metadata).toMatchObject({ labels: { app: 'pi' } });
    const spec = j.spec as { selector: unknown; template: { metadata: { labels: unknown } } };
    expect(spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } });
    expect(spec.template.metadata.labels).toEqual({
      app: 'pi', 'batch.kubernetes.io/controller-uid': 'u-1', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': 'u-1', 'job-name': 'pi',
    });
    // Re-defaulting (an update) produces the same object.
    expect(defaulted('Job', j)).toEqual(j);
  });

  it('Job: a manual selector is kept as given', () => {
    const j = defaulted('Job', { metadata: { name: 'pi', uid: 'u-1' }, spec: { manualSelector: true, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } } } } });
    expect((j.spec as { selector: unknown }).selector).toEqual({ matchLabels: { a: 'b' } });
  });
});

describe('Service and endpoints', () => {
  it.each<[string, object, object]>([
    [
      'ClusterIP',
      { selector: { app: 'web' }, ports: [{ port: 80 }, { name: 'dns', port: 53, protocol: 'UDP', targetPort: 'dns' }] },
      {
        type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'],
        ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }, { name: 'dns', port: 53, protocol: 'UDP', targetPort: 'dns' }],
      },
    ],
    ['NodePort', { type: 'NodePort', ports: [{ port: 80, targetPort: 8080 }] }, { externalTrafficPolicy: 'Cluster', ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] }],
    ['LoadBalancer', { type: 'LoadBalancer', ports: [{ port: 80 }] }, { externalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true }],
    ['ClientIP affinity', { sessionAffinity: 'ClientIP', ports: [{ port: 80 }] }, { sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } } }],
  ])('%s', (_name, spec, expected) => {
    expect(defaulted('Service', { metadata: { name: 's' }, spec }).spec).toMatchObject(expected);
  });

  it('ExternalName gets no cluster traffic fields', () => {
    expect(defaulted('Service', { metadata: { name: 's' }, spec: { type: 'ExternalName', externalName: 'db.example.com' } }).spec).toEqual({
      type: 'ExternalName', externalName: 'db.example.com', sessionAffinity: 'None',
    });
  });

  it('endpoint ports are TCP unless given', () => {
    expect(defaulted('Endpoints', { metadata: { name: 's' }, subsets: [{ ports: [{ port: 80 }] }] }).subsets).toEqual([{ ports: [{ port: 80, protocol: 'TCP' }] }]);
    expect(defaulted('EndpointSlice', { metadata: { name: 's' }, addressType: 'IPv4', endpoints: [], ports: [{ port: 53, protocol: 'UDP' }, { port: 80 }] }).ports).toEqual([
      { port: 53, protocol: 'UDP' },
      { port: 80, protocol: 'TCP' },
    ]);
  });
});

describe('cluster kinds', () => {
  it('a new Namespace is Active with the kubernetes finalizer', () => {
    expect(defaulted('Namespace', { metadata: { name: 'team' } })).toMatchObject({ spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
  });
  it('a stored Namespace does not get its finalizer back', () => {
    const ns = defaulted('Namespace', { metadata: { name: 'team' }, spec: { finalizers: [] }, status: { phase: 'Terminating' } });
    expect(ns).toEqual({ metadata: { name: 'team' }, spec: { finalizers: [] }, status: { phase: 'Terminating' } });
    expect(defaulted('Namespace', { metadata: { name: 'team' }, status: { phase: 'Active' } }).spec).toBeUndefined();
  });
  it('Secret type, PriorityClass policy, other kinds untouched', () => {
    expect(defaulted('Secret', { metadata: { name: 's' } }).type).toBe('Opaque');
    expect(defaulted('Secret', { metadata: { name: 's' }, type: 'kubernetes.io/tls' }).type).toBe('kubernetes.io/tls');
    expect(defaulted('PriorityClass', { metadata: { name: 'high' }, value: 1000 }).preemptionPolicy).toBe('PreemptLowerPriority');
    const cm = { metadata: { name: 'c' }, data: { a: 'b' } };
    expect(defaulted('ConfigMap', cm)).toEqual(cm);
    expect(defaulted('Lease', { metadata: { name: 'l' }, spec: {} })).toEqual({ metadata: { name: 'l' }, spec: {} });
  });
  it('a custom kind named like a built-in is not defaulted', () => {
    const custom: ResourceType = { ...type('Pod'), group: 'example.com' };
    const obj = { metadata: { name: 'p' }, spec: {} } as KubeObject;
    applyDefaults(custom, obj);
    expect(obj).toEqual({ metadata: { name: 'p' }, spec: {} });
  });
});
