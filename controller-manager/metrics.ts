// Prometheus metrics shared by every controller: how deep each work queue is, how many
// reconciles ran (by result) and how long they took. One registry per controller-manager
// process, served on /metrics.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class ControllerMetrics {
  readonly registry: Registry;
  readonly reconciles: Counter<'controller' | 'result'>;
  readonly reconcileSeconds: Histogram<'controller'>;
  private readonly depthSources = new Map<string, () => number>();

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
    const sources = this.depthSources;
    new Gauge({
      name: 'workqueue_depth',
      help: 'Keys waiting in a controller work queue.',
      labelNames: ['name'],
      registers: [this.registry],
      collect() {
        for (const [name, depth] of sources) this.set({ name }, depth());
      },
    });
  }

  /** The gauge reads the queue's length when scraped, so nothing has to push updates. */
  watchQueueDepth(name: string, depth: () => number): void {
    this.depthSources.set(name, depth);
  }
}
