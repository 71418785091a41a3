// Waiting for a started process to become healthy, and failing with the reason (its exit,
// or the last lines of its log) when it does not.

import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { runningProcess, tailOf } from './processes.js';

export interface Probe {
  status: number;
  body: string;
}

export async function getHttp(url: string, opts: { caFile?: string; timeoutMs?: number } = {}): Promise<Probe> {
  if (url.startsWith('http://')) {
    const res = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 2000) });
    return { status: res.status, body: await res.text() };
  }
  const ca = opts.caFile ? readFileSync(opts.caFile) : undefined;
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, timeout: opts.timeoutMs ?? 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${opts.timeoutMs ?? 2000} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Polls `check` until it passes; fails early when the process behind `pidFile` exits, and
 * the error then carries the end of its log.
 */
export async function waitHealthy(what: string, pidFile: string, logFile: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (!runningProcess(pidFile)) {
      throw new Error(`${what} exited during start-up; the end of its log (${logFile}):\n${tailOf(logFile)}`);
    }
    try {
      if (await check()) return;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} was not healthy after ${timeoutMs / 1000} s${last ? ` (${last})` : ''}; log: ${logFile}`);
}
