// An EventRecorder that writes core/v1 Events for the scheduler's pods, as client-go's
// broadcaster does: repeats of the same (object, type, reason, message) raise `count` on the
// existing Event instead of making a new one; writes happen in the background, a few at a
// time, and are dropped (with a debug log) when the backlog is full, so events never slow
// scheduling. (Private to the scheduler until client/ offers a shared recorder.)

import { randomBytes } from 'node:crypto';
import type { Event, KubeObject } from '../api/types.js';
import type { ApiClient, EventRecorder } from '../client/interfaces.js';
import type { Logger } from '../client/log.js';

interface Pending {
  obj: KubeObject;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  at: string;
}

export class ApiEventRecorder implements EventRecorder {
  private readonly backlog: Pending[] = [];
  private readonly seen = new Map<string, { name: string; namespace: string; count: number; firstTimestamp: string }>();
  private active = 0;

  constructor(
    private readonly client: ApiClient,
    private readonly component: string,
    private readonly log: Logger,
    private readonly opts: { maxBacklog?: number; concurrency?: number; host?: string } = {},
  ) {}

  event(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    if (this.backlog.length >= (this.opts.maxBacklog ?? 1000)) {
      this.log.debug({ reason, object: obj.metadata?.name }, 'event backlog full, dropping event');
      return;
    }
    this.backlog.push({ obj, type, reason, message, at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') });
    this.pump();
  }

  /** Resolves once every queued event is written (for clean shutdown and tests). */
  async flush(): Promise<void> {
    while (this.backlog.length > 0 || this.active > 0) await new Promise((r) => setTimeout(r, 10));
  }

  private pump(): void {
    while (this.active < (this.opts.concurrency ?? 4) && this.backlog.length > 0) {
      const next = this.backlog.shift() as Pending;
      this.active++;
      void this.write(next).finally(() => {
        this.active--;
        this.pump();
      });
    }
  }

  private async write(p: Pending): Promise<void> {
    const meta = p.obj.metadata ?? {};
    const namespace = meta.namespace ?? 'default';
    const key = [namespace, p.obj.kind, meta.name, meta.uid, p.type, p.reason, p.message].join('\u0000');
    const events = this.client.for<Event>('events');
    const prior = this.seen.get(key);
    try {
      if (prior) {
        prior.count++;
        await events.patch(prior.namespace, prior.name, 'merge', { count: prior.count, lastTimestamp: p.at });
        return;
      }
      const name = `${meta.name ?? 'object'}.${randomBytes(8).toString('hex')}`;
      await events.create(namespace, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: { apiVersion: p.obj.apiVersion ?? 'v1', kind: p.obj.kind ?? 'Pod', name: meta.name, namespace, uid: meta.uid, resourceVersion: meta.resourceVersion },
        type: p.type,
        reason: p.reason,
        message: p.message,
        source: { component: this.component, ...(this.opts.host ? { host: this.opts.host } : {}) },
        reportingComponent: this.component,
        firstTimestamp: p.at,
        lastTimestamp: p.at,
        count: 1,
      });
      this.seen.set(key, { name, namespace, count: 1, firstTimestamp: p.at });
      if (this.seen.size > 4096) this.seen.delete(this.seen.keys().next().value as string);
    } catch (err) {
      if (prior) this.seen.delete(key);
      this.log.debug({ reason: p.reason, err: String(err) }, 'could not write event');
    }
  }
}
