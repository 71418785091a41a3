// Storage metrics, named as kube-apiserver names them so existing dashboards read them.

import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export class StorageMetrics {
  readonly requestDuration: Histogram<'operation' | 'type'>;
  readonly cacheSize: Gauge<'resource'>;
  readonly watchers: Gauge<'group' | 'version' | 'kind'>;
  readonly terminatedWatchers: Counter<'resource'>;
  readonly compactions: Counter<'result'>;
  readonly dbSize: Gauge<'endpoint'>;

  /** `readDbSize` gives etcd's database size at scrape time (`etcd_db_total_size_in_bytes`). */
  constructor(
    readonly registry: Registry,
    readDbSize?: () => Promise<{ endpoint: string; bytes: number }>,
  ) {
    this.requestDuration = new Histogram({
      name: 'etcd_request_duration_seconds',
      help: 'Etcd request latency in seconds for each operation and object type.',
      labelNames: ['operation', 'type'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    this.cacheSize = new Gauge({
      name: 'apiserver_watch_cache_size',
      help: 'Number of objects held in the watch cache, per resource.',
      labelNames: ['resource'],
      registers: [registry],
    });
    this.watchers = new Gauge({
      name: 'apiserver_registered_watchers',
      help: 'Number of currently registered watchers for a given resource.',
      labelNames: ['group', 'version', 'kind'],
      registers: [registry],
    });
    this.terminatedWatchers = new Counter({
      name: 'apiserver_terminated_watchers_total',
      help: 'Watchers closed because they did not read their events fast enough, per resource.',
      labelNames: ['resource'],
      registers: [registry],
    });
    this.compactions = new Counter({
      name: 'etcd_compactions_total',
      help: 'Compaction rounds run by this API server, by result.',
      labelNames: ['result'],
      registers: [registry],
    });
    this.dbSize = new Gauge({
      name: 'etcd_db_total_size_in_bytes',
      help: 'Total size of the etcd database file physically allocated in bytes.',
      labelNames: ['endpoint'],
      registers: [registry],
      async collect() {
        const read = await readDbSize?.().catch(() => undefined);
        if (read) this.set({ endpoint: read.endpoint }, read.bytes);
      },
    });
  }
}

/** Registers the storage metrics on `registry` (the API server's /metrics registry). */
export function registerStorageMetrics(registry: Registry, readDbSize?: () => Promise<{ endpoint: string; bytes: number }>): StorageMetrics {
  return new StorageMetrics(registry, readDbSize);
}
