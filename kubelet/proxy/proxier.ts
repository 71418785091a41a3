// The service proxy: keeps the node's iptables rules equal to what Services and
// EndpointSlices ask for. Changes are batched (at most one sync per min-sync-period, so a
// burst of endpoint updates costs one restore), a sync writes only the chains that changed,
// and a periodic full sync rewrites everything, which repairs rules someone removed by hand.

import type { EndpointSlice, Service } from '../../api/types.js';
import type { Logger } from '../../client/log.js';
import { isOwned } from './chain-names.js';
import type { IptablesRunner } from './iptables.js';
import { emptyWritten, restorePlan, type Written } from './restore-plan.js';
import { BUILTIN_JUMPS, desiredRules, type DesiredRules, type Table } from './rules.js';
import { servicePorts } from './service-ports.js';

export interface ProxySource {
  services(): Iterable<Service>;
  endpointSlices(): Iterable<EndpointSlice>;
}

export interface ProxierOptions {
  runner: IptablesRunner;
  source: ProxySource;
  log: Logger;
  clusterCIDR?: string;
  /** `--iptables-min-sync-period`: the shortest time between two syncs (batching). */
  minSyncPeriodMs?: number;
  /** `--iptables-sync-period`: how often everything is rewritten regardless of changes. */
  syncPeriodMs?: number;
}

export interface SyncResult {
  full: boolean;
  changedChains: number;
  deletedChains: number;
  durationMs: number;
}

export class Proxier {
  private written: Written = emptyWritten();
  private lastSyncStart = 0;
  private lastFullSync = 0;
  private timer?: NodeJS.Timeout;
  private fullTimer?: NodeJS.Timeout;
  private syncing?: Promise<SyncResult | undefined>;
  private pending = false;
  private stopped = true;
  private readonly minSyncPeriodMs: number;
  private readonly syncPeriodMs: number;
  /** Called after every successful sync (tests and the bench wait on it). */
  onSynced?: (result: SyncResult) => void;

  constructor(private readonly opts: ProxierOptions) {
    this.minSyncPeriodMs = opts.minSyncPeriodMs ?? 1000;
    this.syncPeriodMs = opts.syncPeriodMs ?? 30_000;
  }

  /** Sets up the node (route_localnet, built-in chain jumps), syncs fully, then follows changes. */
  async start(): Promise<void> {
    this.stopped = false;
    // Node ports on 127.0.0.1 need DNAT'd loopback traffic to be routable.
    await this.opts.runner.sysctl('net.ipv4.conf.all.route_localnet', '1');
    await this.sync(true);
    this.fullTimer = setInterval(() => this.requestSync(true), this.syncPeriodMs);
    this.fullTimer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.fullTimer);
  }

  /** Something changed: sync soon, but never more often than the min sync period. */
  requestSync(full = false): void {
    if (this.stopped) return;
    if (full) this.lastFullSync = 0;
    if (this.timer) return;
    const wait = Math.max(0, this.lastSyncStart + this.minSyncPeriodMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.sync(this.lastFullSync === 0);
    }, wait);
  }

  /** One sync now (waits for a running one first). Exposed for tests and the bench. */
  async sync(full = false): Promise<SyncResult | undefined> {
    if (this.syncing) {
      this.pending = true;
      await this.syncing;
    }
    this.syncing = this.syncOnce(full);
    try {
      return await this.syncing;
    } finally {
      this.syncing = undefined;
      if (this.pending) {
        this.pending = false;
        this.requestSync();
      }
    }
  }

  desired(): DesiredRules {
    const ports = servicePorts(this.opts.source.services(), this.opts.source.endpointSlices());
    return desiredRules(ports, { clusterCIDR: this.opts.clusterCIDR });
  }

  private async syncOnce(full: boolean): Promise<SyncResult | undefined> {
    const started = Date.now();
    this.lastSyncStart = started;
    const { runner, log } = this.opts;
    const desired = this.desired();
    try {
      let existing: Record<Table, Set<string>> | undefined;
      let saved: Record<Table, string> | undefined;
      if (full) {
        const [nat, filter] = await Promise.all([runner.save('nat'), runner.save('filter')]);
        saved = { nat, filter };
        existing = { nat: ownedOnly(chainsIn(nat)), filter: ownedOnly(chainsIn(filter)) };
      }
      const plan = restorePlan({ desired, written: full ? emptyWritten() : this.written, existing, full });
      await runner.restore(plan.text);
      this.written = { nat: new Map(desired.nat), filter: new Map(desired.filter) };
      // Chains must exist before anything jumps to them, so the jumps come after the restore.
      // A jump the saved rules already show needs no probe (each probe loads the whole table).
      if (saved) {
        for (const j of BUILTIN_JUMPS) {
          const rule = `${j.match} -j ${j.target}`;
          if (!saved[j.table].includes(`-A ${j.chain} ${rule}\n`)) await runner.ensureRule(j.table, j.chain, rule);
        }
      }
      if (full) this.lastFullSync = started;
      const result = { full, changedChains: plan.changedChains, deletedChains: plan.deletedChains, durationMs: Date.now() - started };
      log.debug(result, 'iptables synced');
      this.onSynced?.(result);
      return result;
    } catch (err) {
      // What is in the kernel is now unknown: the next sync writes everything.
      this.written = emptyWritten();
      this.lastFullSync = 0;
      log.error({ err: err instanceof Error ? err.message : String(err) }, 'iptables sync failed; retrying with a full sync');
      if (!this.stopped) setTimeout(() => this.requestSync(true), this.minSyncPeriodMs).unref();
      return undefined;
    }
  }
}

/** Chain names declared in iptables-save output (`:NAME POLICY [counters]`). */
function chainsIn(saved: string): Set<string> {
  return new Set([...saved.matchAll(/^:(\S+)/gm)].map((m) => m[1]));
}

function ownedOnly(chains: Set<string>): Set<string> {
  return new Set([...chains].filter(isOwned));
}

/** `--cleanup`: removes the jumps into our chains and every chain we own; touches nothing else. */
export async function cleanupRules(runner: IptablesRunner): Promise<number> {
  for (const j of BUILTIN_JUMPS) await runner.deleteRule(j.table, j.chain, `${j.match} -j ${j.target}`);
  let removed = 0;
  for (const table of ['nat', 'filter'] as const) {
    const owned = [...ownedOnly(await runner.chains(table))].sort();
    if (owned.length === 0) continue;
    // Declaring flushes every owned chain first, so references among them are gone before -X.
    const text = [`*${table}`, ...owned.map((c) => `:${c} - [0:0]`), ...owned.map((c) => `-X ${c}`), 'COMMIT', ''].join('\n');
    await runner.restore(text);
    removed += owned.length;
  }
  return removed;
}
