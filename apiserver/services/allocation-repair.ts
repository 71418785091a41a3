// Frees allocation records no Service holds any more: at once when a Service is deleted
// (from a watch on services), and in a periodic sweep that also catches creates that failed
// after their allocation and addresses a Service gave up on update. A record younger than
// the grace period is left alone: its Service's create may still be in flight.

import type { ResourceType } from '../../api/resources.js';
import type { Service } from '../../api/types.js';
import type { Logger } from '../../client/log.js';
import type { Store } from '../storage/store.js';
import { NODE_PORT_RECORDS, SERVICE_IP_RECORDS, type AllocationRecord, type ServiceAllocator } from './allocator.js';

export interface RepairOptions {
  store: Store;
  services: ResourceType;
  allocator: ServiceAllocator;
  log: Logger;
  intervalMs?: number;
  graceMs?: number;
}

/** What each Service holds, as record keys (`serviceipallocations/10.96.0.5`). */
function held(services: Service[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of services) {
    const owner = `${s.metadata?.namespace}/${s.metadata?.name}`;
    for (const ip of s.spec?.clusterIPs ?? (s.spec?.clusterIP ? [s.spec.clusterIP] : [])) {
      if (ip && ip !== 'None') out.set(`${SERVICE_IP_RECORDS.resource}/${ip}`, owner);
    }
    for (const p of s.spec?.ports ?? []) if (p.nodePort) out.set(`${NODE_PORT_RECORDS.resource}/${p.nodePort}`, owner);
  }
  return out;
}

export async function repairAllocations(opts: RepairOptions, now = Date.now()): Promise<number> {
  const services = (await opts.store.list(opts.services, {})).items as Service[];
  const holders = held(services);
  let freed = 0;
  for (const { type, record } of await opts.allocator.records()) {
    const key = `${type.resource}/${record.metadata?.name}`;
    if (holders.get(key) === `${record.service.namespace}/${record.service.name}`) continue;
    const age = now - Date.parse(String(record.metadata?.creationTimestamp ?? 0));
    if (age < (opts.graceMs ?? 30_000)) continue;
    await opts.allocator.deleteRecord(type, record as AllocationRecord);
    freed++;
  }
  if (freed) opts.log.debug({ freed }, 'released service addresses no service holds');
  return freed;
}

/** Runs the sweep periodically and releases a deleted Service's records at once. */
export function startAllocationRepair(opts: RepairOptions): { stop(): void } {
  let stopped = false;
  let current: { close(): void } | undefined;
  const sweep = () =>
    repairAllocations(opts).catch((err: unknown) => opts.log.debug({ err }, 'service address repair failed; will retry'));
  const timer = setInterval(sweep, opts.intervalMs ?? 60_000);
  timer.unref();
  void (async () => {
    while (!stopped) {
      try {
        // From the current state: the initial ADDED burst is ignored; deletes missed between
        // two watches are the periodic sweep's.
        const stream = await opts.store.watch(opts.services, {});
        current = stream;
        for await (const ev of stream) {
          if (stopped) break;
          if (ev.type !== 'DELETED') continue;
          const s = ev.object as Service;
          await opts.allocator.release({ namespace: s.metadata?.namespace ?? '', name: s.metadata?.name ?? '' });
        }
      } catch (err) {
        opts.log.debug({ err }, 'service watch for address release ended; retrying');
      }
      if (!stopped) await new Promise((r) => setTimeout(r, 1000).unref());
    }
  })();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
      current?.close();
    },
  };
}
