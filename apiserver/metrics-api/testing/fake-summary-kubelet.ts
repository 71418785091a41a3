// Test-only: a kubelet stand-in on 127.0.0.1 over HTTPS (certificate from its own test CA)
// that answers `/stats/summary` with whatever summary the test sets, or never answers when
// told to hang, so tests can see a slow node left out.

import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { createCA, issueServingCert, type KeyPair } from '../../../client/pki.js';

export interface FakeSummaryKubelet {
  port: number;
  ca: KeyPair;
  /** The body served at `/stats/summary`. */
  summary: unknown;
  /** Accept requests but never answer them. */
  hang: boolean;
  /** Every path asked for, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** A summary in the kubelet's shape: node totals and per-container cpu/memory, with `time` set to now. */
export function summaryOf(node: { name: string; nanoCores: number; workingSet: number }, pods: Array<{ namespace: string; name: string; uid?: string; containers: Array<{ name: string; nanoCores?: number; workingSet?: number }> }>): unknown {
  const time = new Date().toISOString();
  return {
    node: { nodeName: node.name, cpu: { time, usageNanoCores: node.nanoCores, usageCoreNanoSeconds: 1e12 }, memory: { time, workingSetBytes: node.workingSet, usageBytes: node.workingSet } },
    pods: pods.map((p) => ({
      podRef: { namespace: p.namespace, name: p.name, uid: p.uid ?? '' },
      containers: p.containers.map((c) => ({
        name: c.name,
        ...(c.nanoCores !== undefined ? { cpu: { time, usageNanoCores: c.nanoCores, usageCoreNanoSeconds: 1e9 } } : {}),
        ...(c.workingSet !== undefined ? { memory: { time, workingSetBytes: c.workingSet, usageBytes: c.workingSet } } : {}),
      })),
    })),
  };
}

/** Pass `ca` to have several fake kubelets trusted through one CA, as real kubelets are. */
export async function startFakeSummaryKubelet(summary: unknown, ca?: KeyPair): Promise<FakeSummaryKubelet> {
  ca ??= await createCA('fake-summary-kubelet-ca');
  const serving = await issueServingCert(ca, { commonName: 'fake-kubelet', hosts: ['127.0.0.1'] });
  const sockets = new Set<Socket>();
  const fake: Omit<FakeSummaryKubelet, 'port' | 'close'> = { ca, summary, hang: false, requests: [] };
  const server: Server = createServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
    fake.requests.push(req.url ?? '');
    if (fake.hang) return;
    if (new URL(req.url ?? '/', 'https://kubelet').pathname !== '/stats/summary') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(fake.summary));
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
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
