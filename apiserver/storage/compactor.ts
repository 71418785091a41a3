// Compaction, as kube-apiserver does it: every interval, compact etcd to the revision seen
// one interval earlier, so watchers and paginated lists always have at least one interval
// of history. Several API servers share one etcd: the `compact_rev_key` transaction lets
// only the first of them in each round compact.
//
//   txn  if   version(compact_rev_key) == version this server last saw
//        then put(compact_rev_key, rev)       -> this server compacts to rev
//        else get(compact_rev_key)            -> another server did; learn its version

import type { Logger } from '../../client/log.js';
import type { EtcdConnection } from './etcd-client.js';
import type { StorageMetrics } from './metrics.js';

export const COMPACT_REV_KEY = 'compact_rev_key';

export interface CompactionRound {
  /** The version of compact_rev_key after this round: the next round's expected version. */
  version: number;
  /** etcd's revision when this round ran: the next round compacts to it. */
  revision: number;
  /** The revision etcd is now compacted to, when this round learned it. */
  compactedTo?: number;
}

/** One round: claim the round through compact_rev_key, then compact to `revision` (0: claim only). */
export async function compactRound(conn: EtcdConnection, expectedVersion: number, revision: number): Promise<CompactionRound> {
  const key = Buffer.from(COMPACT_REV_KEY);
  const res = await conn.call('compact', '', (o) =>
    conn.kv.txn(
      {
        compare: [{ key, target: 'Version', result: 'Equal', version: expectedVersion }],
        success: [{ request_put: { key, value: Buffer.from(String(revision)) } }],
        failure: [{ request_range: { key } }],
      },
      o,
    ),
  );
  const current = Number(res.header.revision);
  if (!res.succeeded) {
    const kv = res.responses[0]?.response_range?.kvs[0];
    const theirs = kv ? Number(kv.value.toString()) : 0;
    return { version: kv ? Number(kv.version) : 0, revision: current, compactedTo: theirs > 0 ? theirs : undefined };
  }
  if (revision === 0) return { version: expectedVersion + 1, revision: current };
  await conn.call('compact', '', (o) => conn.kv.compact({ revision: String(revision) }, o));
  return { version: expectedVersion + 1, revision: current, compactedTo: revision };
}

export class Compactor {
  private timer: NodeJS.Timeout | undefined;
  private version = 0;
  private lastRevision = 0;
  private running: Promise<void> | undefined;
  /** The revision etcd is known to be compacted to. */
  compactedRevision = 0;

  constructor(
    private readonly conn: EtcdConnection,
    private readonly intervalMs: number,
    private readonly metrics: StorageMetrics,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.runRound(), this.intervalMs);
    this.timer.unref();
  }

  /** Runs one round now (the timer does this every interval). */
  runRound(): Promise<void> {
    this.running ??= this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async round(): Promise<void> {
    try {
      const round = await compactRound(this.conn, this.version, this.lastRevision);
      this.version = round.version;
      this.lastRevision = round.revision;
      if (round.compactedTo !== undefined && round.compactedTo > this.compactedRevision) {
        this.compactedRevision = round.compactedTo;
        this.log.debug({ revision: round.compactedTo }, 'etcd compacted');
      }
      this.metrics.compactions.inc({ result: 'success' });
    } catch (err) {
      // A compaction to a revision already compacted (by hand, by another server) is fine:
      // the next round goes on from the current state.
      this.metrics.compactions.inc({ result: 'error' });
      this.log.debug({ err: err instanceof Error ? err.message : String(err) }, 'compaction round failed');
    }
  }
}
