// Events the controllers record about the objects they act on (core/v1 Event), written in the
// background so a reconcile never waits on them. A repeat of the same reason and message about
// the same object bumps `count` and `lastTimestamp` on the existing Event instead of adding
// one, as client-go's recorder aggregates. Failures are logged at debug and dropped.

import type { ApiClient, EventRecorder } from '../client/interfaces.js';
import type { KubeObject } from './types.js';
import type { Event } from '../api/types.js';
import type { Logger } from '../client/log.js';
import { isNotFound } from '../client/errors.js';

interface Seen {
  name: string;
  namespace: string;
  count: number;
}

export class ApiEventRecorder implements EventRecorder {
  private readonly seen = new Map<string, Seen>();
  private inFlight = 0;

  constructor(
    private readonly client: ApiClient,
    private readonly component: string,
    private readonly log: Logger,
    private readonly maxInFlight = 50,
  ) {}

  event(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    // Under a burst (a 1,000-replica scale-up), shed events rather than queue behind the API.
    if (this.inFlight >= this.maxInFlight) return;
    this.inFlight++;
    this.write(obj, type, reason, message)
      .catch((err: unknown) => this.log.debug({ reason, err: String(err) }, 'event dropped'))
      .finally(() => this.inFlight--);
  }

  private async write(obj: KubeObject, type: string, reason: string, message: string): Promise<void> {
    const events = this.client.for<Event>('events');
    const key = `${obj.metadata?.uid}|${type}|${reason}|${message}`;
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const prior = this.seen.get(key);
    if (prior) {
      prior.count++;
      try {
        await events.patch(prior.namespace, prior.name, 'merge', { count: prior.count, lastTimestamp: now });
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    const namespace = obj.metadata?.namespace ?? 'default';
    const m = obj.metadata ?? {};
    const created = await events.create(namespace, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${m.name}.${Date.now().toString(16)}${Math.floor(Math.random() * 0xfff).toString(16)}`, namespace },
      involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion },
      reason,
      message,
      type,
      source: { component: this.component },
      reportingComponent: this.component,
      reportingInstance: this.component,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    });
    if (this.seen.size > 4096) this.seen.clear();
    this.seen.set(key, { name: created.metadata!.name!, namespace, count: 1 });
  }
}
