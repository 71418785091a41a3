// GET /containerLogs/{namespace}/{pod}/{container}: a container's log from its CRI log file,
// as the kubelet serves it — follow, tailLines, sinceSeconds, sinceTime, timestamps,
// limitBytes, previous (the attempt before the current one).

import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { CriClient } from '../cri/client.js';
import { CONTAINER_NAME, POD_UID } from '../pod/labels.js';
import { CriLogDecoder, logTimeMs, type LogLine } from './cri-log.js';

export interface LogOptions {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceMs?: number;
  limitBytes?: number;
}

export function parseLogQuery(q: URLSearchParams, now = Date.now()): LogOptions {
  const bool = (k: string): boolean => q.get(k) === 'true' || q.get(k) === '1';
  const num = (k: string): number | undefined => (q.has(k) && /^\d+$/.test(q.get(k) ?? '') ? Number(q.get(k)) : undefined);
  const sinceSeconds = num('sinceSeconds');
  const sinceTime = q.get('sinceTime');
  return {
    follow: bool('follow'),
    previous: bool('previous'),
    timestamps: bool('timestamps'),
    tailLines: num('tailLines'),
    limitBytes: num('limitBytes'),
    sinceMs: sinceSeconds !== undefined ? now - sinceSeconds * 1000 : sinceTime ? Date.parse(sinceTime) : undefined,
  };
}

export class LogError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** The container id to read: the newest attempt, or the one before it with `previous`. */
export async function findLogContainer(cri: CriClient, uid: string, container: string, previous: boolean): Promise<{ id: string; logPath: string }> {
  const list = await cri.listContainers({ label_selector: { [POD_UID]: uid, [CONTAINER_NAME]: container } });
  list.sort((a, b) => (b.metadata?.attempt ?? 0) - (a.metadata?.attempt ?? 0));
  const pick = previous ? list[1] : list[0];
  if (!pick) throw new LogError(previous ? 400 : 404, previous ? `previous terminated container "${container}" not found` : `container "${container}" has no logs yet`);
  const st = (await cri.containerStatus(pick.id)).status;
  if (!st?.log_path) throw new LogError(404, `container "${container}" has no log file`);
  return { id: pick.id, logPath: st.log_path };
}

function format(line: LogLine, timestamps: boolean): string {
  return timestamps ? `${line.time} ${line.message}\n` : `${line.message}\n`;
}

/** Streams the log file to `res`; with follow, until the container stops or the client goes. */
export async function streamLog(res: ServerResponse, path: string, opts: LogOptions, stillRunning: () => Promise<boolean>): Promise<void> {
  const decoder = new CriLogDecoder();
  let offset = 0;
  let written = 0;
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  const write = (text: string): boolean => {
    if (opts.limitBytes !== undefined) {
      const room = opts.limitBytes - written;
      if (room <= 0) return false;
      text = Buffer.from(text).subarray(0, room).toString();
    }
    written += Buffer.byteLength(text);
    res.write(text);
    return opts.limitBytes === undefined || written < opts.limitBytes;
  };
  const readNew = (): LogLine[] => {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return [];
    }
    try {
      const size = statSync(path).size;
      if (size <= offset) return [];
      const buf = Buffer.alloc(size - offset);
      const n = readSync(fd, buf, 0, buf.length, offset);
      offset += n;
      return decoder.push(buf.subarray(0, n).toString('utf8'));
    } finally {
      closeSync(fd);
    }
  };

  let lines = readNew();
  if (opts.sinceMs !== undefined) lines = lines.filter((l) => logTimeMs(l.time) >= (opts.sinceMs as number));
  if (opts.tailLines !== undefined) lines = opts.tailLines === 0 ? [] : lines.slice(-opts.tailLines);
  for (const l of lines) if (!write(format(l, opts.timestamps))) return void res.end();

  if (opts.follow) {
    for (;;) {
      if (closed) return;
      await new Promise((r) => setTimeout(r, 100));
      const more = readNew();
      for (const l of more) if (!write(format(l, opts.timestamps))) return void res.end();
      if (more.length === 0 && !(await stillRunning())) {
        // One last read: the final lines may land just before the exit is visible.
        for (const l of readNew()) if (!write(format(l, opts.timestamps))) break;
        break;
      }
    }
  }
  res.end();
}
