// The one connection to etcd: raw KV/Watch/Maintenance clients, a short deadline on every
// call, etcd failures turned into API errors, and the health flag behind /readyz.
//
// etcd3's own retry and circuit-breaker policies are switched off: a request to an etcd that
// is down must fail within its deadline as 503, and the caller (a client of the API server)
// decides whether to retry.

import type { CallOptions } from '@grpc/grpc-js';
import { noop } from 'cockatiel';
import {
  Etcd3,
  GRPCDeadlineExceededError,
  GRPCOutOfRangeError,
  isRecoverableError,
  type KVClient,
  type MaintenanceClient,
  type WatchClient,
} from 'etcd3';
import { ApiError, errors } from '../errors.js';
import type { Logger } from '../../client/log.js';
import type { StorageMetrics } from './metrics.js';

export interface EtcdConnectionOptions {
  endpoints: string[];
  /** Deadline of each unary etcd call. */
  requestTimeoutMs: number;
  /** How often an unhealthy connection probes etcd. */
  healthProbeIntervalMs: number;
}

/** A read at a revision etcd has already compacted away. */
export class RevisionCompactedError extends Error {}
/** A read at a revision etcd has not reached. */
export class FutureRevisionError extends Error {}

export class EtcdConnection {
  readonly client: Etcd3;
  readonly kv: KVClient;
  readonly watchClient: WatchClient;
  readonly maintenance: MaintenanceClient;
  private isHealthy = true;
  private probe: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly opts: EtcdConnectionOptions,
    private readonly metrics: StorageMetrics,
    private readonly log: Logger,
  ) {
    this.client = new Etcd3({
      hosts: opts.endpoints,
      dialTimeout: opts.requestTimeoutMs,
      faultHandling: { host: () => noop, global: noop },
      // grpc-js backs off reconnects up to two minutes by default; etcd coming back must be
      // noticed within about a second.
      grpcOptions: {
        'grpc.initial_reconnect_backoff_ms': 100,
        'grpc.max_reconnect_backoff_ms': 1000,
        'grpc.max_receive_message_length': 64 * 1024 * 1024,
        // An etcd that hangs (rather than closing its connections) must still end the watch
        // caches' streams; etcd refuses pings more often than every 5 s.
        'grpc.keepalive_time_ms': 10_000,
        'grpc.keepalive_timeout_ms': 5_000,
      },
    });
    this.kv = this.client.kv;
    this.watchClient = this.client.watchClient;
    this.maintenance = this.client.maintenance;
  }

  /** True while etcd answers. */
  healthy(): boolean {
    return this.isHealthy;
  }

  /**
   * Runs one etcd call with a deadline, timing it under `operation`/`resource`, and turns
   * etcd's failures into API errors (503 when etcd does not answer).
   */
  async call<T>(operation: string, resource: string, fn: (options: CallOptions) => Promise<T>): Promise<T> {
    const end = this.metrics.requestDuration.startTimer({ operation, type: resource });
    try {
      const result = await fn({ deadline: Date.now() + this.opts.requestTimeoutMs });
      this.markHealthy();
      return result;
    } catch (err) {
      throw this.translate(err);
    } finally {
      end();
    }
  }

  private translate(err: unknown): Error {
    if (err instanceof ApiError) return err;
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof GRPCOutOfRangeError || message.includes('required revision has been compacted')) {
      return new RevisionCompactedError(message);
    }
    if (message.includes('required revision is a future revision')) return new FutureRevisionError(message);
    if (err instanceof GRPCDeadlineExceededError || (err instanceof Error && isRecoverableError(err)) || this.closed) {
      this.markUnhealthy(message);
      return errors.unavailable(`etcd: ${message}`);
    }
    return errors.internal(`etcd: ${message}`);
  }

  private markHealthy(): void {
    if (this.isHealthy) return;
    this.isHealthy = true;
    clearInterval(this.probe);
    this.probe = undefined;
    this.log.info('etcd answers again');
  }

  /** Marks etcd unreachable and probes it in the background until it answers. */
  markUnhealthy(why: string): void {
    if (this.closed || !this.isHealthy) return;
    this.isHealthy = false;
    this.log.info({ why }, 'etcd unreachable');
    this.probe = setInterval(() => {
      this.maintenance
        .status({ deadline: Date.now() + this.opts.healthProbeIntervalMs })
        .then(() => this.markHealthy())
        .catch(() => undefined);
    }, this.opts.healthProbeIntervalMs);
    this.probe.unref();
  }

  /** The etcd server's version (`3.4.23`). */
  async serverVersion(): Promise<string> {
    const status = await this.call('status', '', (o) => this.maintenance.status(o));
    return status.version;
  }

  close(): void {
    this.closed = true;
    clearInterval(this.probe);
    this.client.close();
  }
}

/**
 * Whether an etcd version answers progress requests correctly (etcd-io/etcd#15220 fixed in
 * 3.4.31 and 3.5.13), the versions kube-apiserver requires for consistent reads from cache.
 */
export function progressRequestsReliable(version: string): boolean {
  const [major, minor, patch] = version.split('.').map((p) => Number.parseInt(p, 10));
  if ([major, minor, patch].some((n) => Number.isNaN(n))) return false;
  if (major !== 3) return major > 3;
  if (minor === 4) return patch >= 31;
  if (minor === 5) return patch >= 13;
  return minor > 5;
}
