// One etcd watch on a key prefix, on a gRPC stream of its own, so the watch cache controls
// its life exactly: it starts at a given revision, reports event batches and progress
// (header revisions with no events), and reports once when it is lost (etcd gone, stream
// ended, watch canceled by compaction). It never reconnects by itself: the cache relists.

import type { IDuplexStream, IEvent, IWatchRequest, IWatchResponse } from 'etcd3';
import type { EtcdConnection } from './etcd-client.js';
import { prefixEnd } from './list.js';

const PROGRESS_RETRY_MS = 500;

/** The watch's start revision has been compacted: the cache must relist. */
export class WatchCompactedError extends Error {}

export interface WatchSourceHandlers {
  /** A batch of events, all at or below `revision`, in order. */
  onEvents(events: IEvent[], revision: number): void;
  /** No events, but every event up to `revision` has been delivered. */
  onProgress(revision: number): void;
  /** The watch ended; `compacted` when its start revision was compacted away. */
  onLost(why: string, compacted: boolean): void;
}

export class WatchSource {
  private stream: IDuplexStream<IWatchRequest, IWatchResponse> | undefined;
  private lost = false;
  private pending: IEvent[] = [];
  private progressRequestedAt = 0;
  private onCreated: () => void = () => undefined;

  private constructor(private readonly handlers: WatchSourceHandlers) {}

  /**
   * Opens the watch on every key under `prefix`, delivering events after `afterRevision`.
   * Resolves once etcd has created the watch; rejects (WatchCompactedError when
   * `afterRevision` is compacted away) when it will not.
   */
  static async open(conn: EtcdConnection, prefix: string, afterRevision: number, handlers: WatchSourceHandlers): Promise<WatchSource> {
    const stream = await conn.watchClient.watch();
    return new Promise<WatchSource>((resolve, reject) => {
      let created = false;
      const source = new WatchSource({
        ...handlers,
        onLost: (why, compacted) => {
          if (created) handlers.onLost(why, compacted);
          else reject(compacted ? new WatchCompactedError(why) : new Error(why));
        },
      });
      source.stream = stream;
      source.onCreated = () => {
        created = true;
        resolve(source);
      };
      stream.on('data', (res: IWatchResponse) => source.receive(res));
      stream.on('error', (err: Error) => source.lose(`etcd watch failed: ${err.message}`, false));
      stream.on('end', () => source.lose('etcd watch stream ended', false));
      stream.write({
        create_request: {
          key: Buffer.from(prefix),
          range_end: prefixEnd(prefix),
          start_revision: String(afterRevision + 1),
          progress_notify: true,
        },
      });
    });
  }

  /**
   * Asks etcd for a progress notification: a header revision such that every event up to it
   * on this watch has been sent. Consistent reads from the cache wait on it.
   */
  requestProgress(): void {
    // One request in flight is enough; ask again if its answer is overdue.
    if (this.lost || !this.stream || Date.now() - this.progressRequestedAt < PROGRESS_RETRY_MS) return;
    this.progressRequestedAt = Date.now();
    this.stream.write({ progress_request: {} });
  }

  close(): void {
    this.lost = true;
    // The stream then errors with CANCELLED; `lost` keeps that from being reported.
    this.stream?.cancel();
  }

  private receive(res: IWatchResponse): void {
    if (this.lost) return;
    if (res.canceled) {
      const compacted = Number(res.compact_revision) > 0;
      this.lose(compacted ? `etcd watch canceled: revision compacted (${res.compact_revision})` : `etcd watch canceled: ${res.cancel_reason}`, compacted);
      return;
    }
    if (res.created) {
      this.onCreated();
      return;
    }
    const revision = Number(res.header.revision);
    if (res.events.length > 0) {
      // A large response arrives in fragments; deliver it whole.
      this.pending.push(...res.events);
      if (res.fragment) return;
      const events = this.pending;
      this.pending = [];
      this.handlers.onEvents(events, revision);
      return;
    }
    this.progressRequestedAt = 0;
    this.handlers.onProgress(revision);
  }

  private lose(why: string, compacted: boolean): void {
    if (this.lost) return;
    this.close();
    this.handlers.onLost(why, compacted);
  }
}
