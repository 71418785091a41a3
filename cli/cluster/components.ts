// How each process of a local cluster is started: its command line, its log and PID files,
// and how to tell it is healthy. `up` starts them in order; `down` stops them in reverse.

import { fileURLToPath } from 'node:url';
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
