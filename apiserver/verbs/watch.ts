// A watch: one JSON event per line, flushed per event, ended cleanly after `timeoutSeconds`,
// when the client goes, when the store ends the stream, or when the server shuts down.
// Failures after the stream began travel as an ERROR event carrying a Status, as upstream
// sends them (a too-old resourceVersion is a 410 Expired event, not an HTTP error).

import type { Request, Response } from 'express';
import type { KubeObject, WatchEvent } from '../../api/types.js';
import type { RequestContext } from '../context.js';
import { ApiError, errors } from '../errors.js';
import type { Seams } from '../seams.js';
import { watchEventLine } from '../storage/serialized.js';
import type { WatchStream } from '../storage/store.js';
import { drained, includeObjectOf, setWarnings, wantsTable } from '../respond.js';
import { watchOptions, watchTimeoutMs } from './list-options.js';

/** Closes every open watch on shutdown. */
export class WatchRegistry {
  private readonly open = new Set<() => void>();
  add(close: () => void): () => void {
    this.open.add(close);
    return () => this.open.delete(close);
  }
  get size(): number {
    return this.open.size;
  }
  closeAll(): void {
    for (const close of [...this.open]) close();
  }
}

function errorEvent(err: unknown): WatchEvent {
  const apiErr = err instanceof ApiError ? err : errors.internal((err as Error)?.message ?? String(err));
  return { type: 'ERROR', object: apiErr.toStatus() as unknown as WatchEvent['object'] };
}

export async function serveWatch(ctx: RequestContext, seams: Seams, req: Request, res: Response, watches: WatchRegistry): Promise<void> {
  const opts = watchOptions(ctx, seams);
  const timeoutMs = watchTimeoutMs(ctx.query);
  let stream: WatchStream | undefined;
  let startError: unknown;
  try {
    stream = await ctx.store.watch(ctx.type, opts);
  } catch (err) {
    // Anything but "too old" is an HTTP error (503 while etcd is away, 400, ...).
    if (!(err instanceof ApiError) || err.code !== 410) throw err;
    startError = err;
  }

  setWarnings(res, ctx.warnings);
  res.status(200);
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Cache-Control', 'no-cache, private');
  res.flushHeaders();
  if (startError !== undefined) {
    res.end(`${JSON.stringify(errorEvent(startError))}\n`);
    return;
  }
  const events = stream!;

  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    events.close();
  };
  const unregister = watches.add(finish);
  const timer = timeoutMs === undefined ? undefined : setTimeout(finish, timeoutMs);
  res.on('close', finish);
  req.on('close', finish);
  try {
    const lines = seams.toTable && wantsTable(req.headers.accept) ? tableLines(ctx, seams, events) : eventLines(events);
    for await (const line of lines) {
      if (finished || res.destroyed) break;
      if (!res.write(line)) await drained(res);
    }
  } catch (err) {
    if (!res.destroyed && !finished) res.write(`${JSON.stringify(errorEvent(err))}\n`);
  } finally {
    if (timer) clearTimeout(timer);
    unregister();
    finish();
    if (!res.destroyed) res.end();
  }
}

/** The stream's events as lines; pre-serialized events are written as they are, each line built once for all watchers. */
async function* eventLines(events: WatchStream): AsyncIterable<string> {
  if (events.rawEvents) {
    for await (const e of events.rawEvents()) yield watchEventLine(e);
    return;
  }
  for await (const e of events) yield `${JSON.stringify(e)}\n`;
}

/**
 * Events for `kubectl get -w`: each object becomes a one-row Table; the column definitions go
 * with the first row only, as upstream sends them. Bookmarks and errors pass unchanged.
 */
async function* tableLines(ctx: RequestContext, seams: Seams, events: WatchStream): AsyncIterable<string> {
  const includeObject = includeObjectOf(ctx.query);
  let first = true;
  for await (const e of events) {
    if (e.type === 'BOOKMARK' || e.type === 'ERROR') {
      yield `${JSON.stringify(e)}\n`;
      continue;
    }
    const table = seams.toTable!(ctx.type, [e.object], { includeObject }) as KubeObject & { columnDefinitions?: unknown[] };
    if (!first) table.columnDefinitions = [];
    first = false;
    yield `${JSON.stringify({ type: e.type, object: table })}\n`;
  }
}
