// `skiff down`: stops every process `up` started, by the PIDs it recorded, newest layer first,
// then removes the network it made. `--purge` also deletes the data dir.

import { existsSync, readdirSync, rmSync } from 'node:fs';
import { clusterLayout } from './layout.js';
import { DEFAULT_NETWORK, labNode, removeBridge } from './network.js';
import { nodeDown } from './node-down.js';
import { readRecord, stopProcess } from './processes.js';
import type { Progress } from './progress.js';

/** Stop order after the nodes: controllers, then the API server, the registry, etcd. */
const STOP_ORDER = ['controller-manager', 'scheduler', 'apiserver', 'registry', 'etcd'];
const NODE_PROCESSES = /^(kubelet|containerd)-/;

function rank(name: string): number {
  const i = STOP_ORDER.findIndex((prefix) => name === prefix || name.startsWith(`${prefix}-`));
  return i < 0 ? STOP_ORDER.length : i;
}

export async function down(opts: { dataDir: string; purge: boolean }, progress: Progress): Promise<void> {
  const layout = clusterLayout(opts.dataDir);
  // Nodes first (kubelet, containerd, containers, mounts, cgroups, namespace): node i is `node-i`.
  const nodes = existsSync(layout.nodes) ? readdirSync(layout.nodes).filter((n) => /^node-\d+$/.test(n)).sort() : [];
  for (const name of nodes) {
    const node = labNode(DEFAULT_NETWORK, Number(name.slice('node-'.length)), name);
    await progress.step(`node ${name}`, () => nodeDown(layout, node), { detail: (d) => d });
  }
  const recorded = existsSync(layout.run) ? readdirSync(layout.run).filter((f) => f.endsWith('.pid')).map((f) => f.slice(0, -4)) : [];
  const rest = recorded.filter((n) => !NODE_PROCESSES.test(n)).sort((a, b) => rank(a) - rank(b));
  for (const name of rest) {
    const pidFile = layout.pidOf(name);
    const rec = readRecord(pidFile);
    await progress.step(`stop ${name}`, () => stopProcess(pidFile), { detail: (r) => (rec ? `${r} (pid ${rec.pid})` : r) });
  }
  await progress.step('lab network', () => removeBridge(DEFAULT_NETWORK), { detail: () => `removed ${DEFAULT_NETWORK.bridge}` });
  if (opts.purge) {
    await progress.step('data', () => rmSync(layout.dataDir, { recursive: true, force: true }), { detail: () => `deleted ${layout.dataDir}` });
  }
}
