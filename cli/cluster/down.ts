// `skiff down`: stops every process `up` started, by the PIDs it recorded, newest layer first,
// then removes the network it made. `--purge` also deletes the data dir.

import { existsSync, readdirSync, rmSync } from 'node:fs';
import { clusterLayout } from './layout.js';
import { DEFAULT_NETWORK, removeBridge } from './network.js';
import { readRecord, stopProcess } from './processes.js';
import type { Progress } from './progress.js';

/** Stop order: node agents first, then controllers, then the API server, then etcd. */
const STOP_ORDER = ['kubelet', 'containerd', 'controller-manager', 'scheduler', 'apiserver', 'registry', 'etcd'];

function rank(name: string): number {
  const i = STOP_ORDER.findIndex((prefix) => name === prefix || name.startsWith(`${prefix}-`));
  return i < 0 ? STOP_ORDER.length : i;
}

export async function down(opts: { dataDir: string; purge: boolean }, progress: Progress): Promise<void> {
  const layout = clusterLayout(opts.dataDir);
  const recorded = existsSync(layout.run) ? readdirSync(layout.run).filter((f) => f.endsWith('.pid')).map((f) => f.slice(0, -4)) : [];
  recorded.sort((a, b) => rank(a) - rank(b));
  for (const name of recorded) {
    const pidFile = layout.pidOf(name);
    const rec = readRecord(pidFile);
    await progress.step(`stop ${name}`, () => stopProcess(pidFile), { detail: (r) => (rec ? `${r} (pid ${rec.pid})` : r) });
  }
  await progress.step('lab network', () => removeBridge(DEFAULT_NETWORK), { detail: () => `removed ${DEFAULT_NETWORK.bridge}` });
  if (opts.purge) {
    await progress.step('data', () => rmSync(layout.dataDir, { recursive: true, force: true }), { detail: () => `deleted ${layout.dataDir}` });
  }
}
