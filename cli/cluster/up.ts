// `skiff up`: a local cluster in one command, step by step. Every step is idempotent: on a
// running cluster `up` finds each process alive and leaves it; after `down` or a reboot it
// starts the same cluster again from the state kept in the data dir.

import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { type ClusterLayout, clusterLayout } from './layout.js';
import { apiserverSpec, DEFAULT_SETTINGS, etcdSpec, type ClusterSettings } from './components.js';
import { apiserverHosts, ensureClientCert, ensureClusterCertificates } from './certificates.js';
import { createBridge, DEFAULT_NETWORK } from './network.js';
import { CLUSTER_PACKAGES, installPackages, missingPackages } from './packages.js';
import { runningProcess, startProcess, type StartSpec } from './processes.js';
import { getHttp, waitHealthy } from './health.js';
import { writeKubeconfig } from './kubeconfig-file.js';
import type { Progress } from './progress.js';

export interface UpOptions {
  dataDir: string;
  settings?: ClusterSettings;
}

/** Services Debian starts on install that would hold the ports skiff's own copies use. */
const DEBIAN_SERVICES_TO_STOP = ['etcd', 'docker-registry'];

function stopDebianServices(installed: string[]): string[] {
  const hasSystemd = (() => {
    try {
      execFileSync('systemctl', ['is-system-running'], { stdio: 'ignore' });
      return true;
    } catch (err) {
      // is-system-running exits non-zero when "degraded"; only a missing systemctl means no systemd
      return (err as NodeJS.ErrnoException).code !== 'ENOENT';
    }
  })();
  if (!hasSystemd) return [];
  const stopped: string[] = [];
  for (const svc of DEBIAN_SERVICES_TO_STOP) {
    if (!installed.some((p) => p.startsWith(svc))) continue;
    try {
      execFileSync('systemctl', ['disable', '--now', svc], { stdio: 'ignore' });
      stopped.push(svc);
    } catch {
      // not a unit here
    }
  }
  return stopped;
}

/** Starts a process unless the one recorded for it is still alive; says which. */
function ensureStarted(spec: StartSpec): 'started' | 'already running' {
  if (runningProcess(spec.pidFile)) return 'already running';
  startProcess(spec);
  return 'started';
}

export async function up(opts: UpOptions, progress: Progress): Promise<ClusterLayout> {
  const layout = clusterLayout(opts.dataDir);
  const s = opts.settings ?? DEFAULT_SETTINGS;
  const net = DEFAULT_NETWORK;

  if (process.getuid?.() !== 0) throw new Error('skiff up needs root: it installs packages and makes network namespaces');
  for (const dir of [layout.dataDir, layout.logs, layout.run, layout.pki, layout.kubeconfigs]) mkdirSync(dir, { recursive: true });

  await progress.step(
    'Debian packages',
    () => {
      const missing = missingPackages(CLUSTER_PACKAGES);
      installPackages(missing);
      const stopped = stopDebianServices(missing);
      return { missing, stopped };
    },
    {
      detail: ({ missing, stopped }) =>
        missing.length === 0
          ? 'all present'
          : `installed ${missing.join(', ')}${stopped.length ? `; stopped Debian's own ${stopped.join(', ')} (skiff runs its own)` : ''}`,
    },
  );

  const certs = await progress.step('cluster CA and certificates', async () => {
    const c = await ensureClusterCertificates(layout.pki, apiserverHosts(net.gateway, '10.96.0.1'));
    const admin = await ensureClientCert(layout.pki, 'admin', c.ca, 'skiff-admin', ['system:masters']);
    return { ...c, admin };
  }, { detail: () => layout.pki });

  await progress.step('lab network', () => createBridge(net), { detail: () => `bridge ${net.bridge} ${net.gateway}/${net.prefixLength}` });

  const etcd = etcdSpec(layout, s);
  await progress.step(
    'etcd',
    async () => {
      const state = ensureStarted(etcd);
      await waitHealthy('etcd', etcd.pidFile, etcd.log, async () => {
        const r = await getHttp(`http://127.0.0.1:${s.etcdClientPort}/health`);
        return r.status === 200 && r.body.includes('"true"');
      });
      return state;
    },
    { logFile: etcd.log, detail: (state) => `${state}, 127.0.0.1:${s.etcdClientPort}` },
  );

  const apiserver = apiserverSpec(layout, s, {
    caFile: certs.caFile,
    certFile: certs.apiserver.certFile,
    keyFile: certs.apiserver.keyFile,
    kubeletClientCert: certs.apiserverKubeletClient.certFile,
    kubeletClientKey: certs.apiserverKubeletClient.keyFile,
  });
  const server = `https://127.0.0.1:${s.apiserverPort}`;
  await progress.step(
    'API server',
    async () => {
      const state = ensureStarted(apiserver);
      await waitHealthy('the API server', apiserver.pidFile, apiserver.log, async () => {
        const r = await getHttp(`${server}/readyz`, { caFile: certs.caFile });
        return r.status === 200;
      });
      return state;
    },
    { logFile: apiserver.log, detail: (state) => `${state}, ${server}` },
  );

  await progress.step('admin kubeconfig', () =>
    writeKubeconfig(layout.kubeconfig, {
      clusterName: 'skiff',
      server,
      caFile: certs.caFile,
      user: 'skiff-admin',
      certFile: certs.admin.certFile,
      keyFile: certs.admin.keyFile,
    }),
    { detail: () => layout.kubeconfig },
  );

  return layout;
}
