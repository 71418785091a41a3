import { describe, expect, it } from 'vitest';
import { BUILTIN_RESOURCES, type ResourceType } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { toTable } from './index.js';

const now = new Date('2026-01-03T12:00:00Z');
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: '2026-01-03T11:00:00Z', ...extra });

function typeOf(kind: string): ResourceType {
  const t = BUILTIN_RESOURCES.find((r) => r.kind === kind);
  if (!t) throw new Error(kind);
  return t;
}

/** kind, object, the column names in order (wide ones marked `+`), the cells. */
const cases: Array<[string, Record<string, unknown>, string[], unknown[]]> = [
  [
    'Node',
    {
      metadata: { name: 'n1', creationTimestamp: '2026-01-01T10:00:00Z', labels: { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/worker': 'true' } },
      spec: { unschedulable: true },
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        addresses: [{ type: 'InternalIP', address: '10.200.0.10' }, { type: 'Hostname', address: 'n1' }],
        nodeInfo: { kubeletVersion: 'v1.32.0+skiff', osImage: 'Debian GNU/Linux 12', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://1.6.20' },
      },
    },
    ['Name', 'Status', 'Roles', 'Age', 'Version', '+Internal-IP', '+External-IP', '+OS-Image', '+Kernel-Version', '+Container-Runtime'],
    ['n1', 'Ready,SchedulingDisabled', 'control-plane,worker', '2d2h', 'v1.32.0+skiff', '10.200.0.10', '<none>', 'Debian GNU/Linux 12', '6.1.0', 'containerd://1.6.20'],
  ],
  [
    'Node',
    { metadata: { name: 'n2', creationTimestamp: '2026-01-03T11:59:50Z' }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } },
    ['Name', 'Status', 'Roles', 'Age', 'Version', '+Internal-IP', '+External-IP', '+OS-Image', '+Kernel-Version', '+Container-Runtime'],
    ['n2', 'NotReady', '<none>', '10s', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>'],
  ],
  ['Namespace', { metadata: { name: 'team', creationTimestamp: '2026-01-03T08:00:00Z' }, status: { phase: 'Terminating' } }, ['Name', 'Status', 'Age'], ['team', 'Terminating', '4h']],
  [
    'Service',
    {
      metadata: meta('web'),
      spec: { type: 'NodePort', clusterIP: '10.96.0.12', clusterIPs: ['10.96.0.12'], selector: { app: 'web', tier: 'front' }, ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] },
    },
    ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', '+Selector'],
    ['web', 'NodePort', '10.96.0.12', '<none>', '80:30080/TCP,53/UDP', '60m', 'app=web,tier=front'],
  ],
  [
    'Service',
    { metadata: meta('lb'), spec: { type: 'LoadBalancer', clusterIPs: ['10.96.0.13'], ports: [{ port: 443, protocol: 'TCP', nodePort: 31443 }] } },
    ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', '+Selector'],
    ['lb', 'LoadBalancer', '10.96.0.13', '<pending>', '443:31443/TCP', '60m', '<none>'],
  ],
  [
    'Service',
    { metadata: meta('db'), spec: { type: 'ExternalName', externalName: 'db.example.com' } },
    ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', '+Selector'],
    ['db', 'ExternalName', '<none>', 'db.example.com', '<none>', '60m', '<none>'],
  ],
  [
    'Endpoints',
    {
      metadata: meta('web'),
      subsets: [{ addresses: [{ ip: '10.244.0.2' }, { ip: '10.244.0.3' }], ports: [{ port: 8080 }, { port: 9090 }] }],
    },
    ['Name', 'Endpoints', 'Age'],
    ['web', '10.244.0.2:8080,10.244.0.3:8080,10.244.0.2:9090 + 1 more...', '60m'],
  ],
  ['Endpoints', { metadata: meta('none') }, ['Name', 'Endpoints', 'Age'], ['none', '<none>', '60m']],
  [
    'Event',
    {
      metadata: meta('web.1'),
      involvedObject: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{app}' },
      reason: 'Pulled', type: 'Normal', message: 'Container image pulled\n', count: 3,
      firstTimestamp: '2026-01-03T11:00:00Z', lastTimestamp: '2026-01-03T11:58:00Z',
      source: { component: 'kubelet', host: 'n1' },
    },
    ['Last Seen', 'Type', 'Reason', 'Object', '+Subobject', '+Source', 'Message', '+First Seen', '+Count', '+Name'],
    ['2m', 'Normal', 'Pulled', 'pod/web', 'spec.containers{app}', 'kubelet, n1', 'Container image pulled', '60m', 3, 'web.1'],
  ],
  [
    'Event',
    { metadata: meta('web.2'), involvedObject: { kind: 'Node' }, reason: 'Starting', type: 'Normal', message: 'x', eventTime: '2026-01-03T11:59:00.000000Z', reportingComponent: 'kubelet' },
    ['Last Seen', 'Type', 'Reason', 'Object', '+Subobject', '+Source', 'Message', '+First Seen', '+Count', '+Name'],
    ['60s', 'Normal', 'Starting', 'node', '', 'kubelet', 'x', '60s', 1, 'web.2'],
  ],
  ['ConfigMap', { metadata: meta('cfg'), data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }, ['Name', 'Data', 'Age'], ['cfg', 3, '60m']],
  ['Secret', { metadata: meta('tok'), type: 'Opaque', data: { a: 'MQ==' } }, ['Name', 'Type', 'Data', 'Age'], ['tok', 'Opaque', 1, '60m']],
  ['ServiceAccount', { metadata: meta('default') }, ['Name', 'Secrets', 'Age'], ['default', 0, '60m']],
  [
    'Deployment',
    {
      metadata: meta('web'),
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'app', image: 'busybox' }, { name: 'side', image: 'pause' }] } } },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    },
    ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', '+Containers', '+Images', '+Selector'],
    ['web', '2/3', 3, 2, '60m', 'app,side', 'busybox,pause', 'app=web'],
  ],
  [
    'ReplicaSet',
    { metadata: meta('web-abc'), spec: { replicas: 2, selector: { matchLabels: { app: 'web', 'pod-template-hash': 'abc' } }, template: { spec: { containers: [{ name: 'app', image: 'busybox' }] } } }, status: { replicas: 2, readyReplicas: 1 } },
    ['Name', 'Desired', 'Current', 'Ready', 'Age', '+Containers', '+Images', '+Selector'],
    ['web-abc', 2, 2, 1, '60m', 'app', 'busybox', 'app=web,pod-template-hash=abc'],
  ],
  [
    'DaemonSet',
    {
      metadata: meta('agent'),
      spec: { selector: { matchLabels: { app: 'agent' } }, template: { spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'a', image: 'busybox' }] } } },
      status: { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 1, updatedNumberScheduled: 2, numberAvailable: 1 },
    },
    ['Name', 'Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age', '+Containers', '+Images', '+Selector'],
    ['agent', 2, 2, 1, 2, 1, 'kubernetes.io/os=linux', '60m', 'a', 'busybox', 'app=agent'],
  ],
  [
    'ControllerRevision',
    { metadata: meta('agent-1', { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'u', controller: true }] }), revision: 4 },
    ['Name', 'Controller', 'Revision', 'Age'],
    ['agent-1', 'daemonset.apps/agent', 4, '60m'],
  ],
  [
    'Job',
    {
      metadata: meta('pi'),
      spec: { completions: 3, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'x' } }, template: { spec: { containers: [{ name: 'pi', image: 'busybox' }] } } },
      status: { succeeded: 3, startTime: '2026-01-03T11:00:00Z', completionTime: '2026-01-03T11:03:02Z', conditions: [{ type: 'Complete', status: 'True' }] },
    },
    ['Name', 'Status', 'Completions', 'Duration', 'Age', '+Containers', '+Images', '+Selector'],
    ['pi', 'Complete', '3/3', '3m2s', '60m', 'pi', 'busybox', 'batch.kubernetes.io/controller-uid=x'],
  ],
  [
    'Job',
    { metadata: meta('queue'), spec: { parallelism: 4, template: { spec: { containers: [] } } }, status: { succeeded: 0, startTime: '2026-01-03T11:59:30Z' } },
    ['Name', 'Status', 'Completions', 'Duration', 'Age', '+Containers', '+Images', '+Selector'],
    ['queue', 'Running', '0/1 of 4', '30s', '60m', '', '', ''],
  ],
  ['Lease', { metadata: meta('skiff-scheduler'), spec: { holderIdentity: 'host_1234' } }, ['Name', 'Holder', 'Age'], ['skiff-scheduler', 'host_1234', '60m']],
  [
    'EndpointSlice',
    {
      metadata: meta('web-x7k'),
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: [{ addresses: ['10.244.0.2'] }, { addresses: ['10.244.0.3'] }, { addresses: ['10.244.1.2'] }, { addresses: ['10.244.1.3'] }],
    },
    ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age'],
    ['web-x7k', 'IPv4', '8080', '10.244.0.2,10.244.0.3,10.244.1.2 + 1 more...', '60m'],
  ],
  ['EndpointSlice', { metadata: meta('empty'), addressType: 'IPv4', endpoints: [] }, ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age'], ['empty', 'IPv4', '<unset>', '<unset>', '60m']],
  [
    'PodDisruptionBudget',
    { metadata: meta('web'), spec: { minAvailable: '50%' }, status: { disruptionsAllowed: 1 } },
    ['Name', 'Min Available', 'Max Unavailable', 'Allowed Disruptions', 'Age'],
    ['web', '50%', 'N/A', 1, '60m'],
  ],
  [
    'PriorityClass',
    { metadata: { name: 'high', creationTimestamp: '2026-01-03T11:00:00Z' }, value: 1000, globalDefault: true, preemptionPolicy: 'Never' },
    ['Name', 'Value', 'Global-Default', 'Age', 'PreemptionPolicy'],
    ['high', 1000, true, '60m', 'Never'],
  ],
  [
    'CustomResourceDefinition',
    { metadata: { name: 'widgets.example.com', creationTimestamp: '2026-01-03T11:00:00Z' }, spec: {} },
    ['Name', 'Created At'],
    ['widgets.example.com', '2026-01-03T11:00:00Z'],
  ],
];

describe('toTable', () => {
  it.each(cases)('%s', (kind, obj, columns, cells) => {
    const table = toTable(typeOf(kind), [obj as KubeObject], { includeObject: 'None', now });
    expect(table.columnDefinitions.map((c) => (c.priority === 1 ? `+${c.name}` : c.name))).toEqual(columns);
    expect(table.rows).toEqual([{ cells }]);
  });

  it('gives kinds without a printer NAME and AGE', () => {
    const crd: ResourceType = { ...typeOf('ConfigMap'), group: 'example.com', kind: 'Widget', resource: 'widgets' };
    const table = toTable(crd, [{ metadata: meta('w1') }], { includeObject: 'None', now });
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Age']);
    expect(table.rows[0].cells).toEqual(['w1', '60m']);
  });

  it('carries list metadata and the object as asked', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('cfg') };
    const withMeta = toTable(typeOf('ConfigMap'), [cm], { includeObject: 'Metadata', listMeta: { resourceVersion: '42', continue: 'tok' }, now });
    expect(withMeta).toMatchObject({ apiVersion: 'meta.k8s.io/v1', kind: 'Table', metadata: { resourceVersion: '42', continue: 'tok' } });
    expect(withMeta.rows[0].object).toEqual({ apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadata', metadata: cm.metadata });
    expect(toTable(typeOf('ConfigMap'), [cm], { includeObject: 'Object', now }).rows[0].object).toBe(cm);
    expect(toTable(typeOf('ConfigMap'), [cm], { includeObject: 'None', now }).rows[0]).not.toHaveProperty('object');
    expect(toTable(typeOf('ConfigMap'), [], { includeObject: 'None', now })).toMatchObject({ metadata: {}, rows: [] });
  });
});
