#!/usr/bin/env -S node --max-semi-space-size=2
// skiff-apiserver: parse flags, start serving, and on SIGTERM/SIGINT stop accepting, end
// watches cleanly, close etcd and exit 0.

import { CommanderError } from 'commander';
import { limitHeapGrowth } from '../client/node-heap.js';
import { parseFlags, serverOptionsFromFlags } from './flags.js';
import { startApiServer } from './server.js';

// Keep the heap close to the live objects (client/node-heap.ts); the shebang line carries
// the young-generation size, which only works as a command-line flag.
limitHeapGrowth();

async function main(): Promise<void> {
  let flags;
  try {
    flags = parseFlags(process.argv.slice(2));
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') process.exit(0);
      process.stderr.write(`skiff-apiserver: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const options = await serverOptionsFromFlags(flags);
  const server = await startApiServer(options);
  process.stdout.write(`skiff-apiserver serving on ${server.url().replace('127.0.0.1', flags.bindAddress)} (etcd ${flags.etcdServers.join(',')})\n`);
  options.log?.info({ url: server.url(), etcd: flags.etcdServers }, 'serving');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    options.log?.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        options.log?.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`skiff-apiserver: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
