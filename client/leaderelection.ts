// Leader election on a coordination.k8s.io/v1 Lease, with client-go's semantics. Candidates
// read the Lease every retryPeriod; one takes it when it is free (no holder: released) or
// expired — judged by when *this* candidate last saw the record change, on its own clock,
// never by the holder's timestamps, so clock skew between machines cannot cause two leaders.
// Every write carries the resourceVersion read, so of two candidates racing for the same
// Lease one gets 409 Conflict. The leader renews every retryPeriod; if it cannot renew for
// renewDeadline it stops leading (before anyone else may take over: renewDeadline +
// retryPeriod < leaseDuration). On shutdown it releases the Lease so a standby takes over
// at once instead of waiting out the lease.

import type { Lease } from '../api/types.js';
import { isAlreadyExists, isConflict, isNotFound } from './errors.js';
import type { ApiClient, LeaderElectionCallbacks, ResourceClient } from './interfaces.js';
import { parseDuration } from './flags.js';
import { clientLogger } from './client-log.js';
import type { Logger } from './log.js';
import { sleep } from './rate-limiter.js';

export interface LeaderElectionOptions {
  client: ApiClient;
  /** The Lease: usually `kube-system`/`<component name>`. */
  namespace: string;
  name: string;
  /** Unique per candidate: hostname plus a random suffix. */
  identity: string;
  callbacks: LeaderElectionCallbacks;
  /** `--leader-elect-lease-duration`, default 15 s: how long a non-renewed lease keeps others out. */
  leaseDurationMs?: number;
  /** `--leader-elect-renew-deadline`, default 10 s: how long the leader keeps trying to renew before it gives up. */
  renewDeadlineMs?: number;
  /** `--leader-elect-retry-period`, default 2 s: between attempts to acquire or renew. */
  retryPeriodMs?: number;
  /** Give the lease up on shutdown (default true). */
  releaseOnCancel?: boolean;
  logger?: Logger;
}

/** client-go's jitter on acquire attempts, so standbys do not hammer the server in step. */
const JITTER = 1.2;

/** The record as observed, with when this candidate observed it (its own clock). */
interface Observed {
  holder: string;
  renewTime?: string;
  leaseDurationSeconds: number;
  at: number;
}

/** Lease times are MicroTime: RFC 3339 with six fractional digits. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class LeaderElector {
  private readonly leases: ResourceClient<Lease>;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly log: Logger;
  private observed?: Observed;
  private leading = false;
  private reportedLeader?: string;

  constructor(private readonly opts: LeaderElectionOptions) {
    this.leases = opts.client.for<Lease>('leases');
    this.leaseDurationMs = opts.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = opts.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = opts.retryPeriodMs ?? 2_000;
    if (this.leaseDurationMs <= this.renewDeadlineMs) throw new Error('leader election: lease duration must be greater than the renew deadline');
    if (this.renewDeadlineMs <= JITTER * this.retryPeriodMs) throw new Error(`leader election: renew deadline must be greater than ${JITTER} × retry period`);
    if (!opts.identity) throw new Error('leader election: identity must not be empty');
    this.log = opts.logger ?? clientLogger().child({ part: 'leader-election' });
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** The holder last observed (may be stale by up to a retry period). */
  leader(): string | undefined {
    return this.observed?.holder || undefined;
  }

  /**
   * Campaigns until leading, leads until renewal fails or `signal` aborts, then returns
   * (after onStoppedLeading). A caller that wants to campaign again calls run() again.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (!(await this.acquire(signal))) return;
    const leading = new AbortController();
    this.leading = true;
    this.log.info({ lease: `${this.opts.namespace}/${this.opts.name}`, identity: this.opts.identity }, 'became leader');
    void Promise.resolve()
      .then(() => this.opts.callbacks.onStartedLeading(leading.signal))
      .catch((err: unknown) => this.log.error({ err: String(err) }, 'onStartedLeading failed'));
    try {
      await this.renew(signal);
    } finally {
      leading.abort(new Error('leadership lost'));
      this.leading = false;
      if (signal.aborted && (this.opts.releaseOnCancel ?? true)) await this.release();
      this.log.info({ lease: `${this.opts.namespace}/${this.opts.name}`, identity: this.opts.identity, released: signal.aborted }, 'stopped leading');
      this.opts.callbacks.onStoppedLeading();
    }
  }

  /** Tries every retryPeriod (jittered) until the lease is ours; false when aborted first. */
  private async acquire(signal: AbortSignal): Promise<boolean> {
    while (!signal.aborted) {
      if (await this.attempt(this.renewDeadlineMs)) return true;
      try {
        await sleep(this.retryPeriodMs * (1 + Math.random() * (JITTER - 1)), signal);
      } catch {
        return false;
      }
    }
    return false;
  }

  /** Renews every retryPeriod; returns when a round of renewals has failed for renewDeadline, or on abort. */
  private async renew(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await sleep(this.retryPeriodMs, signal);
      } catch {
        return;
      }
      const roundStart = Date.now();
      for (;;) {
        const left = this.renewDeadlineMs - (Date.now() - roundStart);
        if (left <= 0) {
          this.log.info({ lease: `${this.opts.namespace}/${this.opts.name}` }, `failed to renew the lease within ${this.renewDeadlineMs} ms`);
          return;
        }
        if (await this.attempt(left)) break;
        if (signal.aborted) return;
        try {
          await sleep(Math.min(this.retryPeriodMs, Math.max(0, this.renewDeadlineMs - (Date.now() - roundStart))), signal);
        } catch {
          return;
        }
      }
    }
  }

  /** One tryAcquireOrRenew bounded by `timeoutMs` (a hung request must not outlive the deadline). */
  private async attempt(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([this.tryAcquireOrRenew(), timeout]);
    } catch (err) {
      this.log.debug({ err: String(err) }, 'leader election: attempt failed');
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = Date.now();
    const me = this.opts.identity;
    let lease: Lease;
    try {
      lease = await this.leases.get(this.opts.namespace, this.opts.name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      try {
        await this.leases.create(this.opts.namespace, {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: this.opts.name, namespace: this.opts.namespace },
          spec: { holderIdentity: me, leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000), acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: 0 },
        });
      } catch (createErr) {
        if (isAlreadyExists(createErr)) return false;
        throw createErr;
      }
      this.observe({ holder: me, renewTime: microTime(now), leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000), at: now });
      return true;
    }

    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    // A changed record restarts the expiry clock, measured from now on our own clock.
    if (!this.observed || this.observed.holder !== holder || this.observed.renewTime !== spec.renewTime || this.observed.leaseDurationSeconds !== (spec.leaseDurationSeconds ?? 0)) {
      this.observe({ holder, renewTime: spec.renewTime, leaseDurationSeconds: spec.leaseDurationSeconds ?? 0, at: now });
    }
    const expiresAt = this.observed!.at + this.observed!.leaseDurationSeconds * 1000;
    if (holder !== '' && holder !== me && now < expiresAt) return false;

    const takingOver = holder !== me;
    const next: Lease = {
      ...lease,
      spec: {
        ...spec,
        holderIdentity: me,
        leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
        renewTime: microTime(now),
        acquireTime: takingOver ? microTime(now) : (spec.acquireTime ?? microTime(now)),
        leaseTransitions: (spec.leaseTransitions ?? 0) + (takingOver && holder !== '' ? 1 : 0),
      },
    };
    try {
      const updated = await this.leases.update(next);
      this.observe({ holder: me, renewTime: updated.spec?.renewTime, leaseDurationSeconds: updated.spec?.leaseDurationSeconds ?? 0, at: now });
      return true;
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
  }

  /** Gives the lease up if still ours: no holder, so a standby takes it on its next try. */
  private async release(): Promise<void> {
    try {
      const lease = await this.leases.get(this.opts.namespace, this.opts.name);
      if (lease.spec?.holderIdentity !== this.opts.identity) return;
      const now = microTime(Date.now());
      const { holderIdentity: _h, ...spec } = lease.spec;
      await this.leases.update({ ...lease, spec: { ...spec, leaseDurationSeconds: 1, renewTime: now, acquireTime: now } });
      this.observed = undefined;
    } catch (err) {
      this.log.debug({ err: String(err) }, 'leader election: release failed (the lease will expire instead)');
    }
  }

  private observe(o: Observed): void {
    this.observed = o;
    if (o.holder && o.holder !== this.reportedLeader) {
      this.reportedLeader = o.holder;
      try {
        this.opts.callbacks.onNewLeader?.(o.holder);
      } catch (err) {
        this.log.error({ err: String(err) }, 'onNewLeader failed');
      }
    }
  }
}

/** Options from the kube-style flags (`15s`, `10s`, `2s`). */
export function leaderElectionTimings(flags: { leaseDuration?: string; renewDeadline?: string; retryPeriod?: string }): Pick<LeaderElectionOptions, 'leaseDurationMs' | 'renewDeadlineMs' | 'retryPeriodMs'> {
  return {
    leaseDurationMs: parseDuration(flags.leaseDuration ?? '15s'),
    renewDeadlineMs: parseDuration(flags.renewDeadline ?? '10s'),
    retryPeriodMs: parseDuration(flags.retryPeriod ?? '2s'),
  };
}
