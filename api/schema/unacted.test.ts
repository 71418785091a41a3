import { describe, expect, it } from 'vitest';
import { unactedFields, unactedWarning } from './unacted.js';

const pod = { group: '', kind: 'Pod' };
const deployment = { group: 'apps', kind: 'Deployment' };
const c = { name: 'c', image: 'busybox' };

describe('unactedFields', () => {
  it.each([
    ['a plain pod', pod, { spec: { containers: [c], volumes: [{ name: 'v', emptyDir: {} }, { name: 'h', hostPath: { path: '/tmp' } }] } }, []],
    ['a projected volume', pod, { spec: { containers: [c], volumes: [{ name: 'cm', configMap: { name: 'x' } }, { name: 'p', projected: { sources: [] } }] } }, ['spec.volumes[1].projected']],
    ['pod and container security', pod,
      { spec: { securityContext: { runAsUser: 1, seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ ...c, securityContext: { privileged: true, seLinuxOptions: { level: 's0' } } }] } },
      ['spec.securityContext.seccompProfile', 'spec.containers[0].securityContext.seLinuxOptions']],
    ['pod fields, empty lists ignored', pod, { spec: { containers: [c], runtimeClassName: 'gvisor', imagePullSecrets: [], hostAliases: [{ ip: '10.0.0.1', hostnames: ['a'] }] } },
      ['spec.runtimeClassName', 'spec.hostAliases']],
    ['container fields', pod,
      { spec: { containers: [{ ...c, resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }], resources: { claims: [{ name: 'gpu' }] }, volumeMounts: [{ name: 'v', mountPath: '/a', subPath: 'x' }, { name: 'v', mountPath: '/b', subPathExpr: '$(POD)' }] }] } },
      ['spec.containers[0].resizePolicy', 'spec.containers[0].resources.claims', 'spec.containers[0].volumeMounts[1].subPathExpr']],
    ['scheduling fields the scheduler honours, and what admission fills in', pod,
      { spec: { containers: [c], preemptionPolicy: 'PreemptLowerPriority', affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [] } } } }, []],
    ['init containers', pod, { spec: { containers: [c], initContainers: [{ ...c, securityContext: { procMount: 'Unmasked' } }] } }, ['spec.initContainers[0].securityContext.procMount']],
    ['in a template', deployment, { spec: { template: { spec: { containers: [c], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'x' } }] } } } },
      ['spec.template.spec.volumes[0].persistentVolumeClaim']],
    ['topology spread is acted on', pod, { spec: { containers: [c], topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }] } }, []],
    ['other kinds have none', { group: '', kind: 'ConfigMap' }, { data: { runtimeClassName: 'x' } }, []],
    ['a malformed spec is left to validation', pod, { spec: 'nope' }, []],
    ['CEL rules in a CRD schema', { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
      { spec: { versions: [{ name: 'v1', schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-validations': [{ rule: 'self.a > 0' }], properties: { l: { type: 'array', items: { type: 'string', 'x-kubernetes-validations': [{ rule: 'size(self) < 9' }] } } } } } } } }] } },
      ['spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations', 'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[l].items.x-kubernetes-validations']],
  ])('%s', (_name, type, obj, want) => {
    expect(unactedFields(type, obj)).toEqual(want);
  });

  it('words the warning with the path', () => {
    expect(unactedWarning('spec.runtimeClassName')).toBe('spec.runtimeClassName: stored, but skiff does not act on this field');
  });
});
