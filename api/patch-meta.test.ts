import { describe, expect, it } from 'vitest';
import { patchMetaFor, type FieldPatchMeta, type PatchMeta } from './patch-meta.js';
import { BUILTIN_RESOURCES } from './resources.js';

/** The metadata at a dotted path below a kind's root (list fields step into their elements). */
function at(kind: { group: string; kind: string }, path: string): FieldPatchMeta {
  const parts = path.split('.');
  let meta: PatchMeta | undefined = patchMetaFor(kind);
  if (!meta) throw new Error(`no patch metadata for ${kind.kind}`);
  for (const p of parts.slice(0, -1)) meta = meta.child(p);
  return meta.field(parts.at(-1)!);
}

const core = (kind: string) => ({ group: '', kind });
const apps = (kind: string) => ({ group: 'apps', kind });

// Rows checked against the v1.32 Go types' patchStrategy/patchMergeKey tags.
describe('patchMetaFor', () => {
  it.each([
    [core('Pod'), 'spec.containers', { strategy: 'merge', mergeKey: 'name' }],
    [core('Pod'), 'spec.initContainers', { strategy: 'merge', mergeKey: 'name' }],
    [core('Pod'), 'spec.ephemeralContainers.env', { strategy: 'merge', mergeKey: 'name' }],
    [core('Pod'), 'spec.volumes', { strategy: 'merge,retainKeys', mergeKey: 'name' }],
    [core('Pod'), 'spec.containers.ports', { strategy: 'merge', mergeKey: 'containerPort' }],
    [core('Pod'), 'spec.containers.volumeMounts', { strategy: 'merge', mergeKey: 'mountPath' }],
    [core('Pod'), 'spec.containers.volumeDevices', { strategy: 'merge', mergeKey: 'devicePath' }],
    [core('Pod'), 'spec.imagePullSecrets', { strategy: 'merge', mergeKey: 'name' }],
    [core('Pod'), 'spec.hostAliases', { strategy: 'merge', mergeKey: 'ip' }],
    [core('Pod'), 'spec.tolerations', {}],
    [core('Pod'), 'spec.containers.args', {}],
    [core('Pod'), 'status.conditions', { strategy: 'merge', mergeKey: 'type' }],
    [core('Pod'), 'status.podIPs', { strategy: 'merge', mergeKey: 'ip' }],
    [core('Pod'), 'metadata.ownerReferences', { strategy: 'merge', mergeKey: 'uid' }],
    [core('Pod'), 'metadata.finalizers', { strategy: 'merge' }],
    [core('Node'), 'spec.taints', {}],
    [core('Node'), 'spec.podCIDRs', { strategy: 'merge' }],
    [core('Node'), 'status.addresses', { strategy: 'merge', mergeKey: 'type' }],
    [core('Service'), 'spec.ports', { strategy: 'merge', mergeKey: 'port' }],
    [core('ServiceAccount'), 'secrets', { strategy: 'merge', mergeKey: 'name' }],
    [core('Endpoints'), 'subsets', {}],
    [core('Namespace'), 'spec.finalizers', {}],
    [apps('Deployment'), 'spec.strategy', { strategy: 'retainKeys' }],
    [apps('Deployment'), 'spec.template.spec.containers.env', { strategy: 'merge', mergeKey: 'name' }],
    [apps('Deployment'), 'spec.template.metadata.finalizers', { strategy: 'merge' }],
    [apps('DaemonSet'), 'spec.template.spec.volumes', { strategy: 'merge,retainKeys', mergeKey: 'name' }],
    [apps('DaemonSet'), 'spec.updateStrategy', {}],
    [apps('ReplicaSet'), 'status.conditions', { strategy: 'merge', mergeKey: 'type' }],
    [{ group: 'batch', kind: 'Job' }, 'spec.template.spec.containers', { strategy: 'merge', mergeKey: 'name' }],
    [{ group: 'policy', kind: 'PodDisruptionBudget' }, 'spec.selector', { strategy: 'replace' }],
    [core('ConfigMap'), 'data', {}],
  ])('%o %s', (kind, path, want) => {
    const { type: _type, ...meta } = at(kind, path);
    expect(meta).toEqual(want);
  });

  it('covers every built-in kind skiff serves', () => {
    for (const t of BUILTIN_RESOURCES) expect(patchMetaFor(t), `${t.group}/${t.kind}`).toBeDefined();
  });

  it('has none for custom resources', () => {
    expect(patchMetaFor({ group: 'example.com', kind: 'Widget' })).toBeUndefined();
  });

  it('has nothing below a field without a type (toString-like names included)', () => {
    expect(at(core('Pod'), 'spec.nodeSelector.containers')).toEqual({});
    expect(at(core('Pod'), 'spec.constructor')).toEqual({});
  });
});
