// The kubelet's own Prometheus metrics (the /metrics endpoint), with upstream names.

import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class KubeletMetrics {
  readonly podStartDuration: Histogram;
  readonly syncDuration: Histogram;

  constructor(readonly registry: Registry) {
    collectDefaultMetrics({ register: registry });
    this.podStartDuration = new Histogram({
      name: 'kubelet_pod_start_duration_seconds',
      help: 'Duration in seconds from the kubelet seeing a pod for the first time to the pod starting to run',
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers: [registry],
    });
    this.syncDuration = new Histogram({
      name: 'kubelet_pod_worker_duration_seconds',
      help: 'Duration in seconds to sync a single pod',
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    });
  }
}
