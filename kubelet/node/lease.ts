// The node's heartbeat Lease in kube-node-lease: created with the Node as owner, renewed
// every --node-lease-renew-interval. The node lifecycle controller reads renewTime.

import type { Lease, Node } from '../../api/types.js';
import { isConflict, isNotFound } from '../../client/errors.js';
import type { ApiClient } from '../../client/interfaces.js';
import type { Logger } from '../../client/log.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

/** metav1.MicroTime: RFC 3339 with microseconds. */
export function microTime(d: Date): string {
  return d.toISOString().replace(/Z$/, '000Z');
}

export interface NodeLeaseOptions {
  client: ApiClient;
  nodeName: string;
  renewIntervalMs: number;
  leaseDurationSeconds?: number;
  log: Logger;
}

export class NodeLease {
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private nodeUid?: string;

  constructor(private readonly o: NodeLeaseOptions) {}

  private desired(existing?: Lease): Lease {
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        ...(existing?.metadata ?? {}),
        name: this.o.nodeName,
        namespace: NODE_LEASE_NAMESPACE,
        ...(this.nodeUid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.o.nodeName, uid: this.nodeUid }] } : {}),
      },
      spec: { holderIdentity: this.o.nodeName, leaseDurationSeconds: this.o.leaseDurationSeconds ?? 40, renewTime: microTime(new Date()) },
    };
  }

  async renew(): Promise<Lease> {
    const leases = this.o.client.for<Lease>('leases');
    if (!this.nodeUid) {
      try {
        this.nodeUid = (await this.o.client.for<Node>('nodes').get(undefined, this.o.nodeName)).metadata?.uid;
      } catch {
        // owner reference added on a later renewal
      }
    }
    let existing: Lease | undefined;
    try {
      existing = await leases.get(NODE_LEASE_NAMESPACE, this.o.nodeName);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (!existing) return leases.create(NODE_LEASE_NAMESPACE, this.desired());
    try {
      return await leases.update(this.desired(existing));
    } catch (err) {
      if (!isConflict(err)) throw err;
      return leases.update(this.desired(await leases.get(NODE_LEASE_NAMESPACE, this.o.nodeName)));
    }
  }

  start(): void {
    const loop = async (): Promise<void> => {
      if (this.stopped) return;
      try {
        await this.renew();
      } catch (err) {
        this.o.log.warn({ err: (err as Error).message }, 'node lease renewal failed');
      }
      if (!this.stopped) this.timer = setTimeout(() => void loop(), this.o.renewIntervalMs);
    };
    void loop();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
