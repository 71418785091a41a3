// A real API server for a test: in-process, HTTPS on a free 127.0.0.1 port, on a real etcd
// (its own unless one is passed in), with a CA, an admin token (group system:masters) and a
// kubeconfig that kubectl and @kubernetes/client-node can use. It goes through the same flag
// parsing as `skiff-apiserver`, so `flags` take kube-apiserver's names (without `--`):
// `{ 'event-ttl': '2s', 'max-requests-inflight': '5' }`.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createCA, issueClientCert, issueServingCert, writePair, type KeyPair } from '../../client/pki.js';
import { parseFlags, serverOptionsFromFlags } from '../../apiserver/flags.js';
import { startApiServer, type ApiServer } from '../../apiserver/server.js';
import { startEtcd, type TestEtcd } from './etcd.js';
import { freePort, waitFor } from './ports.js';

export interface TestApiServer {
  /** `https://127.0.0.1:PORT` */
  url: string;
  caFile: string;
  /** The admin bearer token (user `admin`, group `system:masters`). */
  token: string;
  kubeconfigPath: string;
  etcd: TestEtcd;
  /** The cluster CA (also the client CA), to issue client certificates in tests. */
  ca: KeyPair;
  /** A client certificate for `user` in `groups`, signed by the client CA. */
  clientCert(user: string, groups?: string[]): Promise<KeyPair>;
  /** The running in-process server (changes on restart). */
  server(): ApiServer;
  stop(): Promise<void>;
  /** Stops the API server and starts it again on the same port, same etcd, same certificates. */
  restart(): Promise<void>;
}

export interface TestApiServerOptions {
  etcd?: TestEtcd;
  flags?: Record<string, string>;
}

export async function startTestApiServer(opts: TestApiServerOptions = {}): Promise<TestApiServer> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-apiserver-'));
  const ownEtcd = opts.etcd === undefined;
  let etcd: TestEtcd | undefined = opts.etcd;
  let server: ApiServer | undefined;
  try {
    etcd ??= await startEtcd();
    const ca = await createCA('skiff-test-ca');
    const caFile = writePair(dir, 'ca', ca).certFile;
    const serving = writePair(dir, 'apiserver', await issueServingCert(ca, { commonName: 'kube-apiserver', hosts: ['127.0.0.1', 'localhost'] }));
    const token = randomBytes(24).toString('hex');
    const tokenFile = join(dir, 'tokens.csv');
    writeFileSync(tokenFile, `${token},admin,admin-uid,"system:masters"\n`, { mode: 0o600 });
    const port = await freePort();
    const url = `https://127.0.0.1:${port}`;

    const flags: Record<string, string> = {
      'etcd-servers': etcd.endpoint,
      'bind-address': '127.0.0.1',
      'secure-port': String(port),
      'advertise-address': '127.0.0.1',
      'tls-cert-file': serving.certFile,
      'tls-private-key-file': serving.keyFile,
      'client-ca-file': caFile,
      'token-auth-file': tokenFile,
      'cert-dir': dir,
      'etcd-compaction-interval': '0',
      ...opts.flags,
    };
    const argv = Object.entries(flags).map(([k, v]) => `--${k}=${v}`);

    const kubeconfigPath = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfigPath,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'skiff-test', cluster: { server: url, 'certificate-authority-data': Buffer.from(ca.certPem).toString('base64') } }],
        users: [{ name: 'admin', user: { token } }],
        contexts: [{ name: 'skiff-test', context: { cluster: 'skiff-test', user: 'admin', namespace: 'default' } }],
        'current-context': 'skiff-test',
      }),
      { mode: 0o600 },
    );

    const start = async () => {
      const options = await serverOptionsFromFlags(parseFlags(argv));
      server = await startApiServer(options);
      // Ready once the system namespaces exist: tests create objects in `default` at once.
      const s = server;
      await waitFor('the API server and its default namespace', async () => {
        await s.parts.store.get(s.parts.registry.get('', 'v1', 'namespaces')!, undefined, 'default');
        return true;
      });
    };
    const stopServer = async () => {
      const s = server;
      server = undefined;
      await s?.close();
    };
    await start();

    const theEtcd = etcd;
    return {
      url,
      caFile,
      token,
      kubeconfigPath,
      etcd: theEtcd,
      ca,
      clientCert: (user, groups = []) => issueClientCert(ca, { user, groups }),
      server: () => {
        if (!server) throw new Error('the test API server is stopped');
        return server;
      },
      restart: async () => {
        await stopServer();
        await start();
      },
      stop: async () => {
        try {
          await stopServer();
        } finally {
          if (ownEtcd) await theEtcd.destroy();
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    await server?.close().catch(() => undefined);
    if (ownEtcd) await etcd?.destroy().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
