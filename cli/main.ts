#!/usr/bin/env node
// `skiff`: a local cluster in one command, and kubectl-like resource commands.

import { Command } from 'commander';
import { up } from './cluster/up.js';
import { down } from './cluster/down.js';
import { clusterStatus } from './cluster/status.js';
import { DEFAULT_DATA_DIR } from './cluster/layout.js';
import { createProgress, StepFailed } from './cluster/progress.js';
import { addResourceCommands } from './resources/commands.js';
import { addImageCommands } from './image/commands.js';
import { addInspectCommands } from './inspect/commands.js';
import { addOperateCommands } from './operate/commands.js';

const program = new Command('skiff')
  .description('A small, real Kubernetes-style orchestrator: a local cluster in one command, and kubectl-like commands')
  .version('0.1.0');

program
  .command('up')
  .description('Bring up a local cluster (etcd, API server, ...) on this machine; harmless on a running cluster')
  .option('--data-dir <dir>', 'where the cluster keeps its state, certificates and logs', DEFAULT_DATA_DIR)
  .addHelpText('after', '\nExamples:\n  sudo npx skiff up\n  npx skiff up --data-dir /tmp/lab\n')
  .action(async (opts: { dataDir: string }) => {
    const progress = createProgress();
    const layout = await up({ dataDir: opts.dataDir }, progress);
    progress.info('');
    progress.info('The cluster is up. Point kubectl at it:');
    progress.info(`  export KUBECONFIG=${layout.kubeconfig}`);
    progress.info('  kubectl get namespaces');
    progress.info(`Logs are in ${layout.logs}; \`npx skiff status\` shows each component; \`npx skiff down\` stops them.`);
  });

program
  .command('down')
  .description('Stop every process `up` started and remove the network it made')
  .option('--data-dir <dir>', 'the cluster to stop', DEFAULT_DATA_DIR)
  .option('--purge', 'also delete the data dir (state, certificates, logs)', false)
  .addHelpText('after', '\nExamples:\n  npx skiff down\n  npx skiff down --purge\n')
  .action(async (opts: { dataDir: string; purge: boolean }) => {
    await down(opts, createProgress());
  });

program
  .command('status')
  .description("Each component's process, health, version and address")
  .option('--data-dir <dir>', 'the cluster to inspect', DEFAULT_DATA_DIR)
  .action(async (opts: { dataDir: string }) => {
    const { components, nodes } = await clusterStatus(opts.dataDir);
    if (components.length === 0) {
      console.log(`no cluster recorded under ${opts.dataDir}; start one with: npx skiff up`);
      process.exitCode = 1;
      return;
    }
    const rows = components.map((c) => [c.name, c.running ? `running (pid ${c.pid})` : 'stopped', c.health, c.version ?? '', c.address ?? '']);
    printColumns([['COMPONENT', 'PROCESS', 'HEALTH', 'VERSION', 'ADDRESS'], ...rows]);
    if (nodes.length) {
      console.log('');
      printColumns([['NODE', 'STATUS', 'INTERNAL-IP', 'VERSION'], ...nodes.map((n) => [n.name, n.ready, n.address, n.version])]);
    }
  });

addResourceCommands(program);
addImageCommands(program);
addInspectCommands(program);
addOperateCommands(program);

function printColumns(rows: string[][]): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((cell, i) => cell.padEnd(widths[i])).join('   ').trimEnd());
}

program.parseAsync().catch((err: unknown) => {
  if (err instanceof StepFailed) {
    console.error(`\nskiff: step "${err.step}" failed: ${err.cause instanceof Error ? err.cause.message : String(err.cause)}`);
    if (err.logFile) console.error(`its log: ${err.logFile}`);
  } else {
    console.error(`skiff: ${err instanceof Error ? err.message : String(err)}`);
  }
  process.exit(1);
});
