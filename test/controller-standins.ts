// Stand-ins for the scheduler and the kubelets in controller tests: a loop that binds every
// unbound pod to a node, reports bound pods Running with an IP and (when allowed) Ready, and
// finishes graceful deletes at once. `readyBudget` lets a test release readiness one pod at a
// time to walk a rolling update step by step.

import type { ApiClient } from '../client/interfaces.js';
import type { Node, Pod } from '../api/types.js';
import { isConflict, isNotFound } from '../client/errors.js';

export interface StandIns {
  /** Pods that may still become Ready; Infinity = all. */
  readyBudget: number;
  /** Nodes pods are bound to, round-robin. */
  nodes: string[];
  /** One pass over all pods (the loop also runs on its own). */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

const ts = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export function startStandIns(client: ApiClient, opts: { nodes?: string[]; intervalMs?: number; namespace?: string } = {}): StandIns {
  const pods = client.for<Pod>('pods');
  let next = 0;
  let ipCounter = 1;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const self: StandIns = {
    readyBudget: Infinity,
    nodes: opts.nodes ?? ['node-a', 'node-b'],
    async tick() {
      const list = await pods.list(opts.namespace);
      for (const p of list.items) {
        const { namespace, name } = p.metadata as { namespace: string; name: string };
        try {
          if (p.metadata?.deletionTimestamp) {
            await pods.delete(namespace, name, { gracePeriodSeconds: 0 });
          } else if (!p.spec?.nodeName) {
            await client.bindPod(namespace, name, self.nodes[next++ % self.nodes.length]);
          } else if (p.status?.phase !== 'Running' || (!isReady(p) && self.readyBudget > 0)) {
            const ready = self.readyBudget > 0;
            if (ready) self.readyBudget--;
            const ip = p.status?.podIP ?? `10.244.${(ipCounter >> 8) & 255}.${ipCounter++ & 255}`;
            await pods.updateStatus({
              ...p,
              status: { ...p.status, phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: ts() }] },
            });
          }
        } catch (err) {
          if (!isNotFound(err) && !isConflict(err)) throw err;
        }
      }
    },
    async stop() {
      stopped = true;
      await running;
    },
  };
  const loop = async (): Promise<void> => {
    while (!stopped) {
      await self.tick().catch(() => undefined);
      await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
    }
  };
  running = loop();
  return self;
}

export function isReady(p: Pod): boolean {
  return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export function nodeObject(name: string): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: {}, status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: ts() }] } };
}
