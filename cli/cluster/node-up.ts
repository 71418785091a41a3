// Bringing up a node of the local cluster: its network namespace on the lab bridge, its own
// containerd inside it (config from deploy/containerd, the cluster registry as mirror), and
// its kubelet inside it with a client certificate `system:node:<name>` and a serving
// certificate for the node's address.

import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { issueServingCert, writePair, type KeyPair } from '../../client/pki.js';
import { writeContainerdConfig } from '../../deploy/containerd/config.js';
import { PAUSE_IMAGE } from '../../deploy/images/build.js';
import { ensureClientCert } from './certificates.js';
import { containerdSpec, kubeletSpec } from './components.js';
import { getHttp, waitHealthy } from './health.js';
import { writeKubeconfig } from './kubeconfig-file.js';
import type { ClusterLayout } from './layout.js';
import { createNodeNamespace, type LabNetwork, type LabNode } from './network.js';
import { runningProcess, startProcess, type StartSpec } from './processes.js';

export interface NodeUpInput {
  layout: ClusterLayout;
  net: LabNetwork;
  node: LabNode;
  ca: KeyPair;
  caFile: string;
  server: string;
  registryUrl: string;
}

/** iptables commands for CNI plugins, pointing at the legacy backend the service proxy programs. */
function legacyIptablesDir(nodeDir: string): string {
  const bin = join(nodeDir, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const tool of ['iptables', 'iptables-save', 'iptables-restore']) {
    const link = join(bin, tool);
    if (!existsSync(link)) symlinkSync(`/usr/sbin/${tool.replace('iptables', 'iptables-legacy')}`, link);
  }
  return bin;
}

function ensureStarted(spec: StartSpec): 'started' | 'already running' {
  if (runningProcess(spec.pidFile)) return 'already running';
  startProcess(spec);
  return 'started';
}

export function prepareNodeNetwork(input: NodeUpInput): void {
  createNodeNamespace(input.net, input.node);
}

export async function startNodeContainerd(input: NodeUpInput): Promise<{ state: string; socket: string; cniConfDir: string }> {
  const dir = input.layout.nodeDir(input.node.name);
  const cniConfDir = join(dir, 'cni', 'net.d');
  const paths = writeContainerdConfig({ dir: join(dir, 'containerd'), sandboxImage: PAUSE_IMAGE, cniConfDir, registryUrl: input.registryUrl });
  const spec = containerdSpec(input.layout, input.node.name, paths.configPath, input.node.netnsPath, legacyIptablesDir(dir));
  const state = ensureStarted(spec);
  await waitHealthy(`containerd of ${input.node.name}`, spec.pidFile, spec.log, async () => existsSync(paths.socket), 30_000);
  return { state, socket: paths.socket, cniConfDir };
}

export async function startNodeKubelet(input: NodeUpInput, runtime: { socket: string; cniConfDir: string }): Promise<string> {
  const { layout, node } = input;
  const dir = layout.nodeDir(node.name);
  const client = await ensureClientCert(layout.pki, `kubelet-${node.name}`, input.ca, `system:node:${node.name}`, ['system:nodes']);
  const servingBase = join(layout.pki, `kubelet-${node.name}-serving`);
  if (!existsSync(`${servingBase}.crt`)) {
    writePair(layout.pki, `kubelet-${node.name}-serving`, await issueServingCert(input.ca, { commonName: node.name, hosts: [node.address, node.name] }));
  }
  const kubeconfig = join(layout.kubeconfigs, `kubelet-${node.name}.kubeconfig`);
  // Nodes reach the API server on the lab gateway, not on the host's loopback.
  const gatewayServer = input.server.replace('127.0.0.1', input.net.gateway);
  writeKubeconfig(kubeconfig, { clusterName: 'skiff', server: gatewayServer, caFile: input.caFile, user: `system:node:${node.name}`, ...client });
  const rootDir = join(dir, 'kubelet');
  mkdirSync(rootDir, { recursive: true });
  const spec = kubeletSpec(layout, node.name, node.address, node.netnsPath, {
    kubeconfig,
    caFile: input.caFile,
    certFile: `${servingBase}.crt`,
    keyFile: `${servingBase}.key`,
    runtimeSocket: runtime.socket,
    rootDir,
    cniConfDir: runtime.cniConfDir,
    clusterCIDR: input.net.podRange,
  });
  const state = ensureStarted(spec);
  // Ready on the Node may still be the previous kubelet's: wait until this one serves.
  await waitHealthy(`the kubelet of ${node.name}`, spec.pidFile, spec.log, async () => (await getHttp(`https://${node.address}:10250/healthz`, { caFile: input.caFile })).status === 200, 60_000);
  return state;
}
