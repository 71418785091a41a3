// `skiff exec -i`'s SPDY/3.1 session against containerd's streaming server through a real
// kubelet's exec pass-through: piped input reaches the command and its end is passed on
// (cat ends), the exit code comes back from the error stream, and 5 MB go through intact.

import { createHash, randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../api/types.js';
import { execQuery } from '../cli/inspect/exec/channel.js';
import { runSpdySession } from '../cli/inspect/exec/spdy-session.js';
import type { Transport } from '../cli/inspect/stream.js';
import type { KeyPair } from '../client/pki.js';
import type { RestClient } from '../client/rest.js';
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
  serving = await startServingKubelet();
  ({ node, client, kubelet, clientCert } = serving);
  await client.for<Pod>('pods').create(NS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'spdy', namespace: NS }, spec: { nodeName: node.name, terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }] } });
  await waitFor('pod running', async () => (await client.for<Pod>('pods').get(NS, 'spdy')).status?.phase === 'Running');
});

afterAll(async () => {
  await serving?.stop();
});

/** Runs `command` in the pod with `input` piped in; the outcome and what it printed. */
async function exec(command: string[], input: Buffer | string): Promise<{ outcome: unknown; stdout: Buffer; stderr: string }> {
  const url = new URL(`${kubelet.server?.url}/exec/${NS}/spdy/main`);
  url.search = execQuery(command, 'main', { stdin: true, tty: false }).toString();
  const t: Transport = { url, tls: { rejectUnauthorized: false, cert: clientCert.certPem, key: clientCert.keyPem }, headers: {} };
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  let err = '';
  stdout.on('data', (d: Buffer) => out.push(d));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const io = { stdin, stdout: Object.assign(stdout, { columns: 80, rows: 24 }), stderr };
  const session = runSpdySession(t, io);
  stdin.end(input);
  const outcome = await session;
  return { outcome, stdout: Buffer.concat(out), stderr: err };
}

describe('exec -i over SPDY/3.1 to containerd', () => {
  it('passes piped input and its end on: cat prints it and exits 0', async () => {
    const r = await exec(['cat'], 'data\n');
    expect(r.stdout.toString()).toBe('data\n');
    expect(r.outcome).toEqual({ exitCode: 0 });
  });

  it('brings the exit code back and stderr apart', async () => {
    const r = await exec(['sh', '-c', 'cat >/dev/null; echo done >&2; exit 3'], 'ignored\n');
    expect(r.outcome).toEqual({ exitCode: 3 });
    expect(r.stderr).toBe('done\n');
  });

  it('carries 5 MB of input intact', async () => {
    const data = randomBytes(5_000_000);
    const r = await exec(['sha256sum'], data);
    expect(r.stdout.toString().split(' ')[0]).toBe(createHash('sha256').update(data).digest('hex'));
    expect(r.outcome).toEqual({ exitCode: 0 });
  }, 60_000);
});
