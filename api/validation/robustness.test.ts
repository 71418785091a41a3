// Whatever JSON a client sends, defaulting and validation answer with causes and never
// throw (a throw would become a 500 instead of a 422). Every field of a set of typical
// manifests is replaced in turn by values of each JSON type.

import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../defaults.js';
import type { KubeObject } from '../types.js';
import { validateObject } from '../validation.js';
import { typeOf } from './testing.js';

const MANIFESTS: KubeObject[] = [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'd', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }] },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web', tier: 'a' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx',
              ports: [{ name: 'http', containerPort: 80 }],
              env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
              resources: { limits: { cpu: '1' }, requests: { cpu: '100m' } },
              readinessProbe: { httpGet: { port: 'http', path: '/' } },
              volumeMounts: [{ name: 'v', mountPath: '/v' }],
            },
          ],
          volumes: [{ name: 'v', emptyDir: {} }],
          tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }],
          affinity: {
            nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'z', operator: 'In', values: ['a'] }] }] } },
            podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { topologyKey: 'h', labelSelector: { matchLabels: { a: 'b' } } } }] },
          },
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }],
        },
      },
    },
  } as KubeObject,
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'd' },
    spec: {
      nodeName: 'n1',
      activeDeadlineSeconds: 30,
      initContainers: [{ name: 'i', image: 'busybox', command: ['true'] }],
      containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }], livenessProbe: { exec: { command: ['true'] } } }],
      tolerations: [{ operator: 'Exists' }],
      nodeSelector: { disk: 'ssd' },
    },
  } as KubeObject,
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'd' },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }], sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } },
  } as KubeObject,
  {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'j', namespace: 'd', uid: 'u' },
    spec: { parallelism: 2, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } },
  } as KubeObject,
  {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 's', namespace: 'd' },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.0.0.1'], nodeName: 'n' }],
    ports: [{ name: 'p', port: 80 }],
  } as KubeObject,
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'd', annotations: { a: 'b' } }, data: { k: 'dg==' }, type: 'kubernetes.io/tls' } as KubeObject,
  { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, spec: { podCIDR: '10.244.0.0/24', taints: [{ key: 'k', effect: 'NoSchedule' }] } } as KubeObject,
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p', namespace: 'd' }, spec: { minAvailable: 1, selector: { matchLabels: { a: 'b' } } } } as KubeObject,
  { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e', namespace: 'd' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'd' }, count: 1 } as KubeObject,
];

/** One value of each JSON type, plus the shapes that tripped naive code: a negative, a fraction, a null element. */
const JUNK: unknown[] = ['x', -1, 1.5, null, [], { a: 1 }, true, [null]];

/** Every path to a value inside `value` (array indexes as numbers). */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const p = [...prefix, Array.isArray(value) ? Number(k) : k];
    return [p, ...pathsOf(v, p)];
  });
}

function replaced(doc: KubeObject, path: (string | number)[], junk: unknown): KubeObject {
  const copy = structuredClone(doc) as unknown as Record<string | number, unknown>;
  let cur = copy;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  cur[path[path.length - 1]] = structuredClone(junk);
  return copy as unknown as KubeObject;
}

describe('malformed objects', () => {
  it.each(MANIFESTS.map((m) => [m.kind!, m] as const))('%s: no field of any JSON type makes defaulting or validation throw', (kind, doc) => {
    const type = typeOf(kind);
    const thrown: string[] = [];
    let rejected = 0;
    const cases = pathsOf(doc).filter((p) => p[0] !== 'apiVersion' && p[0] !== 'kind');
    for (const path of cases) {
      for (const junk of JUNK) {
        const obj = replaced(doc, path, junk);
        try {
          applyDefaults(type, obj);
          if (validateObject(type, obj).length > 0) rejected++;
          validateObject(type, obj, doc);
          validateObject(type, doc, obj);
        } catch (err) {
          thrown.push(`${path.join('.')}=${JSON.stringify(junk)}: ${(err as Error).message}`);
        }
      }
    }
    expect(thrown).toEqual([]);
    // The checks are not vacuous: most replacements are refused.
    expect(rejected).toBeGreaterThan(cases.length * 3);
  }, 60_000);
});
