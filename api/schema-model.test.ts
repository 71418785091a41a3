import { describe, expect, it } from 'vitest';
import { modelNameFor, unknownFields } from './schema-model.js';
import { BUILTIN_RESOURCES } from './resources.js';

const kind = (k: string) => BUILTIN_RESOURCES.find((t) => t.kind === k)!;

describe('modelNameFor', () => {
  it('finds a model for every built-in kind', () => {
    for (const t of BUILTIN_RESOURCES) expect(modelNameFor(t), `${t.group}/${t.kind}`).toBeDefined();
  });

  it.each([
    [{ group: '', version: 'v1', kind: 'Pod' }, 'V1Pod'],
    [{ group: '', version: 'v1', kind: 'Event' }, 'CoreV1Event'],
    [{ group: 'events.k8s.io', version: 'v1', kind: 'Event' }, 'EventsV1Event'],
    [{ group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler' }, 'V2HorizontalPodAutoscaler'],
    [{ group: 'example.com', version: 'v1', kind: 'Pod' }, undefined],
    [{ group: 'apps', version: 'v1', kind: 'NoSuchKind' }, undefined],
  ])('%o → %s', (t, want) => {
    expect(modelNameFor(t)).toBe(want);
  });
});

const container = { name: 'c', image: 'nginx', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1', memory: '1Gi' } } };

describe('unknownFields', () => {
  it.each([
    ['a clean pod', 'Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { a: 'b' } }, spec: { containers: [container] } }, []],
    ['top level', 'Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spex: {} }, ['spex']],
    ['in metadata', 'ConfigMap', { metadata: { name: 'c', label: { a: 'b' } }, data: { anything: 'x' } }, ['metadata.label']],
    ['second element of a list', 'Pod', { spec: { containers: [container, { ...container, imagee: 'x' }] } }, ['spec.containers[1].imagee']],
    ['list inside a list', 'Pod', { spec: { containers: [{ ...container, ports: [{ containerPort: 1 }, { containerPort: 2, hostport: 3 }] }] } }, ['spec.containers[0].ports[1].hostport']],
    ['deep inside a template', 'Deployment',
      { spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ ...container, imagee: 'x' }] } } } },
      ['spec.template.spec.containers[0].imagee']],
    ['in a job template of a pod template', 'Job', { spec: { template: { spec: { restartPolicy: 'Never', containers: [container], volumes: [{ name: 'v', emptyDir: { medium: '', sizeLimt: '1Gi' } }] } } } },
      ['spec.template.spec.volumes[0].emptyDir.sizeLimt']],
    ['int-or-string as string and number', 'Deployment',
      { spec: { strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } }, template: { spec: { containers: [{ ...container, livenessProbe: { httpGet: { port: 'http', path: '/' } } }] } } } }, []],
    ['quantities in a map', 'Pod', { spec: { containers: [{ ...container, resources: { requests: { cpu: '100m', 'example.com/gpu': '1' } } }] } }, []],
    ['free-form maps take any key', 'Secret', { metadata: { annotations: { 'x/y': 'z' } }, stringData: { whatever: 'v' }, data: { k: 'dg==' } }, []],
    ['a field of the wrong type is left to validation', 'Pod', { spec: { containers: 'nope' } }, []],
    ['several, in document order', 'Service', { spec: { ports: [{ port: 80, targetport: 8080 }], typ: 'ClusterIP' }, stauts: {} }, ['spec.ports[0].targetport', 'spec.typ', 'stauts']],
    ['managedFields fieldsV1 is free-form', 'ConfigMap', { metadata: { managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:data': { 'f:k': {} } } }] } }, []],
  ])('%s', (_name, k, obj, want) => {
    expect(unknownFields(kind(k), obj)).toEqual(want);
  });

  it('custom resources are not checked', () => {
    expect(unknownFields({ group: 'example.com', version: 'v1', kind: 'Widget' }, { spec: { anything: 1 } })).toEqual([]);
  });

  it('prune removes the unknown fields and keeps the rest', () => {
    const pod = { metadata: { name: 'p', bogus: 1 }, spec: { containers: [{ ...container, imagee: 'x' }] } };
    expect(unknownFields(kind('Pod'), pod, { prune: true })).toEqual(['metadata.bogus', 'spec.containers[0].imagee']);
    expect(pod).toEqual({ metadata: { name: 'p' }, spec: { containers: [container] } });
    expect(unknownFields(kind('Pod'), pod)).toEqual([]);
  });
});
