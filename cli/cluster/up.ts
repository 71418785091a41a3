// `skiff up`: a local cluster in one command, step by step. Every step is idempotent: on a
// running cluster `up` finds each process alive and leaves it; after `down` or a reboot it
// starts the same cluster again from the state kept in the data dir.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { type ClusterLayout, clusterLayout } from './layout.js';
import { apiserverSpec, controllerManagerSpec, DEFAULT_SETTINGS, etcdSpec, registryAddress, registrySpec, schedulerSpec, type ClusterSettings } from './components.js';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Node } from '../../api/types.js';
import { restClientFromKubeconfig } from '../../client/rest.js';
import { buildBusyboxImage, buildPauseImage } from '../../deploy/images/build.js';
import type { OciImage } from '../../deploy/images/oci.js';
import { registryConfig } from '../../deploy/registry/registry.js';
import { pushImage } from '../../deploy/registry/push.js';
import { labNode } from './network.js';
import { prepareNodeNetwork, startNodeContainerd, startNodeKubelet } from './node-up.js';
import { apiserverHosts, ensureClientCert, ensureClusterCertificates } from './certificates.js';
import { createBridge, DEFAULT_NETWORK } from './network.js';
import { CLUSTER_PACKAGES, installPackages, missingPackages } from './packages.js';
import { runningProcess, startProcess, tailOf, type StartSpec } from './processes.js';
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

  const registryUrl = `http://${registryAddress(net.gateway)}`;
  await progress.step(
    'cluster registry and images',
    async () => {
      const configPath = join(layout.registryData, 'config.yml');
      mkdirSync(layout.registryData, { recursive: true });
      writeFileSync(configPath, registryConfig(layout.registryData, registryAddress(net.gateway)));
      const spec = registrySpec(layout, configPath);
      ensureStarted(spec);
      await waitHealthy('the registry', spec.pidFile, spec.log, async () => (await getHttp(`${registryUrl}/v2/`)).status === 200);
      for (const image of localImages(layout.images)) await pushImage(registryUrl, image);
    },
    { logFile: layout.logOf('registry'), detail: () => `${registryUrl}: pause, busybox` },
  );

  for (const [component, user] of [['scheduler', 'system:kube-scheduler'], ['controller-manager', 'system:kube-controller-manager']] as const) {
    const kubeconfig = join(layout.kubeconfigs, `${component}.kubeconfig`);
    const client = await ensureClientCert(layout.pki, component, certs.ca, user, []);
    writeKubeconfig(kubeconfig, { clusterName: 'skiff', server, caFile: certs.caFile, user, ...client });
    const spec = component === 'scheduler' ? schedulerSpec(layout, kubeconfig) : controllerManagerSpec(layout, kubeconfig, net.podRange);
    const port = component === 'scheduler' ? 10259 : 10257;
    await progress.step(
      component,
      async () => {
        const state = ensureStarted(spec);
        await waitHealthy(component, spec.pidFile, spec.log, async () => (await getHttp(`http://127.0.0.1:${port}/healthz`)).status === 200);
        return state;
      },
      { logFile: spec.log, detail: (state) => state },
    );
  }

  const node = labNode(net, 0, 'node-0');
  const nodeInput = { layout, net, node, ca: certs.ca, caFile: certs.caFile, server, registryUrl };
  await progress.step(`node ${node.name}: network namespace`, () => prepareNodeNetwork(nodeInput), { detail: () => `${node.netns}, ${node.address}` });
  const runtime = await progress.step(`node ${node.name}: containerd`, () => startNodeContainerd(nodeInput), {
    logFile: layout.logOf(`containerd-${node.name}`),
    detail: (r) => r.state,
  });
  await progress.step(`node ${node.name}: kubelet`, () => startNodeKubelet(nodeInput, runtime), { logFile: layout.logOf(`kubelet-${node.name}`), detail: (state) => state });

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

  await progress.step(
    `node ${node.name} Ready`,
    () => waitNodeReady(layout.kubeconfig, node.name, layout.pidOf(`kubelet-${node.name}`), layout.logOf(`kubelet-${node.name}`)),
    { logFile: layout.logOf(`kubelet-${node.name}`) },
  );

  return layout;
}

/** The pause and busybox images, built once into the data dir (the build is deterministic). */
function localImages(dir: string): OciImage[] {
  const cached = join(dir, 'images.json');
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8')) as OciImage[];
  mkdirSync(dir, { recursive: true });
  const images = [buildPauseImage(join(dir, 'pause')), buildBusyboxImage(join(dir, 'busybox'))];
  writeFileSync(cached, JSON.stringify(images));
  return images;
}

async function waitNodeReady(kubeconfig: string, name: string, kubeletPid: string, kubeletLog: string, timeoutMs = 120_000): Promise<void> {
  const client = restClientFromKubeconfig({ kubeconfig });
  const deadline = Date.now() + timeoutMs;
  let last = 'not registered yet';
  while (Date.now() < deadline) {
    if (!runningProcess(kubeletPid)) throw new Error(`the kubelet of ${name} exited; the end of its log (${kubeletLog}):\n${tailOf(kubeletLog)}`);
    try {
      const node = await client.for<Node>('nodes').get(undefined, name);
      const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
      if (ready?.status === 'True') return;
      last = ready ? `Ready=${ready.status} (${ready.reason ?? ''}: ${ready.message ?? ''})` : 'no Ready condition yet';
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`node ${name} was not Ready after ${timeoutMs / 1000} s: ${last}; kubelet log: ${kubeletLog}`);
}
