// The kubelet's HTTPS endpoint (--port, 10250): /healthz, /metrics, /metrics/cadvisor,
// /stats/summary, /containerLogs/..., /pods, and the upgrade endpoints /exec, /attach and
// /portForward, which are passed through to containerd's stream server. Clients authenticate
// with certificates signed by --client-ca-file (the API server's kubelet client certificate);
// /healthz needs none.

import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import type { Registry } from 'prom-client';
import type { Pod } from '../../api/types.js';
import type { Logger } from '../../client/log.js';
import type { CriClient } from '../cri/client.js';
import { CONTAINER_NAME, POD_UID } from '../pod/labels.js';
import { findLogContainer, LogError, parseLogQuery, streamLog } from './logs.js';
import type { StatsProvider } from './stats.js';
import { failUpgrade, parseStreamQuery, proxyUpgrade } from './stream.js';

export interface KubeletServerDeps {
  cri: CriClient;
  podByName(namespace: string, name: string): Pod | undefined;
  pods(): Pod[];
  registry: Registry;
  stats: StatsProvider;
  healthy(): Promise<boolean>;
  log: Logger;
}

export interface KubeletServerOptions {
  address: string;
  port: number;
  cert: string | Buffer;
  key: string | Buffer;
  /** PEM of the CA client certificates must chain to; without it every client is accepted. */
  clientCa?: string | Buffer;
}

export interface KubeletServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

function sendStatus(res: ServerResponse, code: number, reason: string, message: string): void {
  const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function sendJson(res: ServerResponse, obj: unknown): void {
  const body = JSON.stringify(obj);
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** The container a request names (or the pod's only/default one), as its newest CRI container id. */
async function resolveContainer(d: KubeletServerDeps, ns: string, podName: string, container: string | undefined): Promise<{ pod: Pod; id: string; name: string }> {
  const pod = d.podByName(ns, podName);
  if (!pod) throw new LogError(404, `pods "${podName}" not found`);
  const names = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c) => c.name);
  const name = container || pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'] || names[0];
  if (!name || !names.includes(name)) throw new LogError(400, `container ${name} is not valid for pod ${podName}`);
  const list = await d.cri.listContainers({ label_selector: { [POD_UID]: pod.metadata?.uid ?? '', [CONTAINER_NAME]: name } });
  const running = list.filter((c) => c.state === 'CONTAINER_RUNNING').sort((a, b) => (b.metadata?.attempt ?? 0) - (a.metadata?.attempt ?? 0));
  if (!running[0]) throw new LogError(400, `container ${name} is not running`);
  return { pod, id: running[0].id, name };
}

export async function startKubeletServer(d: KubeletServerDeps, o: KubeletServerOptions): Promise<KubeletServer> {
  const server = https.createServer({ cert: o.cert, key: o.key, ...(o.clientCa ? { ca: o.clientCa, requestCert: true, rejectUnauthorized: false } : {}) });
  const authorized = (req: IncomingMessage): boolean => !o.clientCa || (req.socket as TLSSocket).authorized === true;

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'https://kubelet');
      const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      try {
        if (url.pathname === '/healthz') {
          const ok = await d.healthy();
          res.writeHead(ok ? 200 : 500, { 'Content-Type': 'text/plain' });
          return void res.end(ok ? 'ok' : 'unhealthy');
        }
        if (!authorized(req)) return sendStatus(res, 401, 'Unauthorized', 'Unauthorized');
        if (url.pathname === '/metrics') {
          res.writeHead(200, { 'Content-Type': d.registry.contentType });
          return void res.end(await d.registry.metrics());
        }
        if (url.pathname === '/metrics/cadvisor') {
          const m = await d.stats.cadvisorMetrics();
          res.writeHead(200, { 'Content-Type': m.contentType });
          return void res.end(m.body);
        }
        if (url.pathname === '/stats/summary') return sendJson(res, await d.stats.summary());
        if (url.pathname === '/pods') return sendJson(res, { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: d.pods() });
        if (parts[0] === 'containerLogs' && parts.length === 4) {
          const [, ns, podName, container] = parts;
          const pod = d.podByName(ns, podName);
          if (!pod) return sendStatus(res, 404, 'NotFound', `pods "${podName}" not found`);
          const opts = parseLogQuery(url.searchParams);
          const target = await findLogContainer(d.cri, pod.metadata?.uid ?? '', container, opts.previous);
          res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
          await streamLog(res, target.logPath, opts, async () => {
            try {
              return (await d.cri.containerStatus(target.id)).status?.state === 'CONTAINER_RUNNING';
            } catch {
              return false;
            }
          });
          return;
        }
        if (['exec', 'attach', 'portForward'].includes(parts[0])) return sendStatus(res, 400, 'BadRequest', 'Upgrade request required');
        sendStatus(res, 404, 'NotFound', `the server could not find the requested resource ${url.pathname}`);
      } catch (err) {
        if (res.headersSent) return void res.destroy();
        if (err instanceof LogError) return sendStatus(res, err.code, err.code === 404 ? 'NotFound' : 'BadRequest', err.message);
        d.log.warn({ path: url.pathname, err: (err as Error).message }, 'kubelet request failed');
        sendStatus(res, 500, 'InternalError', (err as Error).message);
      }
    })();
  });

  // Upgraded connections leave the HTTP server's bookkeeping: close() ends them itself.
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    void (async () => {
      const url = new URL(req.url ?? '/', 'https://kubelet');
      const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      if (!authorized(req)) return failUpgrade(socket, 401, 'Unauthorized', 'Unauthorized');
      try {
        const q = parseStreamQuery(url.searchParams);
        if ((parts[0] === 'exec' || parts[0] === 'attach') && (parts.length === 4 || parts.length === 3)) {
          const [kind, ns, podName, container] = parts;
          const { id } = await resolveContainer(d, ns, podName, container ?? q.container);
          if (!q.stdin && !q.stdout && !q.stderr) return failUpgrade(socket, 400, 'BadRequest', 'you must specify at least one of stdin, stdout, stderr');
          let criUrl: string;
          if (kind === 'exec') {
            if (q.command.length === 0) return failUpgrade(socket, 400, 'BadRequest', 'you must specify at least one command for the container');
            criUrl = await d.cri.exec({ container_id: id, cmd: q.command, tty: q.tty, stdin: q.stdin, stdout: q.stdout, stderr: q.stderr });
          } else {
            criUrl = await d.cri.attach({ container_id: id, tty: q.tty, stdin: q.stdin, stdout: q.stdout, stderr: q.stderr });
          }
          return proxyUpgrade(req, socket, head, criUrl);
        }
        if (parts[0] === 'portForward' && parts.length === 3) {
          const pod = d.podByName(parts[1], parts[2]);
          if (!pod) return failUpgrade(socket, 404, 'NotFound', `pods "${parts[2]}" not found`);
          const sandboxes = await d.cri.listPodSandbox({ label_selector: { [POD_UID]: pod.metadata?.uid ?? '' }, state: { state: 'SANDBOX_READY' } });
          if (!sandboxes[0]) return failUpgrade(socket, 400, 'BadRequest', `pod ${parts[2]} has no running sandbox`);
          // WebSocket clients name their ports in the query (`port`, repeated); SPDY ones in stream headers.
          const ports = [...url.searchParams.getAll('port'), ...url.searchParams.getAll('ports')].flatMap((p) => p.split(',')).map(Number).filter((n) => Number.isInteger(n) && n > 0 && n < 65536);
          return proxyUpgrade(req, socket, head, await d.cri.portForward(sandboxes[0].id, ports), { forwardQuery: true });
        }
        failUpgrade(socket, 404, 'NotFound', `the server could not find the requested resource ${url.pathname}`);
      } catch (err) {
        if (err instanceof LogError) return failUpgrade(socket, err.code, err.code === 404 ? 'NotFound' : 'BadRequest', err.message);
        failUpgrade(socket, 500, 'InternalError', (err as Error).message);
      }
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.address, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://${o.address.includes(':') ? `[${o.address}]` : o.address}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of upgraded) s.destroy();
        server.closeAllConnections();
        // Never let a stuck connection hold a shutdown.
        const timer = setTimeout(resolve, 2000);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}

export function readPem(path: string): Buffer {
  return readFileSync(path);
}
