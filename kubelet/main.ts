#!/usr/bin/env -S node --max-semi-space-size=2
// skiff-kubelet: parse flags, connect to the API server and the container runtime, run the
// node until SIGTERM/SIGINT. Stopping leaves the node's pods running: a new kubelet adopts
// them from the runtime.

import { CommanderError } from 'commander';
import { createEventRecorder } from '../client/events.js';
import { limitHeapGrowth } from '../client/node-heap.js';
import { levelFromVerbosity } from '../client/log.js';
import { restClientFromKubeconfig } from '../client/rest.js';
import { parseKubeletFlags } from './flags.js';
import { Kubelet } from './kubelet.js';
import { startNodeServices, type NodeServices } from './node-services.js';
import { createRunner } from './proxy/iptables.js';
import { cleanupRules } from './proxy/proxier.js';

// A node agent allocates many short-lived objects per sync and relist: keep the heap close to
// what is live (client/node-heap.ts); the shebang line carries the young-generation size,
// which only takes effect on the command line.
limitHeapGrowth();

/** `--cleanup` (as kube-proxy's): remove every iptables chain the service proxy owns, then exit. */
async function cleanup(argv: string[]): Promise<void> {
  const backend = argv.includes('--iptables-backend=nft') || argv.join(' ').includes('--iptables-backend nft') ? 'nft' : 'legacy';
  const removed = await cleanupRules(createRunner({ backend }));
  process.stdout.write(`skiff-kubelet: removed ${removed} service proxy chains (${backend})\n`);
}

async function main(): Promise<void> {
  if (process.argv.includes('--cleanup')) return cleanup(process.argv.slice(2));
  let flags;
  try {
    flags = parseKubeletFlags(process.argv.slice(2));
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') process.exit(0);
      process.exit(2);
    }
    process.stderr.write(`skiff-kubelet: ${(err as Error).message}\n`);
    process.exit(2);
  }
  const level = levelFromVerbosity(flags.verbosity);
  if (level) process.env.SKIFF_LOG_LEVEL = level;
  const client = restClientFromKubeconfig({ kubeconfig: flags.kubeconfig }, { userAgent: `skiff-kubelet/${flags.config.nodeName}` });
  const recorder = createEventRecorder({ client, component: 'kubelet', host: flags.config.nodeName });
  const kubelet = new Kubelet(flags.config, client, recorder);

  // Filled once started; a signal before then stops only the kubelet.
  const running: { services?: NodeServices } = {};
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    kubelet.log.info({ signal }, 'shutting down');
    Promise.all([running.services?.stop(), kubelet.stop()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  await kubelet.start();
  const s = flags.services;
  running.services = await startNodeServices({
    proxy: s.proxyMode === 'iptables',
    dns: s.serveClusterDns,
    client,
    log: kubelet.log,
    nodeIp: flags.config.nodeIp,
    clusterDomain: flags.config.clusterDomain,
    clusterCIDR: s.clusterCidr,
    backend: s.iptablesBackend,
    minSyncPeriodMs: s.iptablesMinSyncPeriodMs,
    syncPeriodMs: s.iptablesSyncPeriodMs,
  });
  process.stdout.write(`skiff-kubelet ${flags.config.nodeName} running (${kubelet.server?.url ?? 'no server'})\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`skiff-kubelet: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
