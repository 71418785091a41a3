// Where a local cluster keeps its files. Everything `skiff up` makes lives under one data
// dir, so `down --purge` can remove it and a second `up` finds the same cluster again.

import { join } from 'node:path';

export const DEFAULT_DATA_DIR = '/var/lib/skiff';

export interface ClusterLayout {
  dataDir: string;
  etcdData: string;
  pki: string;
  logs: string;
  run: string;
  kubeconfig: string;
  /** Per-component kubeconfigs (scheduler, controller-manager, kubelets). */
  kubeconfigs: string;
  tokens: string;
  registryData: string;
  images: string;
  nodes: string;
  logOf(component: string): string;
  pidOf(component: string): string;
  nodeDir(node: string): string;
}

export function clusterLayout(dataDir = DEFAULT_DATA_DIR): ClusterLayout {
  return {
    dataDir,
    etcdData: join(dataDir, 'etcd'),
    pki: join(dataDir, 'pki'),
    logs: join(dataDir, 'logs'),
    run: join(dataDir, 'run'),
    kubeconfig: join(dataDir, 'kubeconfig'),
    kubeconfigs: join(dataDir, 'kubeconfigs'),
    tokens: join(dataDir, 'pki', 'tokens.csv'),
    registryData: join(dataDir, 'registry'),
    images: join(dataDir, 'images'),
    nodes: join(dataDir, 'nodes'),
    logOf: (component) => join(dataDir, 'logs', `${component}.log`),
    pidOf: (component) => join(dataDir, 'run', `${component}.pid`),
    nodeDir: (node) => join(dataDir, 'nodes', node),
  };
}
