// The scheduler's own HTTP endpoint: /healthz (and /livez, /readyz) and Prometheus /metrics.
// HTTPS when a certificate is given, plain HTTP otherwise (fine on a lab host; say
// --tls-cert-file/--tls-private-key-file to serve TLS as kube-scheduler does on 10259).

import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface HealthServer {
  url: string;
  close(): Promise<void>;
}

export async function startHealthServer(opts: {
  bindAddress: string;
  port: number;
  registry: Registry;
  healthy: () => boolean;
  tls?: { certFile: string; keyFile: string };
}): Promise<HealthServer> {
  const handler: http.RequestListener = (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (path === '/healthz' || path === '/livez' || path === '/readyz') {
      const ok = opts.healthy();
      res.writeHead(ok ? 200 : 503, { 'Content-Type': 'text/plain' }).end(ok ? 'ok' : 'not ok');
      return;
    }
    if (path === '/metrics') {
      opts.registry.metrics().then(
        (text) => res.writeHead(200, { 'Content-Type': opts.registry.contentType }).end(text),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
  };
  const server = opts.tls
    ? https.createServer({ cert: readFileSync(opts.tls.certFile), key: readFileSync(opts.tls.keyFile) }, handler)
    : http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.bindAddress, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `${opts.tls ? 'https' : 'http'}://${host}:${addr.port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
