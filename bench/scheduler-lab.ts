// Node objects standing in for kubelets, for the scheduler's integration tests and benchmark:
// a Node registered through the API with allocatable and Ready set through /status, and (for
// long runs) its Lease in kube-node-lease renewed and its Ready heartbeat refreshed as a
// kubelet would, so nothing marks it unreachable.

import type { Lease, Node, Taint } from '../api/types.js';
import { isAlreadyExists, isNotFound } from '../client/errors.js';
import type { ApiClient } from '../client/interfaces.js';

export interface LabNodeOpts {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: Taint[];
}

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export async function createLabNode(client: ApiClient, name: string, o: LabNodeOpts = {}): Promise<Node> {
  const nodes = client.for<Node>('nodes');
  const created = await nodes.create(undefined, {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...o.labels } },
    spec: o.taints ? { taints: o.taints } : {},
  });
  const resources = { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: o.pods ?? '110' };
  return nodes.updateStatus({
    ...created,
    status: {
      capacity: resources,
      allocatable: resources,
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'lab node', lastHeartbeatTime: now(), lastTransitionTime: now() }],
    },
  });
}

export async function deleteLabNodes(client: ApiClient, names: readonly string[]): Promise<void> {
  await Promise.all(
    names.map((n) =>
      client
        .for<Node>('nodes')
        .delete(undefined, n)
        .catch((err: unknown) => {
          if (!isNotFound(err)) throw err;
        }),
    ),
  );
}

/** Renews each node's Lease every `intervalMs` until `signal` aborts, as kubelets do. */
export async function keepNodesAlive(client: ApiClient, names: readonly string[], intervalMs: number, signal: AbortSignal): Promise<void> {
  const leases = client.for<Lease>('leases');
  const renew = async (name: string) => {
    const spec = { holderIdentity: name, leaseDurationSeconds: 40, renewTime: new Date().toISOString().replace('Z', '000Z') };
    try {
      const lease = await leases.get('kube-node-lease', name);
      await leases.update({ ...lease, spec: { ...lease.spec, ...spec } });
    } catch (err) {
      if (!isNotFound(err)) return;
      await leases.create('kube-node-lease', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec }).catch((e: unknown) => {
        if (!isAlreadyExists(e)) throw e;
      });
    }
  };
  while (!signal.aborted) {
    // A few at a time: 1,000 nodes must not flood the server the scheduler is measured on.
    for (let i = 0; i < names.length && !signal.aborted; i += 20) await Promise.all(names.slice(i, i + 20).map(renew));
    await new Promise<void>((r) => {
      const t = setTimeout(r, intervalMs);
      signal.addEventListener('abort', () => (clearTimeout(t), r()), { once: true });
    });
  }
}
