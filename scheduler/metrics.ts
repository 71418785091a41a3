// The scheduler's Prometheus metrics, named as kube-scheduler names them. One registry per
// scheduler, served on /metrics.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { QueueName } from './queue.js';

export type AttemptResult = 'scheduled' | 'unschedulable' | 'error';

export class SchedulerMetrics {
  readonly registry = new Registry();
  readonly attempts: Counter<'result' | 'profile'>;
  readonly attemptSeconds: Histogram<'result' | 'profile'>;
  readonly podSchedulingSeconds: Histogram<'attempts'>;
  private pendingSource?: () => Record<QueueName, number>;

  constructor(opts: { processMetrics?: boolean } = {}) {
    if (opts.processMetrics) collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    new Gauge({
      name: 'scheduler_pending_pods',
      help: 'Pending pods, by queue (active, backoff, unschedulable).',
      labelNames: ['queue'],
      registers,
      collect() {
        const pending = self.pendingSource?.();
        if (!pending) return;
        for (const [queue, n] of Object.entries(pending)) this.set({ queue }, n);
      },
    });
    this.attempts = new Counter({
      name: 'scheduler_schedule_attempts_total',
      help: 'Scheduling attempts, by result (scheduled, unschedulable, error) and profile.',
      labelNames: ['result', 'profile'],
      registers,
    });
    this.attemptSeconds = new Histogram({
      name: 'scheduler_scheduling_attempt_duration_seconds',
      help: 'Time of one scheduling attempt (filter, score, pick; not the bind), by result and profile.',
      labelNames: ['result', 'profile'],
      buckets: [0.0001, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
      registers,
    });
    this.podSchedulingSeconds = new Histogram({
      name: 'scheduler_pod_scheduling_duration_seconds',
      help: 'Time from a pod first entering the queue to being bound, by attempts it took.',
      labelNames: ['attempts'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 300],
      registers,
    });
  }

  /** Where scheduler_pending_pods reads from at scrape time. */
  observeQueue(source: () => Record<QueueName, number>): void {
    this.pendingSource = source;
  }

  attempt(result: AttemptResult, profile: string, seconds: number): void {
    this.attempts.inc({ result, profile });
    this.attemptSeconds.observe({ result, profile }, seconds);
  }
}
