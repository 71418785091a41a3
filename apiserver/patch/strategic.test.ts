import { describe, expect, it } from 'vitest';
import { patchMetaFor } from '../../api/patch-meta.js';
import { ApiError } from '../errors.js';
import { strategicMergePatch } from './strategic.js';

const POD = { group: '', kind: 'Pod' };
const DEPLOYMENT = { group: 'apps', kind: 'Deployment' };
const NODE = { group: '', kind: 'Node' };
const SERVICE = { group: '', kind: 'Service' };
const PDB = { group: 'policy', kind: 'PodDisruptionBudget' };
const CONFIGMAP = { group: '', kind: 'ConfigMap' };

const c = (name: string, extra: Record<string, unknown> = {}) => ({ name, image: `${name}:1`, ...extra });
const podSpec = (spec: Record<string, unknown>) => ({ spec });
const template = (spec: Record<string, unknown>) => ({ spec: { template: { spec } } });

interface Case {
  name: string;
  kind: { group: string; kind: string };
  original: Record<string, unknown>;
  patch: Record<string, unknown>;
  want: Record<string, unknown>;
}

// Each case is what the Kubernetes API server answers for the same object and patch.
const cases: Case[] = [
  {
    name: 'maps merge and null deletes a key',
    kind: POD,
    original: { metadata: { name: 'p', labels: { a: '1', b: '2' } } },
    patch: { metadata: { labels: { a: null, c: '3' } } },
    want: { metadata: { name: 'p', labels: { b: '2', c: '3' } } },
  },
  {
    name: 'a null for an absent key changes nothing',
    kind: POD,
    original: { metadata: { name: 'p' } },
    patch: { metadata: { labels: null } },
    want: { metadata: { name: 'p' } },
  },
  {
    name: 'containers merge by name: one changed, the other kept',
    kind: POD,
    original: podSpec({ containers: [c('a'), c('b')] }),
    patch: podSpec({ containers: [{ name: 'b', image: 'b:2' }] }),
    want: podSpec({ containers: [c('a'), { name: 'b', image: 'b:2' }] }),
  },
  {
    name: 'a new container without $setElementOrder goes before the server-only ones',
    kind: POD,
    original: podSpec({ containers: [c('a'), c('b')] }),
    patch: podSpec({ containers: [c('new')] }),
    want: podSpec({ containers: [c('new'), c('a'), c('b')] }),
  },
  {
    name: '$setElementOrder places new and existing containers',
    kind: POD,
    original: podSpec({ containers: [c('a'), c('b')] }),
    patch: podSpec({ '$setElementOrder/containers': [{ name: 'a' }, { name: 'new' }, { name: 'b' }], containers: [c('new')] }),
    want: podSpec({ containers: [c('a'), c('new'), c('b')] }),
  },
  {
    name: '$setElementOrder alone reorders, server-only elements keep their place',
    kind: POD,
    original: podSpec({ containers: [c('a'), c('b'), c('s')] }),
    patch: podSpec({ '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] }),
    want: podSpec({ containers: [c('b'), c('a'), c('s')] }),
  },
  {
    name: '$setElementOrder reorders; server-only elements stay after the patched one they followed',
    kind: POD,
    original: podSpec({ containers: ['1', '2', '7', '9', '8', '3', '4'].map((n) => c(n)) }),
    patch: podSpec({ '$setElementOrder/containers': ['2', '1', '4', '3'].map((name) => ({ name })) }),
    want: podSpec({ containers: ['2', '1', '7', '9', '8', '4', '3'].map((n) => c(n)) }),
  },
  {
    name: 'duplicate keys (env allows them) both follow the first place of the key in the order',
    kind: POD,
    original: podSpec({ containers: [c('a', { env: [{ name: '1' }, { name: '2', value: 'dup1' }, { name: '3' }, { name: '2', value: 'dup2' }, { name: '4' }] })] }),
    patch: podSpec({ containers: [{ name: 'a', '$setElementOrder/env': ['2', '1', '4', '3', '2'].map((name) => ({ name })) }] }),
    want: podSpec({ containers: [c('a', { env: [{ name: '2', value: 'dup1' }, { name: '2', value: 'dup2' }, { name: '1' }, { name: '4' }, { name: '3' }] })] }),
  },
  {
    name: '$patch: delete removes the element with that key',
    kind: POD,
    original: podSpec({ containers: [c('a'), c('b')] }),
    patch: podSpec({ containers: [{ name: 'a', $patch: 'delete' }] }),
    want: podSpec({ containers: [c('b')] }),
  },
  {
    name: '$patch: delete of a missing element is a no-op; add and delete in one patch',
    kind: POD,
    original: podSpec({ containers: [c('a')] }),
    patch: podSpec({ '$setElementOrder/containers': [{ name: 'a' }, { name: 'n' }], containers: [{ name: 'x', $patch: 'delete' }, c('n')] }),
    want: podSpec({ containers: [c('a'), c('n')] }),
  },
  {
    name: '$patch: replace in a list replaces it with the other elements',
    kind: POD,
    original: podSpec({ containers: [c('a'), c('b')] }),
    patch: podSpec({ containers: [{ $patch: 'replace' }, c('z')] }),
    want: podSpec({ containers: [c('z')] }),
  },
  {
    name: '$patch: replace in a map replaces the map',
    kind: POD,
    original: podSpec({ nodeSelector: { disk: 'ssd', zone: 'a' } }),
    patch: podSpec({ nodeSelector: { $patch: 'replace', zone: 'b' } }),
    want: podSpec({ nodeSelector: { zone: 'b' } }),
  },
  {
    name: '$patch: delete in a map empties it',
    kind: POD,
    original: podSpec({ nodeSelector: { disk: 'ssd' } }),
    patch: podSpec({ nodeSelector: { $patch: 'delete' } }),
    want: podSpec({ nodeSelector: {} }),
  },
  {
    name: 'env merges by name inside a container; null clears a field of an element',
    kind: DEPLOYMENT,
    original: template({ containers: [c('a', { env: [{ name: 'X', value: '1' }, { name: 'Y', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] })] }),
    patch: template({ containers: [{ name: 'a', env: [{ name: 'Y', value: 'y', valueFrom: null }, { name: 'X', $patch: 'delete' }] }] }),
    want: template({ containers: [c('a', { env: [{ name: 'Y', value: 'y' }] })] }),
  },
  {
    name: 'ports merge by containerPort',
    kind: POD,
    original: podSpec({ containers: [c('a', { ports: [{ containerPort: 80, name: 'http' }] })] }),
    patch: podSpec({ containers: [{ name: 'a', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443 }] }] }),
    want: podSpec({ containers: [c('a', { ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }, { containerPort: 443 }] })] }),
  },
  {
    name: 'lists without patch strategy are replaced (tolerations, args)',
    kind: POD,
    original: podSpec({ tolerations: [{ key: 'a', operator: 'Exists' }], containers: [c('a', { args: ['x', 'y'] })] }),
    patch: podSpec({ tolerations: [{ key: 'b', operator: 'Exists' }], containers: [{ name: 'a', args: ['z'] }] }),
    want: podSpec({ tolerations: [{ key: 'b', operator: 'Exists' }], containers: [c('a', { args: ['z'] })] }),
  },
  {
    name: 'Node taints are atomic: the patch list is the new list',
    kind: NODE,
    original: { spec: { taints: [{ key: 'a', effect: 'NoSchedule' }, { key: 'b', effect: 'NoExecute' }] } },
    patch: { spec: { taints: [{ key: 'b', effect: 'NoExecute' }] } },
    want: { spec: { taints: [{ key: 'b', effect: 'NoExecute' }] } },
  },
  {
    name: 'finalizers merge as a set',
    kind: CONFIGMAP,
    original: { metadata: { finalizers: ['a', 'b'] } },
    patch: { metadata: { '$setElementOrder/finalizers': ['a', 'b', 'c'], finalizers: ['a', 'c'] } },
    want: { metadata: { finalizers: ['a', 'b', 'c'] } },
  },
  {
    name: '$deleteFromPrimitiveList removes values, all duplicates',
    kind: CONFIGMAP,
    original: { metadata: { finalizers: ['a', 'b', 'a', 'c'] } },
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['a', 'z'] } },
    want: { metadata: { finalizers: ['b', 'c'] } },
  },
  {
    name: '$deleteFromPrimitiveList on an absent list does not create it',
    kind: CONFIGMAP,
    original: { metadata: { name: 'x' } },
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } },
    want: { metadata: { name: 'x' } },
  },
  {
    name: 'Node podCIDRs merge as a set (new value before server-only ones)',
    kind: NODE,
    original: { spec: { podCIDRs: ['10.0.0.0/24'] } },
    patch: { spec: { podCIDRs: ['fd00::/64'] } },
    want: { spec: { podCIDRs: ['fd00::/64', '10.0.0.0/24'] } },
  },
  {
    name: 'ownerReferences merge by uid',
    kind: POD,
    original: { metadata: { ownerReferences: [{ uid: 'u1', name: 'rs', kind: 'ReplicaSet' }] } },
    patch: { metadata: { ownerReferences: [{ uid: 'u1', controller: true }] } },
    want: { metadata: { ownerReferences: [{ uid: 'u1', name: 'rs', kind: 'ReplicaSet', controller: true }] } },
  },
  {
    name: 'Deployment strategy: $retainKeys clears the fields the client no longer sets',
    kind: DEPLOYMENT,
    original: { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } },
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } } },
    want: { spec: { strategy: { type: 'Recreate' } } },
  },
  {
    name: 'volumes merge by name and $retainKeys switches the volume source',
    kind: POD,
    original: podSpec({ volumes: [{ name: 'v', emptyDir: {} }, { name: 'w', emptyDir: {} }] }),
    patch: podSpec({ volumes: [{ name: 'v', $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' } }] }),
    want: podSpec({ volumes: [{ name: 'v', configMap: { name: 'cm' } }, { name: 'w', emptyDir: {} }] }),
  },
  {
    name: 'a new list element carrying $retainKeys loses the directive',
    kind: POD,
    original: podSpec({ volumes: [] }),
    patch: podSpec({ volumes: [{ name: 'v', $retainKeys: ['name', 'emptyDir'], emptyDir: {} }] }),
    want: podSpec({ volumes: [{ name: 'v', emptyDir: {} }] }),
  },
  {
    name: 'Service ports merge by port',
    kind: SERVICE,
    original: { spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } },
    patch: { spec: { ports: [{ port: 80, targetPort: 9090 }] } },
    want: { spec: { ports: [{ port: 80, targetPort: 9090 }, { port: 443 }] } },
  },
  {
    name: 'Node conditions merge by type',
    kind: NODE,
    original: { status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'MemoryPressure', status: 'False' }] } },
    patch: { status: { '$setElementOrder/conditions': [{ type: 'Ready' }, { type: 'MemoryPressure' }], conditions: [{ type: 'Ready', status: 'False' }] } },
    want: { status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'MemoryPressure', status: 'False' }] } },
  },
  {
    name: 'PDB selector has strategy replace: matchLabels are not merged',
    kind: PDB,
    original: { spec: { selector: { matchLabels: { a: '1' } } } },
    patch: { spec: { selector: { matchLabels: { b: '2' } } } },
    want: { spec: { selector: { matchLabels: { b: '2' } } } },
  },
  {
    name: 'a value of another JSON type replaces the original; nulls in a new subtree are dropped',
    kind: POD,
    original: podSpec({ hostname: 'h' }),
    patch: podSpec({ hostname: 'g', securityContext: { runAsUser: 1, runAsGroup: null } }),
    want: podSpec({ hostname: 'g', securityContext: { runAsUser: 1 } }),
  },
  {
    name: 'kubectl cordon: unschedulable set on the spec',
    kind: NODE,
    original: { metadata: { name: 'n' }, spec: { podCIDR: '10.0.0.0/24' } },
    patch: { spec: { unschedulable: true } },
    want: { metadata: { name: 'n' }, spec: { podCIDR: '10.0.0.0/24', unschedulable: true } },
  },
  {
    name: 'containers inside a Deployment template merge the same way as in a Pod',
    kind: DEPLOYMENT,
    original: { metadata: { name: 'd' }, ...template({ containers: [c('a'), c('b')] }) },
    patch: template({ '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'a', image: 'a:2' }, { name: 'b', $patch: 'delete' }] }),
    want: { metadata: { name: 'd' }, ...template({ containers: [{ name: 'a', image: 'a:2' }] }) },
  },
];

describe('strategicMergePatch', () => {
  it.each(cases)('$name', ({ kind, original, patch, want }) => {
    const before = JSON.stringify([original, patch]);
    expect(strategicMergePatch(original, patch, patchMetaFor(kind))).toEqual(want);
    expect(JSON.stringify([original, patch])).toBe(before);
  });

  interface Refusal {
    name: string;
    kind: { group: string; kind: string };
    patch: Record<string, unknown>;
    code: number;
    message: RegExp;
  }
  const original = { metadata: { name: 'p', finalizers: ['a'] }, ...podSpec({ containers: [c('a')], nodeSelector: { a: 'b' } }) };
  const refusals: Refusal[] = [
    { name: 'an unknown $ directive', kind: POD, patch: podSpec({ $frobnicate: true }), code: 400, message: /\$frobnicate/ },
    { name: 'an unknown $patch in a map', kind: POD, patch: podSpec({ nodeSelector: { $patch: 'bogus' } }), code: 400, message: /unknown patch type: "bogus"/ },
    { name: 'an unknown $patch in a list', kind: POD, patch: podSpec({ containers: [{ name: 'a', $patch: 'bogus' }] }), code: 400, message: /unknown patch type: "bogus"/ },
    { name: '$patch: merge in a list', kind: POD, patch: podSpec({ containers: [{ $patch: 'merge' }] }), code: 400, message: /merging lists cannot yet be specified/ },
    { name: 'an element without its merge key', kind: POD, patch: podSpec({ containers: [{ image: 'x' }] }), code: 400, message: /merge key: name/ },
    { name: 'a delete without the merge key', kind: POD, patch: podSpec({ containers: [{ $patch: 'delete' }] }), code: 400, message: /merge key: name/ },
    {
      name: '$setElementOrder disagreeing with the patch list',
      kind: POD,
      patch: podSpec({ '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }], containers: [c('b'), c('a')] }),
      code: 400,
      message: /does not match \$setElementOrder\/containers/,
    },
    { name: 'a field set outside $retainKeys', kind: POD, patch: podSpec({ $retainKeys: ['containers'], hostname: 'h' }), code: 400, message: /"hostname" is set but not in \$retainKeys/ },
    { name: '$setElementOrder without a field', kind: POD, patch: { metadata: { '$setElementOrder/': [] } }, code: 400, message: /names no field/ },
    { name: 'a list of lists in a merging list', kind: POD, patch: { metadata: { finalizers: [['x']] } }, code: 400, message: /lists of lists/ },
    { name: 'a custom resource (no patch metadata)', kind: { group: 'example.com', kind: 'Widget' }, patch: { spec: {} }, code: 415, message: /merge-patch\+json/ },
  ];
  it.each(refusals)('refuses $name with $code', ({ kind, patch, code, message }) => {
    let caught: unknown;
    try {
      strategicMergePatch(original, patch, patchMetaFor(kind));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ApiError);
    expect((caught as ApiError).code).toBe(code);
    expect((caught as ApiError).message).toMatch(message);
  });

  it('keeps a __proto__ key an ordinary field and leaves Object.prototype alone', () => {
    const patch = JSON.parse('{"metadata":{"__proto__":{"polluted":"yes"},"labels":{"__proto__":{"x":"y"}}}}') as Record<string, unknown>;
    const got = strategicMergePatch({ metadata: { labels: { a: '1' } } }, patch, patchMetaFor(POD));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    const metadata = got.metadata as Record<string, unknown>;
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
    expect(Object.keys(metadata)).toEqual(['labels', '__proto__']);
    expect(Object.keys(metadata.labels as object)).toEqual(['a', '__proto__']);
  });

  it('refuses a patch that is not a JSON object', () => {
    expect(() => strategicMergePatch({}, [], patchMetaFor(POD))).toThrow(/must be a JSON object/);
  });
});
