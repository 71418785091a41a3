// Requests RestClient does not make: a GET whose body streams (pods/log with follow) and the
// TLS and credentials for a WebSocket (exec), both from the kubeconfig's ClientConfig.

import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import type { ClientConfig } from '../../client/kubeconfig.js';
import { errorFromStatus } from '../../client/errors.js';

export interface Transport {
  url: URL;
  tls: https.RequestOptions;
  headers: Record<string, string>;
}

/** The server URL for `path?query`, TLS options and the Authorization header of a ClientConfig. */
export function transportFor(config: ClientConfig, path: string, query: URLSearchParams): Transport {
  const base = new URL(config.server);
  const url = new URL(base.pathname.replace(/\/$/, '') + path, base);
  url.search = query.toString();
  const token = config.token ?? (config.tokenFile ? readFileSync(config.tokenFile, 'utf8').trim() : undefined);
  return {
    url,
    tls: { ca: config.ca, cert: config.cert, key: config.key, rejectUnauthorized: !config.insecureSkipTLSVerify, servername: config.tlsServerName },
    headers: { 'User-Agent': 'skiff-cli/0.1.0', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  };
}

/** GETs `path` and resolves with the response once it is 2xx (the body still streaming); a failure becomes the server's Status error. */
export function openStream(config: ClientConfig, path: string, query: URLSearchParams, signal?: AbortSignal, accept = '*/*'): Promise<http.IncomingMessage> {
  const t = transportFor(config, path, query);
  const mod = t.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(t.url, { method: 'GET', ...t.tls, headers: { ...t.headers, Accept: accept }, signal }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) return resolve(res);
      void statusErrorOf(res).then(reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The error a refused request's response carries: its Status body, or the bare code and text. */
export function statusErrorOf(res: http.IncomingMessage): Promise<Error> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not a Status: the bare code and text make the error.
      }
      resolve(errorFromStatus(res.statusCode ?? 0, body));
    });
    res.on('error', () => resolve(errorFromStatus(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
  });
}

/**
 * `skiff logs -f | head -3`: once the reader of stdout has gone, stop quietly (as kubectl
 * does) instead of failing on EPIPE with a stack trace.
 */
let watchingStdout = false;

export function endOnClosedStdout(): void {
  if (watchingStdout) return;
  watchingStdout = true;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}
