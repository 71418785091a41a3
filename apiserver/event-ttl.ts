// --event-ttl: Events are removed once they have not been updated for the TTL. kube-apiserver
// attaches an etcd lease to each Event write; skiff sweeps instead, so the storage contract
// stays free of leases: every half TTL (at most once a minute) the Events whose last activity
// is older than the TTL are deleted, each with its resourceVersion as a precondition so an
// Event updated meanwhile stays.

import type { ResourceRegistry } from '../api/resources.js';
import type { KubeObject } from '../api/types.js';
import { fieldsOf } from '../api/types.js';
import type { Logger } from '../client/log.js';
import { ApiError } from './errors.js';
import type { Store } from './storage/store.js';

/** The latest moment an Event was recorded or updated, in ms since the epoch. */
export function lastActivity(event: KubeObject): number {
  const f = fieldsOf(event) as { lastTimestamp?: string; eventTime?: string; series?: { lastObservedTime?: string } };
  const times = [f.lastTimestamp, f.eventTime, f.series?.lastObservedTime, event.metadata?.creationTimestamp]
    .filter((t): t is string => typeof t === 'string' && t !== '')
    .map((t) => Date.parse(t))
    .filter((t) => !Number.isNaN(t));
  return times.length === 0 ? 0 : Math.max(...times);
}

/** Sweep period for a TTL: half of it, between 0.5 s and 60 s. */
export function sweepInterval(ttlSeconds: number): number {
  return Math.min(60_000, Math.max(500, (ttlSeconds * 1000) / 2));
}

export function startEventSweeper(store: Store, registry: ResourceRegistry, ttlSeconds: number, log: Logger): { stop(): void } {
  const type = registry.get('', 'v1', 'events');
  if (!type || ttlSeconds <= 0) return { stop: () => undefined };
  let running = false;
  const sweep = async () => {
    if (running || !store.healthy()) return;
    running = true;
    try {
      const cutoff = Date.now() - ttlSeconds * 1000;
      const list = await store.list(type, { resourceVersion: '0' });
      let removed = 0;
      for (const ev of list.items) {
        if (lastActivity(ev) >= cutoff) continue;
        const meta = ev.metadata ?? {};
        try {
          await store.delete(type, meta.namespace, meta.name ?? '', { resourceVersion: meta.resourceVersion });
          removed++;
        } catch (err) {
          if (!(err instanceof ApiError) || (err.code !== 404 && err.code !== 409)) throw err;
        }
      }
      if (removed > 0) log.debug({ removed }, 'expired events removed');
    } catch (err) {
      log.debug({ err }, 'event sweep failed; next sweep retries');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void sweep(), sweepInterval(ttlSeconds));
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
