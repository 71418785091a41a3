import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/types.js';
import { planDrain, type DrainFilterFlags } from './drain-filters.js';

function pod(name: string, opts: { owner?: string; emptyDir?: boolean; mirror?: boolean; phase?: string } = {}): Pod {
  const [kind, owner] = opts.owner?.split('/') ?? [];
  return {
    metadata: {
      name,
      namespace: 'default',
      ownerReferences: kind ? [{ apiVersion: 'apps/v1', kind, name: owner, uid: `${owner}-uid`, controller: true }] : undefined,
      annotations: opts.mirror ? { 'kubernetes.io/config.mirror': 'abc' } : undefined,
    },
    spec: { containers: [{ name: 'c', image: 'busybox' }], volumes: opts.emptyDir ? [{ name: 'scratch', emptyDir: {} }] : undefined },
    status: { phase: opts.phase ?? 'Running' },
  };
}

const none: DrainFilterFlags = { ignoreDaemonsets: false, force: false, deleteEmptydirData: false };
const pods = {
  web: pod('web-1', { owner: 'ReplicaSet/web-5d' }),
  agent: pod('agent-x', { owner: 'DaemonSet/agent' }),
  orphanAgent: pod('old-agent-y', { owner: 'DaemonSet/old-agent' }),
  bare: pod('bare'),
  bareDone: pod('bare-done', { phase: 'Succeeded' }),
  scratch: pod('cache-1', { owner: 'ReplicaSet/cache-7', emptyDir: true }),
  scratchDone: pod('cache-done', { owner: 'ReplicaSet/cache-7', emptyDir: true, phase: 'Failed' }),
  mirror: pod('etcd-node-0', { mirror: true, owner: 'Node/node-0' }),
  bareScratch: pod('bare-scratch', { emptyDir: true }),
};
const exists = (_ns: string, name: string) => name === 'agent';

describe('planDrain', () => {
  it.each([
    { name: 'managed pods go', in: [pods.web], flags: none, remove: ['web-1'], warnings: [], errors: [] },
    { name: 'a DaemonSet pod stops the drain', in: [pods.web, pods.agent], flags: none, remove: ['web-1'], warnings: [], errors: ['cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/agent-x'] },
    { name: '--ignore-daemonsets leaves it and warns', in: [pods.web, pods.agent], flags: { ...none, ignoreDaemonsets: true }, remove: ['web-1'], warnings: ['ignoring DaemonSet-managed Pods: default/agent-x'], errors: [] },
    { name: 'a pod of a deleted DaemonSet needs --force', in: [pods.orphanAgent], flags: { ...none, ignoreDaemonsets: true }, remove: [], warnings: [], errors: ['cannot delete Pods whose DaemonSet is gone (use --force to override): default/old-agent-y'] },
    { name: 'a pod of a deleted DaemonSet goes with --force', in: [pods.orphanAgent], flags: { ...none, force: true }, remove: ['old-agent-y'], warnings: ['deleting Pods whose DaemonSet is gone: default/old-agent-y'], errors: [] },
    { name: 'an unmanaged pod stops the drain', in: [pods.bare], flags: none, remove: [], warnings: [], errors: ['cannot delete Pods declare no controller (use --force to override): default/bare'] },
    { name: '--force removes it with a warning', in: [pods.bare], flags: { ...none, force: true }, remove: ['bare'], warnings: ['deleting Pods that declare no controller: default/bare'], errors: [] },
    { name: 'a finished unmanaged pod just goes', in: [pods.bareDone], flags: none, remove: ['bare-done'], warnings: [], errors: [] },
    { name: 'emptyDir needs --delete-emptydir-data', in: [pods.scratch], flags: none, remove: [], warnings: [], errors: ['cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache-1'] },
    { name: 'emptyDir goes with the flag', in: [pods.scratch], flags: { ...none, deleteEmptydirData: true }, remove: ['cache-1'], warnings: ['deleting Pods with local storage: default/cache-1'], errors: [] },
    { name: 'a finished emptyDir pod loses nothing', in: [pods.scratchDone], flags: none, remove: ['cache-done'], warnings: [], errors: [] },
    { name: 'mirror pods are left alone silently', in: [pods.mirror], flags: none, remove: [], warnings: [], errors: [] },
    { name: 'both local storage and no controller: both flags needed', in: [pods.bareScratch], flags: { ...none, deleteEmptydirData: true }, remove: [], warnings: ['deleting Pods with local storage: default/bare-scratch'], errors: ['cannot delete Pods declare no controller (use --force to override): default/bare-scratch'] },
    {
      name: 'pods of one reason are listed together',
      in: [pods.agent, pod('agent-z', { owner: 'DaemonSet/agent' })],
      flags: { ...none, ignoreDaemonsets: true },
      remove: [],
      warnings: ['ignoring DaemonSet-managed Pods: default/agent-x, default/agent-z'],
      errors: [],
    },
  ])('$name', (c) => {
    const plan = planDrain(c.in, c.flags, exists);
    expect(plan.remove.map((p) => p.metadata?.name)).toEqual(c.remove);
    expect(plan.warnings).toEqual(c.warnings);
    expect(plan.errors).toEqual(c.errors);
  });
});
