// Test-only: a kubelet stand-in on 127.0.0.1 over HTTPS with a certificate from a test CA. It
// answers `/containerLogs/...` with lines naming what it was asked, refuses a container named
// `waiting` as a kubelet does for a container not started yet, echoes node-proxy requests, and
// accepts upgrade requests on `/exec`, `/attach` and `/portForward` with a 101 and then echoes
// every byte (or refuses a WebSocket offer with the bare 403 containerd gives, when told to).

import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { createCA, issueServingCert, type KeyPair } from '../../../client/pki.js';

export interface FakeKubelet {
  port: number;
  ca: KeyPair;
  /** Every upgrade request's head, as received. */
  upgrades: Array<{ method: string; url: string; headers: Record<string, string | string[] | undefined> }>;
  /** Answer WebSocket upgrades with 403 (as containerd 1.6 does for v5), SPDY ones with 101. */
  refuseWebSocket: boolean;
  /** How many `follow=true` log streams are open right now. */
  following: number;
  close(): Promise<void>;
}

export async function startFakeKubelet(): Promise<FakeKubelet> {
  const ca = await createCA('fake-kubelet-ca');
  const serving = await issueServingCert(ca, { commonName: 'fake-kubelet', hosts: ['127.0.0.1'] });
  const sockets = new Set<Socket>();
  const fake: Omit<FakeKubelet, 'port' | 'close'> = { ca, upgrades: [], refuseWebSocket: false, following: 0 };

  const server: Server = createServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://kubelet');
    const logs = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (logs) {
      if (logs[3] === 'waiting') {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(`container "waiting" in pod "${logs[2]}" is waiting to start: ContainerCreating`);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write(`log of ${logs[1]}/${logs[2]}/${logs[3]}\n`);
      if (url.searchParams.get('follow') === 'true') {
        // A followed log never ends on its own: a line every 20 ms until the reader goes.
        fake.following++;
        let n = 0;
        const timer = setInterval(() => res.write(`line ${++n}\n`), 20);
        res.on('close', () => {
          clearInterval(timer);
          fake.following--;
        });
        return;
      }
      res.end(`query ${url.searchParams.toString()}\n`);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(203, { 'content-type': 'application/json', 'x-kubelet': 'fake' });
      res.end(JSON.stringify({ method: req.method, url: req.url, authorization: req.headers.authorization ?? null, body: Buffer.concat(chunks).toString() }));
    });
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req, socket: Socket, head: Buffer) => {
    fake.upgrades.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    if (fake.refuseWebSocket && String(req.headers.upgrade).toLowerCase() === 'websocket') {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: ${String(req.headers.upgrade)}\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n`);
    if (head.length > 0) socket.write(head);
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  });
}
