// Watching, as client-go's reflector does it: one long watch request after another, each
// resuming from the last resourceVersion seen (an event's or a BOOKMARK's), so a server
// ending the stream or going away loses nothing. When the resourceVersion has been compacted
// (410 Gone) the caller must list again: `relist` is called and the watch resumes from the
// list's resourceVersion. Failures back off exponentially with jitter; abort stops cleanly.

import { StringDecoder } from 'node:string_decoder';
import type { KubeObject, WatchEvent } from '../api/types.js';
import { errorFromStatus, GoneError, isGone, isStatus } from './errors.js';
import type { ResourceClient } from './interfaces.js';
import { clientLogger } from './client-log.js';
import type { Logger } from './log.js';
import { backoffDelay, sleep } from './rate-limiter.js';

/**
 * Splits a watch response body into events: one JSON object per line, arriving in chunks
 * cut anywhere (inside an object, inside a multi-byte character). Blank lines are skipped;
 * a line that is not JSON is an error (the stream is corrupt and must be restarted).
 */
export class WatchLineDecoder<T extends KubeObject = KubeObject> {
  private readonly decoder = new StringDecoder('utf8');
  /** The pieces of the line still being received; joined only once its newline arrives, so tiny chunks of a large object stay linear. */
  private partial: string[] = [];

  /** Feeds a chunk; returns the events completed by it, in order. */
  push(chunk: Buffer | string): WatchEvent<T>[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const events: WatchEvent<T>[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      this.partial.push(text.slice(start, nl));
      const ev = parseLine<T>(this.partial.length === 1 ? this.partial[0] : this.partial.join(''));
      this.partial = [];
      if (ev) events.push(ev);
      start = nl + 1;
    }
    if (start < text.length) this.partial.push(text.slice(start));
    return events;
  }

  /** Ends the stream: a final line without a newline still counts; a cut-off object is an error. */
  end(): WatchEvent<T>[] {
    const rest = this.partial.join('') + this.decoder.end();
    this.partial = [];
    const ev = parseLine<T>(rest);
    return ev ? [ev] : [];
  }
}

function parseLine<T extends KubeObject>(line: string): WatchEvent<T> | undefined {
  if (line.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new Error(`watch stream: malformed event (${line.length} bytes): ${line.slice(0, 120)}`);
  }
  const ev = parsed as Partial<WatchEvent<T>>;
  if (typeof ev !== 'object' || ev === null || typeof ev.type !== 'string' || typeof ev.object !== 'object' || ev.object === null) {
    throw new Error(`watch stream: not a watch event: ${line.slice(0, 120)}`);
  }
  return ev as WatchEvent<T>;
}

/**
 * An ERROR event carries a Status: 410 means the resourceVersion was compacted (relist),
 * anything else ends this watch with that error.
 */
export function errorFromWatchEvent(ev: WatchEvent): Error {
  const obj: unknown = ev.object;
  if (isStatus(obj)) return errorFromStatus(obj.code ?? 500, obj);
  return new Error(`watch stream: ERROR event without a Status: ${JSON.stringify(obj).slice(0, 200)}`);
}

export interface WatcherOptions<T extends KubeObject> {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Start after this resourceVersion (usually a list's). */
  resourceVersion: string;
  /** Every ADDED/MODIFIED/DELETED event, in order. BOOKMARKs only move the resume point. */
  onEvent(ev: WatchEvent<T>): void;
  /** Called on 410 Gone: list again, deliver what changed, and return the list's resourceVersion. */
  relist(signal: AbortSignal): Promise<string>;
  /** First reconnect delay; doubles per consecutive failure up to maxBackoffMs. Default 250 ms. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Server-side timeout of each watch request; default a random 5-10 min, as client-go. */
  timeoutSeconds?: () => number;
  logger?: Logger;
}

/** A stream that ended after less than this, with no events, counts as a failure for backoff. */
const SHORT_WATCH_MS = 1000;

export class Watcher<T extends KubeObject> {
  private rv: string;
  private readonly log: Logger;

  constructor(
    private readonly client: ResourceClient<T>,
    private readonly opts: WatcherOptions<T>,
  ) {
    this.rv = opts.resourceVersion;
    this.log = opts.logger ?? clientLogger().child({ part: 'watch' });
  }

  /** The resourceVersion the next watch request resumes from. */
  resourceVersion(): string {
    return this.rv;
  }

  /** Watches until `signal` aborts; never rejects for server or network trouble. */
  async run(signal: AbortSignal): Promise<void> {
    const base = this.opts.backoffMs ?? 250;
    const max = this.opts.maxBackoffMs ?? 30_000;
    let failures = 0;
    while (!signal.aborted) {
      const started = Date.now();
      let events = 0;
      try {
        await this.client.watch(
          this.opts.namespace,
          {
            resourceVersion: this.rv,
            allowWatchBookmarks: true,
            labelSelector: this.opts.labelSelector,
            fieldSelector: this.opts.fieldSelector,
            timeoutSeconds: this.opts.timeoutSeconds?.() ?? 300 + Math.floor(Math.random() * 300),
          },
          (ev) => {
            if (ev.type === 'ERROR') throw errorFromWatchEvent(ev);
            // Handled first, then the resume point moves: an event whose handler threw is
            // seen again after the reconnect rather than skipped.
            if (ev.type !== 'BOOKMARK') this.opts.onEvent(ev);
            const rv = ev.object.metadata?.resourceVersion;
            if (rv) this.rv = rv;
            events++;
            failures = 0;
          },
          signal,
        );
        if (events > 0 || Date.now() - started >= SHORT_WATCH_MS) continue;
        failures++;
      } catch (err) {
        if (signal.aborted) return;
        if (isGone(err) || err instanceof GoneError) {
          this.log.debug({ resource: this.client.type.resource, rv: this.rv }, 'watch: resourceVersion too old, relisting');
          try {
            this.rv = await this.opts.relist(signal);
            failures = 0;
            continue;
          } catch (relistErr) {
            if (signal.aborted) return;
            this.log.debug({ resource: this.client.type.resource, err: String(relistErr) }, 'watch: relist failed');
          }
        } else {
          this.log.debug({ resource: this.client.type.resource, err: String(err) }, 'watch: stream failed');
        }
        failures++;
      }
      try {
        await sleep(backoffDelay(failures - 1, base, max), signal);
      } catch {
        return;
      }
    }
  }
}
