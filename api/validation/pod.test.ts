import { describe, expect, it } from 'vitest';
import type { Pod } from '../types.js';
import { causes, edit, messages } from './testing.js';

const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-0', namespace: 'default', labels: { app: 'web' } },
  spec: {
    containers: [
      {
        name: 'web',
        image: 'nginx:1.27',
        ports: [{ name: 'http', containerPort: 80 }],
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
        readinessProbe: { httpGet: { path: '/healthz', port: 'http' } },
        volumeMounts: [{ name: 'cache', mountPath: '/var/cache/nginx' }],
      },
    ],
    volumes: [{ name: 'cache', emptyDir: {} }],
  },
};

const c0 = 'spec.containers[0]';

describe('Pod validation', () => {
  it('accepts a typical pod', () => expect(causes('Pod', pod)).toEqual([]));

  it.each<[string, (p: Pod) => void, string[]]>([
    ['no containers', (p) => (p.spec!.containers = []), ['spec.containers FieldValueRequired']],
    ['no spec (defaulting makes an empty one)', (p) => delete p.spec, ['spec.containers FieldValueRequired']],
    ['missing image', (p) => (p.spec!.containers[0].image = ''), [`${c0}.image FieldValueRequired`]],
    ['image with spaces', (p) => (p.spec!.containers[0].image = ' nginx'), [`${c0}.image FieldValueInvalid`]],
    ['bad container name', (p) => (p.spec!.containers[0].name = 'Web_1'), [`${c0}.name FieldValueInvalid`]],
    [
      'container names unique across init and app containers',
      (p) => (p.spec!.initContainers = [{ name: 'web', image: 'busybox' }]),
      [`${c0}.name FieldValueDuplicate`],
    ],
    ['port 0', (p) => (p.spec!.containers[0].ports![0].containerPort = 0), [`${c0}.ports[0].containerPort FieldValueRequired`]],
    ['port too big', (p) => (p.spec!.containers[0].ports![0].containerPort = 70000), [`${c0}.ports[0].containerPort FieldValueInvalid`]],
    ['hostPort out of range', (p) => (p.spec!.containers[0].ports![0].hostPort = -1), [`${c0}.ports[0].hostPort FieldValueInvalid`]],
    [
      'duplicate port names',
      (p) => p.spec!.containers[0].ports!.push({ name: 'http', containerPort: 81 }),
      [`${c0}.ports[1].name FieldValueDuplicate`],
    ],
    ['bad port name', (p) => (p.spec!.containers[0].ports![0].name = 'HTTP'), [`${c0}.ports[0].name FieldValueInvalid`, `${c0}.ports[0].name FieldValueInvalid`]],
    ['bad protocol', (p) => (p.spec!.containers[0].ports![0].protocol = 'ICMP'), [`${c0}.ports[0].protocol FieldValueNotSupported`]],
    [
      'host ports collide across containers',
      (p) => {
        p.spec!.containers[0].ports![0].hostPort = 8080;
        p.spec!.containers.push({ name: 'b', image: 'x', ports: [{ containerPort: 81, hostPort: 8080 }] });
      },
      ['spec.containers[1].ports[0].hostPort FieldValueDuplicate'],
    ],
    ['env name', (p) => (p.spec!.containers[0].env = [{ name: '1BAD', value: 'x' }]), [`${c0}.env[0].name FieldValueInvalid`]],
    ['env without name', (p) => (p.spec!.containers[0].env = [{ name: '', value: 'x' }]), [`${c0}.env[0].name FieldValueRequired`]],
    [
      'env value and valueFrom',
      (p) => (p.spec!.containers[0].env = [{ name: 'A', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]),
      [`${c0}.env[0].valueFrom FieldValueInvalid`],
    ],
    [
      'env valueFrom with two sources',
      (p) =>
        (p.spec!.containers[0].env = [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' }, secretKeyRef: { name: 's', key: 'k' } } }]),
      [`${c0}.env[0].valueFrom FieldValueInvalid`],
    ],
    ['env valueFrom empty', (p) => (p.spec!.containers[0].env = [{ name: 'A', valueFrom: {} }]), [`${c0}.env[0].valueFrom FieldValueInvalid`]],
    ['bad quantity', (p) => (p.spec!.containers[0].resources!.limits!.cpu = 'lots'), [`${c0}.resources.limits[cpu] FieldValueInvalid`]],
    ['negative quantity', (p) => (p.spec!.containers[0].resources!.requests!.memory = '-1Mi'), [`${c0}.resources.requests[memory] FieldValueInvalid`]],
    ['requests above limits', (p) => (p.spec!.containers[0].resources!.requests!.cpu = '1'), [`${c0}.resources.requests[cpu] FieldValueInvalid`]],
    ['equal requests and limits', (p) => (p.spec!.containers[0].resources!.requests!.cpu = '0.5'), []],
    ['duplicate volume names', (p) => p.spec!.volumes!.push({ name: 'cache', emptyDir: {} }), ['spec.volumes[1].name FieldValueDuplicate']],
    ['bad volume name', (p) => (p.spec!.volumes![0].name = 'Cache'), ['spec.volumes[0].name FieldValueInvalid', `${c0}.volumeMounts[0].name FieldValueNotFound`]],
    ['two volume sources', (p) => (p.spec!.volumes![0].hostPath = { path: '/tmp' }), ['spec.volumes[0].hostPath FieldValueForbidden']],
    ['hostPath without path', (p) => (p.spec!.volumes = [{ name: 'cache', hostPath: { path: '' } }]), ['spec.volumes[0].hostPath.path FieldValueRequired']],
    ['mount of a missing volume', (p) => (p.spec!.containers[0].volumeMounts![0].name = 'nope'), [`${c0}.volumeMounts[0].name FieldValueNotFound`]],
    [
      'mount path twice',
      (p) => p.spec!.containers[0].volumeMounts!.push({ name: 'cache', mountPath: '/var/cache/nginx' }),
      [`${c0}.volumeMounts[1].mountPath FieldValueInvalid`],
    ],
    ['mount without path', (p) => (p.spec!.containers[0].volumeMounts![0].mountPath = ''), [`${c0}.volumeMounts[0].mountPath FieldValueRequired`]],
    ['restartPolicy', (p) => (p.spec!.restartPolicy = 'Sometimes'), ['spec.restartPolicy FieldValueNotSupported']],
    ['dnsPolicy', (p) => (p.spec!.dnsPolicy = 'Google'), ['spec.dnsPolicy FieldValueNotSupported']],
    ['dnsPolicy None needs dnsConfig', (p) => (p.spec!.dnsPolicy = 'None'), ['spec.dnsConfig FieldValueRequired']],
    ['probe without handler', (p) => (p.spec!.containers[0].livenessProbe = { periodSeconds: 5 }), [`${c0}.livenessProbe FieldValueRequired`]],
    [
      'probe with two handlers',
      (p) => (p.spec!.containers[0].livenessProbe = { exec: { command: ['true'] }, tcpSocket: { port: 80 } }),
      [`${c0}.livenessProbe.tcpSocket FieldValueForbidden`],
    ],
    ['liveness success threshold', (p) => (p.spec!.containers[0].livenessProbe = { tcpSocket: { port: 80 }, successThreshold: 2 }), [`${c0}.livenessProbe.successThreshold FieldValueInvalid`]],
    ['probe port name', (p) => (p.spec!.containers[0].readinessProbe!.httpGet!.port = 'Not_A_Name'), [`${c0}.readinessProbe.httpGet.port FieldValueInvalid`]],
    ['probe negative period', (p) => (p.spec!.containers[0].readinessProbe!.periodSeconds = -1), [`${c0}.readinessProbe.periodSeconds FieldValueInvalid`]],
    ['exec probe without command', (p) => (p.spec!.containers[0].livenessProbe = { exec: {} }), [`${c0}.livenessProbe.exec.command FieldValueRequired`]],
    [
      'init container with a probe',
      (p) => (p.spec!.initContainers = [{ name: 'init', image: 'busybox', readinessProbe: { exec: { command: ['true'] } } }]),
      ['spec.initContainers[0].readinessProbe FieldValueForbidden'],
    ],
    [
      'sidecar may have a probe',
      (p) => (p.spec!.initContainers = [{ name: 'side', image: 'busybox', restartPolicy: 'Always', readinessProbe: { exec: { command: ['true'] } } }]),
      [],
    ],
    ['app container restartPolicy', (p) => (p.spec!.containers[0].restartPolicy = 'Always'), [`${c0}.restartPolicy FieldValueForbidden`]],
    ['negative grace period', (p) => (p.spec!.terminationGracePeriodSeconds = -5), ['spec.terminationGracePeriodSeconds FieldValueInvalid']],
    ['zero active deadline', (p) => (p.spec!.activeDeadlineSeconds = 0), ['spec.activeDeadlineSeconds FieldValueInvalid']],
    ['nodeSelector value', (p) => (p.spec!.nodeSelector = { disk: 'fast ssd' }), ['spec.nodeSelector FieldValueInvalid']],
    ['toleration Exists with value', (p) => (p.spec!.tolerations = [{ key: 'k', operator: 'Exists', value: 'v' }]), ['spec.tolerations[0].operator FieldValueInvalid']],
    ['toleration bad operator', (p) => (p.spec!.tolerations = [{ key: 'k', operator: 'Like' }]), ['spec.tolerations[0].operator FieldValueNotSupported']],
    ['toleration empty key needs Exists', (p) => (p.spec!.tolerations = [{ operator: 'Equal', value: 'v' }]), ['spec.tolerations[0].operator FieldValueInvalid']],
    ['toleration bad effect', (p) => (p.spec!.tolerations = [{ key: 'k', effect: 'NoRun' }]), ['spec.tolerations[0].effect FieldValueNotSupported']],
    ['tolerationSeconds needs NoExecute', (p) => (p.spec!.tolerations = [{ key: 'k', effect: 'NoSchedule', tolerationSeconds: 5 }]), ['spec.tolerations[0].effect FieldValueInvalid']],
    ['tolerate everything', (p) => (p.spec!.tolerations = [{ operator: 'Exists' }]), []],
    ['bad topology spread', (p) => (p.spec!.topologySpreadConstraints = [{ maxSkew: 0, topologyKey: '', whenUnsatisfiable: 'Maybe' }]), [
      'spec.topologySpreadConstraints[0].maxSkew FieldValueInvalid',
      'spec.topologySpreadConstraints[0].topologyKey FieldValueRequired',
      'spec.topologySpreadConstraints[0].whenUnsatisfiable FieldValueNotSupported',
    ]],
    ['host network port mismatch', (p) => {
      p.spec!.hostNetwork = true;
      p.spec!.containers[0].ports![0].hostPort = 8080;
    }, [`${c0}.ports[0].containerPort FieldValueInvalid`]],
  ])('%s', (_name, change, expected) => {
    expect(causes('Pod', edit(pod, change))).toEqual(expected);
  });

  describe('node affinity', () => {
    const term = (op: string, values?: string[]) => (p: Pod) => {
      p.spec!.affinity = {
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: op, ...(values ? { values } : {}) }] }] } },
      };
    };
    const path = 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0]';
    it.each<[string, (p: Pod) => void, string[]]>([
      ['In with values', term('In', ['a', 'b']), []],
      ['In without values', term('In'), [`${path}.values FieldValueRequired`]],
      ['Exists with values', term('Exists', ['a']), [`${path}.values FieldValueForbidden`]],
      ['Gt with one integer', term('Gt', ['3']), []],
      ['Gt with two values', term('Gt', ['3', '4']), [`${path}.values FieldValueRequired`]],
      ['Lt with a word', term('Lt', ['many']), [`${path}.values[0] FieldValueInvalid`]],
      ['unknown operator', term('Near', ['a']), [`${path}.operator FieldValueNotSupported`]],
      [
        'no terms',
        (p) => (p.spec!.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } }),
        ['spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms FieldValueRequired'],
      ],
      [
        'preferred weight out of range',
        (p) => (p.spec!.affinity = { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: {} }] } }),
        ['spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight FieldValueInvalid'],
      ],
      [
        'match field other than metadata.name',
        (p) =>
          (p.spec!.affinity = {
            nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'spec.x', operator: 'In', values: ['a'] }] }] } },
          }),
        ['spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].key FieldValueNotSupported'],
      ],
      [
        'pod anti-affinity needs a topology key',
        (p) => (p.spec!.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: '' }] } }),
        ['spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey FieldValueRequired'],
      ],
      [
        'pod affinity selector operator',
        (p) =>
          (p.spec!.affinity = {
            podAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 50, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchExpressions: [{ key: 'app', operator: 'Gt', values: ['1'] }] } } },
              ],
            },
          }),
        ['spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector.matchExpressions[0].operator FieldValueNotSupported'],
      ],
    ])('%s', (_name, change, expected) => expect(causes('Pod', edit(pod, change))).toEqual(expected));
  });

  it('words messages as Kubernetes does', () => {
    expect(messages('Pod', edit(pod, (p) => (p.spec!.containers[0].ports![0].containerPort = 70000)))).toEqual([
      `${c0}.ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive`,
    ]);
    expect(messages('Pod', edit(pod, (p) => (p.spec!.restartPolicy = 'Sometimes')))).toEqual([
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]);
    expect(messages('Pod', edit(pod, (p) => (p.spec!.containers[0].resources!.requests!.cpu = '1')))).toEqual([
      `${c0}.resources.requests[cpu]: Invalid value: "1": must be less than or equal to cpu limit of 500m`,
    ]);
    expect(messages('Pod', edit(pod, (p) => (p.spec!.containers[0].image = ''))))
      .toEqual([`${c0}.image: Required value`]);
  });
});

describe('Pod update', () => {
  const stored = edit(pod, (p) => {
    p.metadata = { ...p.metadata, uid: 'u1' };
    p.spec!.nodeName = 'n1';
    p.spec!.tolerations = [{ key: 'a', operator: 'Exists' }];
    p.spec!.activeDeadlineSeconds = 100;
  });
  it.each<[string, (p: Pod) => void, string[]]>([
    ['labels may change', (p) => (p.metadata!.labels = { app: 'web', v: '2' }), []],
    ['image may change', (p) => (p.spec!.containers[0].image = 'nginx:1.28'), []],
    ['tolerations may be added', (p) => p.spec!.tolerations!.push({ key: 'b', operator: 'Exists' }), []],
    ['deadline may shrink', (p) => (p.spec!.activeDeadlineSeconds = 50), []],
    ['grace period may change', (p) => (p.spec!.terminationGracePeriodSeconds = 5), []],
    ['deadline may not grow', (p) => (p.spec!.activeDeadlineSeconds = 500), ['spec.activeDeadlineSeconds FieldValueInvalid']],
    ['deadline may not be removed', (p) => delete p.spec!.activeDeadlineSeconds, ['spec.activeDeadlineSeconds FieldValueInvalid']],
    ['tolerations may not be removed', (p) => (p.spec!.tolerations = []), ['spec.tolerations FieldValueForbidden']],
    ['ports are fixed', (p) => (p.spec!.containers[0].ports![0].containerPort = 8080), ['spec FieldValueForbidden']],
    ['nodeName is fixed', (p) => (p.spec!.nodeName = 'n2'), ['spec FieldValueForbidden']],
    ['containers are fixed', (p) => p.spec!.containers.push({ name: 'b', image: 'x' }), ['spec FieldValueForbidden']],
    ['name is fixed', (p) => (p.metadata!.name = 'web-1'), ['metadata.name FieldValueInvalid']],
    ['uid is fixed', (p) => (p.metadata = { ...p.metadata, uid: 'u2' }), ['metadata.uid FieldValueInvalid']],
  ])('%s', (_name, change, expected) => expect(causes('Pod', edit(stored, change), stored)).toEqual(expected));

  it("uses upstream's message for forbidden spec changes", () => {
    const [msg] = messages('Pod', edit(stored, (p) => (p.spec!.nodeName = 'n2')), stored);
    expect(msg).toMatch(/^spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`/);
  });
});
