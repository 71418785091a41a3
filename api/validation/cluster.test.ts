import { describe, expect, it } from 'vitest';
import { causes } from './testing.js';

const md = (name: string, namespace?: string) => ({ metadata: { name, ...(namespace ? { namespace } : {}) } });
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('cluster kinds', () => {
  it.each<[string, string, object, string[]]>([
    ['Namespace valid', 'Namespace', md('team-a'), []],
    ['Namespace finalizer syntax', 'Namespace', { ...md('team-a'), spec: { finalizers: ['not valid'] } }, ['spec.finalizers[0] FieldValueInvalid']],
    ['Node valid', 'Node', { ...md('node-1'), spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'], taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } }, []],
    ['Node bad CIDR', 'Node', { ...md('node-1'), spec: { podCIDR: '10.244.1.0/33' } }, ['spec.podCIDR FieldValueInvalid']],
    ['Node taint without effect', 'Node', { ...md('node-1'), spec: { taints: [{ key: 'k' }] } }, ['spec.taints[0].effect FieldValueRequired']],
    [
      'Node duplicate taints',
      'Node',
      { ...md('node-1'), spec: { taints: [{ key: 'k', effect: 'NoSchedule' }, { key: 'k', value: 'x', effect: 'NoSchedule' }] } },
      ['spec.taints[1] FieldValueDuplicate'],
    ],
    ['ConfigMap valid', 'ConfigMap', { ...md('cfg', 'd'), data: { 'app.yaml': 'a: 1', KEY: 'v' }, binaryData: { 'logo.png': b64('png') } }, []],
    ['ConfigMap bad key', 'ConfigMap', { ...md('cfg', 'd'), data: { 'a/b': 'x' } }, ['data[a/b] FieldValueInvalid']],
    ['ConfigMap key in both', 'ConfigMap', { ...md('cfg', 'd'), data: { k: 'x' }, binaryData: { k: b64('x') } }, ['data[k] FieldValueInvalid']],
    ['ConfigMap too large', 'ConfigMap', { ...md('cfg', 'd'), data: { k: 'x'.repeat(1024 * 1024 + 1) } }, ['data FieldValueTooLong']],
    ['Secret valid', 'Secret', { ...md('s', 'd'), data: { password: b64('hunter2') }, stringData: { user: 'admin' } }, []],
    ['Secret with a type named like an Object property', 'Secret', { ...md('s', 'd'), type: 'constructor' }, []],
    ['Secret bad base64', 'Secret', { ...md('s', 'd'), data: { password: 'not base64!' } }, ['data[password] FieldValueInvalid']],
    ['Secret bad key', 'Secret', { ...md('s', 'd'), data: { '..x': b64('1') } }, ['data[..x] FieldValueInvalid']],
    ['TLS Secret missing key', 'Secret', { ...md('s', 'd'), type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c') } }, ['data[tls.key] FieldValueRequired']],
    [
      'SA token Secret without the account',
      'Secret',
      { ...md('s', 'd'), type: 'kubernetes.io/service-account-token' },
      ['metadata.annotations[kubernetes.io/service-account.name] FieldValueRequired'],
    ],
    ['ServiceAccount valid', 'ServiceAccount', md('builder', 'd'), []],
    ['Event valid', 'Event', { ...md('web.1', 'd'), involvedObject: { kind: 'Pod', name: 'web', namespace: 'd' }, reason: 'Pulled', type: 'Normal' }, []],
    ['Event for a node in default', 'Event', { ...md('n1.1', 'default'), involvedObject: { kind: 'Node', name: 'n1' } }, []],
    ['Event without object', 'Event', md('e', 'd'), ['involvedObject FieldValueRequired']],
    ['Event namespace mismatch', 'Event', { ...md('e', 'd'), involvedObject: { kind: 'Pod', name: 'web', namespace: 'other' } }, ['involvedObject.namespace FieldValueInvalid']],
    ['Event object without name', 'Event', { ...md('e', 'd'), involvedObject: { kind: 'Pod', namespace: 'd' } }, ['involvedObject.name FieldValueRequired']],
    ['Lease valid', 'Lease', { ...md('kube-scheduler', 'kube-system'), spec: { holderIdentity: 'a', leaseDurationSeconds: 15 } }, []],
    ['Lease zero duration', 'Lease', { ...md('l', 'd'), spec: { leaseDurationSeconds: 0 } }, ['spec.leaseDurationSeconds FieldValueInvalid']],
    ['Lease negative transitions', 'Lease', { ...md('l', 'd'), spec: { leaseTransitions: -1 } }, ['spec.leaseTransitions FieldValueInvalid']],
    ['PDB valid', 'PodDisruptionBudget', { ...md('web', 'd'), spec: { minAvailable: '50%', selector: { matchLabels: { app: 'web' } } } }, []],
    ['PDB both set', 'PodDisruptionBudget', { ...md('web', 'd'), spec: { minAvailable: 1, maxUnavailable: 1 } }, ['spec FieldValueInvalid']],
    ['PDB bad percent', 'PodDisruptionBudget', { ...md('web', 'd'), spec: { maxUnavailable: '120%' } }, ['spec.maxUnavailable FieldValueInvalid']],
    ['PDB negative', 'PodDisruptionBudget', { ...md('web', 'd'), spec: { minAvailable: -1 } }, ['spec.minAvailable FieldValueInvalid']],
    ['PriorityClass valid', 'PriorityClass', { ...md('high'), value: 1000000 }, []],
    ['PriorityClass too high', 'PriorityClass', { ...md('high'), value: 1000000001 }, ['value FieldValueForbidden']],
    ['PriorityClass system class', 'PriorityClass', { ...md('system-node-critical'), value: 2000001000 }, []],
    ['PriorityClass reserved prefix', 'PriorityClass', { ...md('system-mine'), value: 1 }, ['metadata.name FieldValueForbidden']],
    ['PriorityClass without value', 'PriorityClass', md('high'), ['value FieldValueRequired']],
    ['ControllerRevision negative', 'ControllerRevision', { ...md('ds-1', 'd'), revision: -1 }, ['revision FieldValueInvalid']],
  ])('%s', (_name, kind, obj, expected) => expect(causes(kind, obj)).toEqual(expected));

  it.each<[string, string, object, object, string[]]>([
    ['Node podCIDR set once', 'Node', { ...md('n'), spec: { podCIDR: '10.244.1.0/24' } }, md('n'), []],
    ['Node podCIDR changed', 'Node', { ...md('n'), spec: { podCIDR: '10.244.2.0/24' } }, { ...md('n'), spec: { podCIDR: '10.244.1.0/24' } }, ['spec.podCIDR FieldValueForbidden']],
    ['Secret type changed', 'Secret', { ...md('s', 'd'), type: 'Opaque' }, { ...md('s', 'd'), type: 'kubernetes.io/basic-auth' }, ['type FieldValueInvalid']],
    [
      'immutable ConfigMap data',
      'ConfigMap',
      { ...md('c', 'd'), immutable: true, data: { a: '2' } },
      { ...md('c', 'd'), immutable: true, data: { a: '1' } },
      ['data FieldValueForbidden'],
    ],
    ['immutable flag kept', 'ConfigMap', { ...md('c', 'd'), data: { a: '1' } }, { ...md('c', 'd'), immutable: true, data: { a: '1' } }, ['immutable FieldValueForbidden']],
    ['mutable ConfigMap data', 'ConfigMap', { ...md('c', 'd'), data: { a: '2' } }, { ...md('c', 'd'), data: { a: '1' } }, []],
    ['PriorityClass value', 'PriorityClass', { ...md('high'), value: 2 }, { ...md('high'), value: 1 }, ['value FieldValueForbidden']],
    ['ControllerRevision data', 'ControllerRevision', { ...md('r', 'd'), revision: 1, data: { a: 2 } }, { ...md('r', 'd'), revision: 1, data: { a: 1 } }, ['data FieldValueInvalid']],
  ])('update: %s', (_name, kind, next, prev, expected) => expect(causes(kind, next, prev)).toEqual(expected));
});
