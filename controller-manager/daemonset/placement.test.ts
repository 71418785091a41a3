import { describe, expect, it } from 'vitest';
import { daemonPod, nodeVerdict, targetNode } from './placement.js';
import type { DaemonSet, Node } from '../types.js';

function ds(spec: Partial<NonNullable<NonNullable<DaemonSet['spec']>['template']['spec']>> = {}): DaemonSet {
  return { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'kube-system' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } } } };
}

function node(labels: Record<string, string> = {}, spec: Node['spec'] = {}): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels }, spec };
}

describe('nodeVerdict', () => {
  it.each([
    { name: 'plain node', d: ds(), n: node(), run: true, stay: true },
    { name: 'nodeSelector mismatch', d: ds({ nodeSelector: { disk: 'ssd' } }), n: node({ disk: 'hdd' }), run: false, stay: false },
    { name: 'nodeSelector match', d: ds({ nodeSelector: { disk: 'ssd' } }), n: node({ disk: 'ssd' }), run: true, stay: true },
    {
      name: 'required affinity',
      d: ds({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }] } } } }),
      n: node({ zone: 'c' }),
      run: false,
      stay: false,
    },
    { name: 'NoSchedule taint: no new pod, old one stays', d: ds(), n: node({}, { taints: [{ key: 'dedicated', effect: 'NoSchedule' }] }), run: false, stay: true },
    { name: 'NoExecute taint: leave', d: ds(), n: node({}, { taints: [{ key: 'dedicated', effect: 'NoExecute' }] }), run: false, stay: false },
    { name: 'tolerated taint', d: ds({ tolerations: [{ key: 'dedicated', operator: 'Exists' }] }), n: node({}, { taints: [{ key: 'dedicated', effect: 'NoExecute' }] }), run: true, stay: true },
    { name: 'unreachable node keeps its daemon', d: ds(), n: node({}, { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] }), run: true, stay: true },
    { name: 'unschedulable node still runs daemons', d: ds(), n: node({}, { unschedulable: true }), run: true, stay: true },
  ])('$name', ({ d, n, run, stay }) => {
    expect(nodeVerdict(d, n)).toEqual({ shouldRun: run, shouldContinueRunning: stay });
  });
});

describe('daemonPod', () => {
  it('pins the pod to its node by matchFields and adds the daemon tolerations', () => {
    const p = daemonPod(ds({ tolerations: [{ key: 'x', operator: 'Exists' }] }), 'n7', 'abc', []);
    expect(p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toEqual({ nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n7'] }] }] });
    expect(p.spec?.tolerations?.map((t) => t.key)).toEqual(['x', 'node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable', 'node.kubernetes.io/disk-pressure', 'node.kubernetes.io/memory-pressure', 'node.kubernetes.io/pid-pressure', 'node.kubernetes.io/unschedulable']);
    expect(p.metadata?.labels).toEqual({ app: 'agent', 'controller-revision-hash': 'abc' });
    expect(targetNode(p)).toBe('n7');
  });
});
