// The API server as its own process for the benchmarks, as `skiff up` runs it (with the
// node flags of client/node-heap.ts): its CPU and memory are its own, and it gets a core of
// its own rather than sharing the benchmark's event loop. A fresh CA, serving certificate,
// admin token and kubeconfig in a temp dir.
//
// SKIFF_BENCH_APISERVER=dist/apiserver/main.js runs the compiled server with plain node (how
// it is deployed); without it the server runs from source through tsx.
// SKIFF_BENCH_APISERVER_NODE_ARGS adds node flags (`--cpu-prof --cpu-prof-dir=/tmp/prof`),
// which NODE_OPTIONS refuses.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { SERVICE_NODE_FLAGS } from '../client/node-heap.js';
import { createCA, issueServingCert, writePair } from '../client/pki.js';
import { startEtcd, type TestEtcd } from '../test/harness/etcd.js';
import { freePort, waitFor } from '../test/harness/ports.js';

export interface ApiServerProcess {
  /** `https://127.0.0.1:PORT` */
  url: string;
  /** The cluster CA's certificate (PEM). */
  ca: string;
  /** The admin bearer token (group system:masters). */
  token: string;
  kubeconfigPath: string;
  etcd: TestEtcd;
  child: ChildProcess;
  pid: number;
  /** Whether the compiled server (plain node) runs, rather than the source through tsx. */
  compiled: boolean;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s), etcd, and removes the temp dir. */
  stop(): Promise<void>;
}

/** Starts etcd (a child process) and the API server on it; resolves once `default` is served. */
export async function startApiServerProcess(extraFlags: string[] = []): Promise<ApiServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-'));
  const etcd = await startEtcd('process');
  let child: ChildProcess | undefined;
  const stop = async (): Promise<void> => {
    try {
      if (child && child.exitCode === null && child.signalCode === null) {
        const c = child;
        const exited = new Promise((r) => c.once('exit', r));
        c.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
        if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      }
    } finally {
      await etcd.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    const ca = await createCA('skiff-bench-ca');
    const caFile = writePair(dir, 'ca', ca).certFile;
    const serving = writePair(dir, 'apiserver', await issueServingCert(ca, { commonName: 'kube-apiserver', hosts: ['127.0.0.1'] }));
    const token = randomBytes(24).toString('hex');
    const tokenFile = join(dir, 'tokens.csv');
    writeFileSync(tokenFile, `${token},admin,admin-uid,"system:masters"\n`, { mode: 0o600 });
    const port = await freePort();
    const url = `https://127.0.0.1:${port}`;
    const compiledEntry = process.env.SKIFF_BENCH_APISERVER;
    const nodeArgs = (process.env.SKIFF_BENCH_APISERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const entry = [...SERVICE_NODE_FLAGS, ...nodeArgs, ...(compiledEntry ? [compiledEntry] : ['--import', 'tsx', 'apiserver/main.ts'])];
    child = spawn(
      process.execPath,
      [
        ...entry,
        `--etcd-servers=${etcd.endpoint}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${port}`,
        '--advertise-address=127.0.0.1',
        `--tls-cert-file=${serving.certFile}`,
        `--tls-private-key-file=${serving.keyFile}`,
        `--client-ca-file=${caFile}`,
        `--token-auth-file=${tokenFile}`,
        `--cert-dir=${dir}`,
        '--max-requests-inflight=0',
        '--max-mutating-requests-inflight=0',
        ...extraFlags,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, SKIFF_LOG_LEVEL: process.env.SKIFF_LOG_LEVEL ?? 'warn' } },
    );
    const kubeconfigPath = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfigPath,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'bench', cluster: { server: url, 'certificate-authority-data': Buffer.from(ca.certPem).toString('base64') } }],
        users: [{ name: 'admin', user: { token } }],
        contexts: [{ name: 'bench', context: { cluster: 'bench', user: 'admin', namespace: 'default' } }],
        'current-context': 'bench',
      }),
      { mode: 0o600 },
    );
    const agent = new Agent({ keepAlive: false });
    const served = (): Promise<boolean> =>
      new Promise((resolve) => {
        const req = request(`${url}/api/v1/namespaces/default`, { agent, ca: ca.certPem, headers: { authorization: `Bearer ${token}` } }, (res) => {
          res.resume();
          resolve(res.statusCode === 200);
        });
        req.on('error', () => resolve(false));
        req.end();
      });
    const c = child;
    const died = new Promise<never>((_, reject) => c.once('exit', (code, signal) => reject(new Error(`the API server exited (${code ?? signal})`))));
    await Promise.race([waitFor('the API server', served, 60_000, 200), died]);
    return { url, ca: ca.certPem, token, kubeconfigPath, etcd, child, pid: child.pid as number, compiled: compiledEntry !== undefined, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
