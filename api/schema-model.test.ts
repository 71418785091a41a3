import { describe, expect, it } from 'vitest';
import { unknownFields } from './schema-model.js';
import { BUILTIN_RESOURCES } from './resources.js';
import { builtinSchemaCatalog } from './schema/catalog.js';

const kind = (k: string) => BUILTIN_RESOURCES.find((t) => t.kind === k)!;

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

  it('a CRD may carry the x-kubernetes-* extensions anywhere in its schema', () => {
    const crd = { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' };
    const schema = {
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
      properties: {
        spec: { type: 'object', properties: { port: { 'x-kubernetes-int-or-string': true }, ports: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['port'], items: { type: 'object' } } } },
        bogus: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self.size() > 0' }], nope: 1 },
      },
    };
    const obj = { spec: { group: 'example.com', names: { kind: 'W', plural: 'ws' }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }] } };
    expect(unknownFields(crd, obj)).toEqual(['spec.versions[0].schema.openAPIV3Schema.properties.bogus.nope']);
  });

  it('kinds without a schema are not checked', () => {
    expect(unknownFields({ group: 'example.com', version: 'v1', kind: 'Widget' }, { spec: { anything: 1 } })).toEqual([]);
  });

  it('prune removes the unknown fields and keeps the rest', () => {
    const pod = { metadata: { name: 'p', bogus: 1 }, spec: { containers: [{ ...container, imagee: 'x' }] } };
    expect(unknownFields(kind('Pod'), pod, { prune: true })).toEqual(['metadata.bogus', 'spec.containers[0].imagee']);
    expect(pod).toEqual({ metadata: { name: 'p' }, spec: { containers: [container] } });
    expect(unknownFields(kind('Pod'), pod)).toEqual([]);
  });
});

describe('unknownFields of custom kinds', () => {
  const catalog = builtinSchemaCatalog();
  const widget = { group: 'example.com', version: 'v1', kind: 'Widget' };
  catalog.setCustom('example.com', 'v1', 'Widget', {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          size: { type: 'integer' },
          ports: { type: 'array', items: { type: 'object', properties: { port: { type: 'integer' } } } },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } as object,
          // An object without properties holds nothing (structural schemas prune it empty).
          empty: { type: 'object' },
          template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true } as object,
          port: { 'x-kubernetes-int-or-string': true } as object,
        },
      },
      status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { ready: { type: 'boolean' } } } as object,
    },
  });

  it.each([
    ['a clean object', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', labels: { a: 'b' } }, spec: { size: 1, labels: { x: 'y' }, port: 'http' } }, []],
    ['a typo in spec', { spec: { sise: 1 } }, ['spec.sise']],
    ['inside a list of objects', { spec: { ports: [{ port: 1 }, { prot: 2 }] } }, ['spec.ports[1].prot']],
    ['metadata is ObjectMeta', { metadata: { name: 'w', nmae: 'x' } }, ['metadata.nmae']],
    ['preserve keeps anything', { spec: { extra: { a: { b: 1 } } }, status: { ready: true, phase: 'x' } }, []],
    ['an object without properties holds nothing', { spec: { empty: { a: 1, b: 2 } } }, ['spec.empty.a', 'spec.empty.b']],
    ['unknown top level', { spek: {} }, ['spek']],
  ])('%s', (_name, obj, want) => {
    expect(unknownFields(widget, obj, {}, catalog)).toEqual(want);
  });

  it('prunes as built-in kinds', () => {
    const obj = { spec: { size: 1, sise: 2, extra: { keep: 1 } } };
    expect(unknownFields(widget, obj, { prune: true }, catalog)).toEqual(['spec.sise']);
    expect(obj).toEqual({ spec: { size: 1, extra: { keep: 1 } } });
  });
});
