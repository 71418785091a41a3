// Prometheus metrics shared by every controller: how many reconciles ran (by result) and how
// long they took. Work queues register their own workqueue_* metrics (depth, adds, latency) in
// the same registry. One registry per controller-manager process, served on /metrics.

import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class ControllerMetrics {
  readonly registry: Registry;
  readonly reconciles: Counter<'controller' | 'result'>;
  readonly reconcileSeconds: Histogram<'controller'>;

  constructor(opts: { processMetrics?: boolean } = {}) {
    this.registry = new Registry();
    if (opts.processMetrics) collectDefaultMetrics({ register: this.registry });
    this.reconciles = new Counter({
      name: 'controller_reconcile_total',
      help: 'Reconciles run, by controller and result (success, error).',
      labelNames: ['controller', 'result'],
      registers: [this.registry],
    });
    this.reconcileSeconds = new Histogram({
      name: 'controller_reconcile_duration_seconds',
      help: 'Time one reconcile took, by controller.',
      labelNames: ['controller'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: [this.registry],
    });
  }
}
