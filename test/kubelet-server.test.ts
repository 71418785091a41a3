// The kubelet's HTTPS API on a real node: client-certificate auth, container logs (whole,
// tail, follow, previous), exec with and without a terminal over the upgrade pass-through to
// containerd (a minimal WebSocket client speaking v4.channel.k8s.io), the Summary API with
// stats that move, cAdvisor metrics, and a containerd restart under a running kubelet.

import { createHash, randomBytes } from 'node:crypto';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../api/types.js';
import type { KeyPair } from '../client/pki.js';
import { RestClient } from '../client/rest.js';
import type { Kubelet } from '../kubelet/kubelet.js';
import type { TestNode } from './harness/node.js';
import { startServingKubelet, type ServingKubelet } from './harness/serving-kubelet.js';
import { waitFor } from './harness/ports.js';

let node: TestNode;
let client: RestClient;
let kubelet: Kubelet;
let clientCert: KeyPair;
let serving: ServingKubelet | undefined;
const NS = 'default';

beforeAll(async () => {
  serving = await startServingKubelet({ restartBackoffBaseMs: 300, restartBackoffMaxMs: 1000 });
  ({ node, client, kubelet, clientCert } = serving);
});

afterAll(async () => {
  await serving?.stop();
});

function get(path: string, withCert = true): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(`${kubelet.server?.url}${path}`, { rejectUnauthorized: false, ...(withCert ? { cert: clientCert.certPem, key: clientCert.keyPem } : {}) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

interface WsResult {
  /** Data per channel (1 stdout, 2 stderr, 3 status for exec; 0, 1 for a port-forward). */
  channels: Map<number, Buffer>;
  stdout: string;
  stderr: string;
  status: string;
}

/** One client frame: binary, masked as RFC 6455 requires of clients. */
function clientFrame(payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const len = payload.length;
  const header = len < 126 ? Buffer.from([0x82, 0x80 | len]) : Buffer.from([0x82, 0x80 | 126, len >> 8, len & 255]);
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
  return Buffer.concat([header, mask, body]);
}

/**
 * A minimal WebSocket client speaking v4.channel.k8s.io to the kubelet: sends `send` frames
 * (channel byte first) after the upgrade, and ends when the server closes or `done` says so.
 */
function wsSession(path: string, send: Buffer[] = [], done?: (r: WsResult) => boolean): Promise<WsResult> {
  const key = randomBytes(16).toString('base64');
  return new Promise((resolve, reject) => {
    const req = https.request(`${kubelet.server?.url}${path}`, {
      rejectUnauthorized: false,
      cert: clientCert.certPem,
      key: clientCert.keyPem,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': key, 'Sec-WebSocket-Protocol': 'v4.channel.k8s.io' },
    });
    req.on('response', (res) => reject(new Error(`no upgrade: HTTP ${res.statusCode}`)));
    req.on('upgrade', (res, socket: TLSSocket, head: Buffer) => {
      const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      if (res.headers['sec-websocket-accept'] !== accept) return reject(new Error('bad Sec-WebSocket-Accept'));
      const out: WsResult = { channels: new Map(), stdout: '', stderr: '', status: '' };
      const finish = (): void => {
        out.stdout = out.channels.get(1)?.toString() ?? '';
        out.stderr = out.channels.get(2)?.toString() ?? '';
        out.status = out.channels.get(3)?.toString() ?? '';
      };
      let buf = head;
      let ended = false;
      const drain = (): void => {
        for (;;) {
          if (buf.length < 2) return;
          const opcode = buf[0] & 0x0f;
          let len = buf[1] & 0x7f;
          let off = 2;
          if (len === 126) {
            if (buf.length < 4) return;
            len = buf.readUInt16BE(2);
            off = 4;
          } else if (len === 127) {
            if (buf.length < 10) return;
            len = Number(buf.readBigUInt64BE(2));
            off = 10;
          }
          if (buf.length < off + len) return;
          const payload = buf.subarray(off, off + len);
          buf = buf.subarray(off + len);
          if (opcode === 8) return void socket.end();
          if ((opcode === 2 || opcode === 1) && payload.length > 0) {
            out.channels.set(payload[0], Buffer.concat([out.channels.get(payload[0]) ?? Buffer.alloc(0), payload.subarray(1)]));
            finish();
            if (!ended && done?.(out)) {
              ended = true;
              socket.destroy();
            }
          }
        }
      };
      socket.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        drain();
      });
      socket.on('close', () => {
        finish();
        resolve(out);
      });
      socket.on('error', () => undefined);
      for (const f of send) socket.write(clientFrame(f));
      drain();
    });
    req.on('error', reject);
    req.end();
  });
}

const wsExec = (path: string): Promise<WsResult> => wsSession(path);

async function runningPod(name: string, containers: NonNullable<Pod['spec']>['containers']): Promise<Pod> {
  await client.for<Pod>('pods').create(NS, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS }, spec: { nodeName: node.name, terminationGracePeriodSeconds: 1, containers } });
  let pod: Pod | undefined;
  await waitFor(`${name} running`, async () => (pod = await client.for<Pod>('pods').get(NS, name)).status?.phase === 'Running');
  return pod as Pod;
}

describe('kubelet server', () => {
  it('serves /healthz to anyone and everything else only to certified clients', async () => {
    expect(await get('/healthz', false)).toEqual({ status: 200, body: 'ok' });
    expect((await get('/pods', false)).status).toBe(401);
    expect((await get('/metrics')).body).toContain('kubelet_pod_worker_duration_seconds');
  });

  it('serves container logs: all, tail, timestamps, follow and previous', async () => {
    await runningPod('talker', [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'for i in 1 2 3 4 5; do echo line $i; done; sleep 1; echo late; sleep 3600'] }]);
    await waitFor('all lines', async () => (await get(`/containerLogs/${NS}/talker/main`)).body.includes('line 5'));
    expect((await get(`/containerLogs/${NS}/talker/main?tailLines=2`)).body).toMatch(/^line 4\nline 5\n(late\n)?$/);
    expect((await get(`/containerLogs/${NS}/talker/main?timestamps=true&tailLines=1`)).body).toMatch(/^\d{4}-\d\d-\d\dT\S+Z (line 5|late)\n$/);
    // follow: the stream stays open and delivers a line written later.
    const seen = await new Promise<string>((resolve, reject) => {
      let text = '';
      const req = https.get(`${kubelet.server?.url}/containerLogs/${NS}/talker/main?follow=true`, { rejectUnauthorized: false, cert: clientCert.certPem, key: clientCert.keyPem }, (res) => {
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
          if (text.includes('late\n')) {
            req.destroy();
            resolve(text);
          }
        });
      });
      req.on('error', (err) => (text.includes('late') ? undefined : reject(err)));
    });
    expect(seen.startsWith('line 1\n')).toBe(true);
    expect((await get(`/containerLogs/${NS}/talker/main?previous=true`)).status).toBe(400);
    expect((await get(`/containerLogs/${NS}/nope/main`)).status).toBe(404);
  });

  it('execs with and without a terminal through the pass-through', async () => {
    await runningPod('shell', [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }]);
    const plain = await wsExec(`/exec/${NS}/shell/main?command=sh&command=-c&command=${encodeURIComponent('echo out; echo err >&2; tty; exit 0')}&stdout=true&stderr=true`);
    expect(plain.stdout).toBe('out\nnot a tty\n');
    expect(plain.stderr).toBe('err\n');
    expect(plain.status).toContain('Success');
    // A terminal comes with stdin, as `kubectl exec -it` asks for it (kubectl drops -t without -i).
    const tty = await wsExec(`/exec/${NS}/shell/main?command=sh&command=-c&command=${encodeURIComponent('tty')}&stdin=true&stdout=true&tty=true`);
    expect(tty.stdout).toMatch(/^\/dev\/pts\/\d+\r?\n$/);
    const failed = await wsExec(`/exec/${NS}/shell/main?command=sh&command=-c&command=exit%203&stdout=true`);
    expect(failed.status).toContain('exit code 3');
  });

  it('attaches to a running container and forwards a port to the pod', async () => {
    await runningPod('ticker', [
      { name: 'tick', image: 'busybox', command: ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done'] },
      { name: 'web', image: 'busybox', command: ['httpd', '-f', '-p', '8080', '-h', '/var/www'] },
    ]);
    const attached = await wsSession(`/attach/${NS}/ticker/tick?stdout=true`, [], (r) => /tick \d+\n.*tick \d+\n/s.test(r.stdout));
    expect(attached.stdout).toMatch(/tick \d+\n/);

    // Port-forward over WebSocket: per port a data channel (0) and an error channel (1), each
    // opened by the server with the port number; then an HTTP exchange through channel 0.
    const request = Buffer.concat([Buffer.from([0]), Buffer.from('GET /index.html HTTP/1.0\r\nHost: x\r\n\r\n')]);
    const fwd = await wsSession(`/portForward/${NS}/ticker?port=8080`, [request], (r) => (r.channels.get(0)?.toString() ?? '').includes('busybox httpd'));
    const data = fwd.channels.get(0) ?? Buffer.alloc(0);
    expect(data.readUInt16LE(0)).toBe(8080);
    expect(data.subarray(2).toString()).toMatch(/^HTTP\/1\.[01] 200 OK[\s\S]*busybox httpd\n$/);
  });

  it('reports stats that are non-zero and move, as Summary and cAdvisor metrics', async () => {
    await runningPod('busy', [{ name: 'spin', image: 'busybox', command: ['sh', '-c', 'while true; do :; done'], resources: { limits: { cpu: '200m' } } }]);
    const sample = async () => {
      const s = JSON.parse((await get('/stats/summary')).body) as { node: { cpu: { usageCoreNanoSeconds: number }; memory: { workingSetBytes: number } }; pods: { podRef: { name: string }; containers: { name: string; cpu: { usageCoreNanoSeconds: number }; memory: { workingSetBytes: number } }[]; network?: { rxBytes: number } }[] };
      return { node: s.node, pod: s.pods.find((p) => p.podRef.name === 'busy') };
    };
    let first = await sample();
    await waitFor('busy pod in stats', async () => !!(first = await sample()).pod?.containers.length);
    await new Promise((r) => setTimeout(r, 1000));
    const second = await sample();
    expect(second.node.cpu.usageCoreNanoSeconds).toBeGreaterThan(first.node.cpu.usageCoreNanoSeconds);
    expect(second.node.memory.workingSetBytes).toBeGreaterThan(0);
    const c1 = first.pod?.containers[0];
    const c2 = second.pod?.containers.find((c) => c.name === 'spin');
    expect(c2?.memory.workingSetBytes).toBeGreaterThan(0);
    expect(c2?.cpu.usageCoreNanoSeconds).toBeGreaterThan(c1?.cpu.usageCoreNanoSeconds ?? 0);
    expect(second.pod?.network?.rxBytes).toBeGreaterThanOrEqual(0);
    const metrics = (await get('/metrics/cadvisor')).body;
    expect(metrics).toMatch(/container_cpu_usage_seconds_total\{container="spin",pod="busy",namespace="default"/);
    expect(metrics).toMatch(/container_memory_working_set_bytes\{container="spin"/);
    expect(metrics).toContain('container_network_receive_bytes_total{container="",pod="busy"');
  });

  it('keeps pods running through a containerd restart, and reports NotReady while it is down', async () => {
    const before = await runningPod('survivor', [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }]);
    const id = before.status?.containerStatuses?.[0]?.containerID;
    await node.stopContainerd('SIGKILL');
    await waitFor('node NotReady', async () => (await client.for('nodes').get(undefined, node.name) as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'False') === true, 15_000);
    await node.startContainerd();
    await waitFor('node Ready again', async () => (await client.for('nodes').get(undefined, node.name) as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true, 15_000);
    await new Promise((r) => setTimeout(r, 1000));
    const after = await client.for<Pod>('pods').get(NS, 'survivor');
    expect(after.status?.containerStatuses?.[0]?.containerID).toBe(id);
    expect(after.status?.containerStatuses?.[0]?.restartCount).toBe(0);
    expect(after.status?.phase).toBe('Running');
  });
});
