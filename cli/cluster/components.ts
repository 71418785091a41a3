// How each process of a local cluster is started: its command line, its log and PID files,
// and how to tell it is healthy. `up` starts them in order; `down` stops them in reverse.

import { fileURLToPath } from 'node:url';
import { SERVICE_NODE_FLAGS } from '../../client/node-heap.js';
import type { ClusterLayout } from './layout.js';
import type { StartSpec } from './processes.js';

export interface ClusterSettings {
  etcdClientPort: number;
  etcdPeerPort: number;
  apiserverPort: number;
  /** The API server listens here; nodes and pods reach it on the lab gateway. */
  apiserverBindAddress: string;
  advertiseAddress: string;
  serviceClusterIPRange: string;
}

export const DEFAULT_SETTINGS: ClusterSettings = {
  etcdClientPort: 2379,
  etcdPeerPort: 2380,
  apiserverPort: 6443,
  apiserverBindAddress: '0.0.0.0',
  advertiseAddress: '10.200.0.1',
  serviceClusterIPRange: '10.96.0.0/16',
};

/** The compiled entry point of one of skiff's own services, next to this file in dist/. */
export function serviceEntry(service: 'apiserver' | 'scheduler' | 'controller-manager' | 'kubelet'): string {
  return fileURLToPath(new URL(`../../${service}/main.js`, import.meta.url));
}

export function etcdSpec(layout: ClusterLayout, s: ClusterSettings): StartSpec {
  const client = `http://127.0.0.1:${s.etcdClientPort}`;
  const peer = `http://127.0.0.1:${s.etcdPeerPort}`;
  return {
    name: 'etcd',
    command: 'etcd',
    args: [
      '--name=skiff',
      `--data-dir=${layout.etcdData}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=skiff=${peer}`,
      '--logger=zap',
      '--log-level=warn',
    ],
    log: layout.logOf('etcd'),
    pidFile: layout.pidOf('etcd'),
  };
}

export interface ApiserverFiles {
  caFile: string;
  certFile: string;
  keyFile: string;
  kubeletClientCert: string;
  kubeletClientKey: string;
}

export function apiserverSpec(layout: ClusterLayout, s: ClusterSettings, files: ApiserverFiles): StartSpec {
  return {
    name: 'apiserver',
    command: process.execPath,
    args: [
      ...SERVICE_NODE_FLAGS,
      serviceEntry('apiserver'),
      `--etcd-servers=http://127.0.0.1:${s.etcdClientPort}`,
      `--bind-address=${s.apiserverBindAddress}`,
      `--secure-port=${s.apiserverPort}`,
      `--advertise-address=${s.advertiseAddress}`,
      `--tls-cert-file=${files.certFile}`,
      `--tls-private-key-file=${files.keyFile}`,
      `--client-ca-file=${files.caFile}`,
      `--service-cluster-ip-range=${s.serviceClusterIPRange}`,
      `--kubelet-client-certificate=${files.kubeletClientCert}`,
      `--kubelet-client-key=${files.kubeletClientKey}`,
      `--kubelet-certificate-authority=${files.caFile}`,
    ],
    log: layout.logOf('apiserver'),
    pidFile: layout.pidOf('apiserver'),
  };
}

/** Where the cluster registry listens: on the lab gateway, so every node reaches it. */
export function registryAddress(gateway: string): string {
  return `${gateway}:5000`;
}

export function registrySpec(layout: ClusterLayout, configPath: string): StartSpec {
  return { name: 'registry', command: 'docker-registry', args: ['serve', configPath], log: layout.logOf('registry'), pidFile: layout.pidOf('registry') };
}

export function schedulerSpec(layout: ClusterLayout, kubeconfig: string): StartSpec {
  return {
    name: 'scheduler',
    command: process.execPath,
    args: [...SERVICE_NODE_FLAGS, serviceEntry('scheduler'), `--kubeconfig=${kubeconfig}`, '--leader-elect=true', '--bind-address=127.0.0.1'],
    log: layout.logOf('scheduler'),
    pidFile: layout.pidOf('scheduler'),
  };
}

export function controllerManagerSpec(layout: ClusterLayout, kubeconfig: string, clusterCIDR: string): StartSpec {
  return {
    name: 'controller-manager',
    command: process.execPath,
    args: [...SERVICE_NODE_FLAGS, serviceEntry('controller-manager'), `--kubeconfig=${kubeconfig}`, '--leader-elect=true', `--cluster-cidr=${clusterCIDR}`, '--bind-address=127.0.0.1'],
    log: layout.logOf('controller-manager'),
    pidFile: layout.pidOf('controller-manager'),
  };
}

export function containerdSpec(layout: ClusterLayout, node: string, configPath: string, netnsPath: string, binDir: string): StartSpec {
  return {
    name: `containerd-${node}`,
    command: 'containerd',
    args: ['--config', configPath],
    log: layout.logOf(`containerd-${node}`),
    pidFile: layout.pidOf(`containerd-${node}`),
    netnsPath,
    // CNI plugins run with containerd's PATH: their `iptables` must be the backend the proxy uses.
    env: { ...process.env, PATH: `${binDir}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}` },
  };
}

export interface KubeletFiles {
  kubeconfig: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  runtimeSocket: string;
  rootDir: string;
  cniConfDir: string;
  clusterCIDR: string;
}

export function kubeletSpec(layout: ClusterLayout, node: string, nodeIP: string, netnsPath: string, f: KubeletFiles): StartSpec {
  return {
    name: `kubelet-${node}`,
    command: process.execPath,
    args: [
      ...SERVICE_NODE_FLAGS,
      serviceEntry('kubelet'),
      `--kubeconfig=${f.kubeconfig}`,
      `--container-runtime-endpoint=unix://${f.runtimeSocket}`,
      `--hostname-override=${node}`,
      `--node-ip=${nodeIP}`,
      `--root-dir=${f.rootDir}`,
      `--cni-conf-dir=${f.cniConfDir}`,
      `--cluster-dns=${nodeIP}`,
      `--address=${nodeIP}`,
      `--tls-cert-file=${f.certFile}`,
      `--tls-private-key-file=${f.keyFile}`,
      `--client-ca-file=${f.caFile}`,
      `--cluster-cidr=${f.clusterCIDR}`,
    ],
    log: layout.logOf(`kubelet-${node}`),
    pidFile: layout.pidOf(`kubelet-${node}`),
    netnsPath,
  };
}
