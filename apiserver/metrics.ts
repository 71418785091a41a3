// The API server's own Prometheus metrics, in the registry every part shares (the storage
// layer registers its etcd metrics into the same one).

import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface RequestMetrics {
  requests: Counter<'verb' | 'resource' | 'subresource' | 'code'>;
  duration: Histogram<'verb' | 'resource' | 'subresource'>;
  longRunning: Gauge<'verb' | 'resource'>;
  inflight: Gauge<'request_kind'>;
}

export function createRequestMetrics(registry: Registry): RequestMetrics {
  return {
    requests: new Counter({
      name: 'apiserver_request_total',
      help: 'Requests served, by verb, resource, subresource and HTTP code.',
      labelNames: ['verb', 'resource', 'subresource', 'code'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'apiserver_request_duration_seconds',
      help: 'Time to serve a request (watches and other long-running requests excluded).',
      labelNames: ['verb', 'resource', 'subresource'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    longRunning: new Gauge({
      name: 'apiserver_longrunning_requests',
      help: 'Open long-running requests (watches, exec, logs, proxy).',
      labelNames: ['verb', 'resource'],
      registers: [registry],
    }),
    inflight: new Gauge({
      name: 'apiserver_current_inflight_requests',
      help: 'Requests being served now, counted against the in-flight limits.',
      labelNames: ['request_kind'],
      registers: [registry],
    }),
  };
}
