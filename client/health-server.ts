// The small HTTP(S) server every component runs beside its work: `/healthz` (and `/livez`,
// `/readyz`) answer from the checks it is given, in kube-apiserver's format (`ok`, or one
// `[+]name ok` / `[-]name failed` line per check with `?verbose` or on failure), and
// `/healthz/<check>` runs one; `/metrics` serves a prom-client Registry. Bound to a given
// address and port (0 picks a free one).

import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { clientLogger } from './client-log.js';
import type { Logger } from './log.js';

/** True when healthy; throwing or false is a failure (the message is logged, not served). */
export type HealthCheck = () => boolean | Promise<boolean>;

export interface HealthServerOptions {
  address: string;
  port: number;
  /** Serve HTTPS with this certificate (PEM); plain HTTP without. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  checks?: Record<string, HealthCheck>;
  registry?: Registry;
  /** A check that has not answered by then fails. Default 5 s. */
  checkTimeoutMs?: number;
  logger?: Logger;
}

export interface HealthServer {
  /** `http(s)://address:port` */
  url: string;
  port: number;
  close(): Promise<void>;
}

async function runCheck(check: HealthCheck, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(check),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export async function startHealthServer(opts: HealthServerOptions): Promise<HealthServer> {
  const log = opts.logger ?? clientLogger().child({ part: 'health' });
  const checks = opts.checks ?? {};
  const timeoutMs = opts.checkTimeoutMs ?? 5000;

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://health');
    const send = (code: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(code, { 'Content-Type': type, 'Cache-Control': 'no-cache, private', 'X-Content-Type-Options': 'nosniff' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
    const m = /^\/(healthz|livez|readyz)(?:\/([^/]+))?\/?$/.exec(url.pathname);
    if (m) {
      const only = m[2];
      const names = only ? [only] : Object.keys(checks).sort();
      if (only && !(only in checks)) return send(404, `no such health check: ${only}\n`);
      const results = await Promise.all(names.map(async (n) => [n, await runCheck(checks[n], timeoutMs)] as const));
      const failed = results.filter(([, ok]) => !ok).map(([n]) => n);
      if (failed.length > 0) log.debug({ failed }, `${m[1]} check failed`);
      const lines = results.map(([n, ok]) => (ok ? `[+]${n} ok` : `[-]${n} failed: reason withheld`));
      if (failed.length > 0) return send(500, `${lines.join('\n')}\n${m[1]} check failed\n`);
      return send(200, url.searchParams.has('verbose') ? `${lines.join('\n')}\n${m[1]} check passed\n` : 'ok');
    }
    if (url.pathname === '/metrics' && opts.registry) {
      return send(200, await opts.registry.metrics(), opts.registry.contentType);
    }
    return send(404, '404 page not found\n');
  };
  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      log.debug({ err: String(err) }, 'health server: request failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };

  const server = opts.tls ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }, listener) : http.createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.address.includes(':') ? `[${opts.address}]` : opts.address;
  return {
    url: `${opts.tls ? 'https' : 'http'}://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
