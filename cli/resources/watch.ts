// `skiff get -w` / `--watch-only`: the table, then one row per change as the server reports it
// (watch events carrying one-row Tables), columns kept as wide as any row printed so far so
// the rows stay under their header, as kubectl's tab writer remembers widths.

import { resourcePath, type ResourceType } from '../../api/resources.js';
import type { KubeObject, WatchEvent } from '../../api/types.js';
import { ApiStatusError } from '../../client/errors.js';
import { WatchLineDecoder } from '../../client/watch.js';
import { openStream } from '../inspect/stream.js';
import type { Connection } from './connection.js';
import { TABLE_ACCEPT, tableLines, type ServerTable, type TableOptions } from './table.js';

/** Pads rows to the widest cell seen so far in each column; the widths only grow. */
export class RowPrinter {
  private widths: number[] = [];

  format(lines: string[][]): string {
    for (const line of lines) line.forEach((cell, i) => (this.widths[i] = Math.max(this.widths[i] ?? 0, cell.length)));
    return lines.map((line) => `${line.map((cell, i) => cell.padEnd(this.widths[i])).join('   ').trimEnd()}\n`).join('');
  }
}

export interface WatchRequest {
  type: ResourceType;
  namespace?: string;
  name?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

type TableWithMeta = ServerTable & { metadata?: { resourceVersion?: string } };

/**
 * Prints the current table (unless `watchOnly`), then each change until the signal aborts.
 * A watch the server ends is resumed from the last version seen; a 410 (history compacted)
 * ends the command with the server's error.
 */
export async function watchTable(conn: Connection, req: WatchRequest, opts: TableOptions & { watchOnly?: boolean }, write: (text: string) => void, signal?: AbortSignal): Promise<void> {
  const fieldSelector = [req.fieldSelector, req.name ? `metadata.name=${req.name}` : undefined].filter(Boolean).join(',') || undefined;
  const path = resourcePath(req.type, req.namespace);
  const list = await conn.client.send<TableWithMeta>('GET', path, undefined, { headers: { Accept: TABLE_ACCEPT }, query: { labelSelector: req.labelSelector, fieldSelector } });
  const printer = new RowPrinter();
  let columns = list.columnDefinitions;
  let headerShown = false;
  const print = (rows: ServerTable['rows']) => {
    const lines = tableLines({ kind: 'Table', columnDefinitions: columns, rows }, { ...opts, noHeaders: opts.noHeaders || headerShown });
    if (lines.length) write(printer.format(lines));
    headerShown = true;
  };
  if (!opts.watchOnly && list.rows.length) print(list.rows);
  let resourceVersion = list.metadata?.resourceVersion ?? '';
  while (!signal?.aborted) {
    const query = new URLSearchParams({ watch: '1', resourceVersion, allowWatchBookmarks: 'true' });
    if (req.labelSelector) query.set('labelSelector', req.labelSelector);
    if (fieldSelector) query.set('fieldSelector', fieldSelector);
    let res;
    try {
      res = await openStream(conn.client.config, path, query, signal, TABLE_ACCEPT);
    } catch (err) {
      if (signal?.aborted) return;
      throw err;
    }
    const decoder = new WatchLineDecoder<KubeObject>();
    await new Promise<void>((resolve, reject) => {
      const handle = (events: WatchEvent<KubeObject>[]) => {
        for (const ev of events) {
          const obj = ev.object as unknown as TableWithMeta & { code?: number; reason?: string; message?: string };
          if (ev.type === 'ERROR') throw new ApiStatusError(obj.code ?? 500, obj.reason ?? 'InternalError', obj.message ?? 'the watch failed');
          if (obj.metadata?.resourceVersion) resourceVersion = obj.metadata.resourceVersion;
          if (ev.type === 'BOOKMARK') continue;
          if (obj.columnDefinitions?.length) columns = obj.columnDefinitions;
          for (const row of obj.rows ?? []) {
            const rv = row.object?.metadata?.resourceVersion;
            if (rv) resourceVersion = rv;
          }
          print(obj.rows ?? []);
        }
      };
      res.on('data', (chunk: Buffer) => {
        try {
          handle(decoder.push(chunk));
        } catch (err) {
          res.destroy();
          reject(err);
        }
      });
      res.on('end', resolve);
      res.on('close', resolve);
      res.on('error', (err) => (signal?.aborted ? resolve() : reject(err)));
    });
  }
}
