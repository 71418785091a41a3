// Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection: try to
// take or renew the Lease every retryPeriod; a Lease held by another identity is free once it
// has not been renewed for leaseDuration *as observed locally* (clocks are not compared); a
// leader that cannot renew within renewDeadline stops leading. Writes carry the Lease's
// resourceVersion, so two candidates never both win one round.
// (Private to the scheduler until client/ offers a shared elector; same callbacks contract.)

import type { Lease } from '../api/types.js';
import { isAlreadyExists, isConflict, isNotFound } from '../client/errors.js';
import type { ApiClient, LeaderElectionCallbacks } from '../client/interfaces.js';
import type { Logger } from '../client/log.js';

export interface LeaderElectionOptions {
  client: ApiClient;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  callbacks: LeaderElectionCallbacks;
  logger: Logger;
  now?: () => number;
}

/** RFC 3339 with microseconds, as metav1.MicroTime serializes. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000Z');
}

export class LeaderElector {
  private observedHolder = '';
  private observedRenew = '';
  private observedAt = 0;
  private readonly now: () => number;

  constructor(private readonly o: LeaderElectionOptions) {
    if (o.leaseDurationMs <= o.renewDeadlineMs) throw new Error('leaseDuration must be greater than renewDeadline');
    if (o.renewDeadlineMs <= o.retryPeriodMs) throw new Error('renewDeadline must be greater than retryPeriod');
    this.now = o.now ?? Date.now;
  }

  /** Campaigns until `signal` aborts; leads while it can renew. Returns after leadership ends or on abort. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew()) break;
      await sleep(this.o.retryPeriodMs, signal);
    }
    if (signal.aborted) return;
    this.o.logger.info({ lease: `${this.o.namespace}/${this.o.name}`, identity: this.o.identity }, 'became leader');
    const leading = new AbortController();
    const stop = () => leading.abort();
    signal.addEventListener('abort', stop, { once: true });
    void Promise.resolve(this.o.callbacks.onStartedLeading(leading.signal)).catch((err: unknown) => {
      this.o.logger.error({ err: String(err) }, 'leader work failed');
      leading.abort();
    });
    try {
      let lastRenew = this.now();
      while (!leading.signal.aborted) {
        await sleep(this.o.retryPeriodMs, leading.signal);
        if (leading.signal.aborted) break;
        if (await this.tryAcquireOrRenew()) lastRenew = this.now();
        else if (this.now() - lastRenew >= this.o.renewDeadlineMs) break;
      }
    } finally {
      signal.removeEventListener('abort', stop);
      leading.abort();
      if (signal.aborted) await this.release();
      this.o.logger.info({ identity: this.o.identity }, 'stopped leading');
      this.o.callbacks.onStoppedLeading();
    }
  }

  /** One round: take the Lease if free or ours, renew it if ours. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const leases = this.o.client.for<Lease>('leases');
    const nowMs = this.now();
    const desired = {
      holderIdentity: this.o.identity,
      leaseDurationSeconds: Math.max(1, Math.ceil(this.o.leaseDurationMs / 1000)),
      renewTime: microTime(nowMs),
    };
    let lease: Lease;
    try {
      lease = await leases.get(this.o.namespace, this.o.name);
    } catch (err) {
      if (!isNotFound(err)) return this.failed(err);
      try {
        await leases.create(this.o.namespace, {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: this.o.name, namespace: this.o.namespace },
          spec: { ...desired, acquireTime: microTime(nowMs), leaseTransitions: 0 },
        });
        this.observe(this.o.identity, desired.renewTime);
        return true;
      } catch (e) {
        return isAlreadyExists(e) ? false : this.failed(e);
      }
    }
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    const renew = String(spec.renewTime ?? '');
    if (holder !== this.observedHolder || renew !== this.observedRenew) this.observe(holder, renew);
    const mine = holder === this.o.identity;
    const expired = this.now() - this.observedAt >= this.o.leaseDurationMs;
    if (holder && !mine && !expired) return false;
    try {
      await leases.update({
        ...lease,
        spec: {
          ...spec,
          ...desired,
          acquireTime: mine ? spec.acquireTime : microTime(nowMs),
          leaseTransitions: (spec.leaseTransitions ?? 0) + (mine ? 0 : 1),
        },
      });
      this.observe(this.o.identity, desired.renewTime);
      return true;
    } catch (err) {
      return isConflict(err) ? false : this.failed(err);
    }
  }

  /** Gives the Lease up on shutdown so a successor need not wait out the lease duration. */
  private async release(): Promise<void> {
    try {
      const leases = this.o.client.for<Lease>('leases');
      const lease = await leases.get(this.o.namespace, this.o.name);
      if (lease.spec?.holderIdentity !== this.o.identity) return;
      await leases.update({ ...lease, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(this.now()) } });
    } catch (err) {
      this.o.logger.debug({ err: String(err) }, 'could not release the lease');
    }
  }

  private observe(holder: string, renew: string): void {
    this.observedHolder = holder;
    this.observedRenew = renew;
    this.observedAt = this.now();
  }

  private failed(err: unknown): false {
    this.o.logger.debug({ err: String(err) }, 'lease request failed');
    return false;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
