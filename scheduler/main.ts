#!/usr/bin/env -S node --max-semi-space-size=2
// skiff-scheduler: parse flags, start the scheduler, exit 0 on SIGTERM/SIGINT, exit 1 when
// leadership is lost (a supervisor restarts it and it campaigns again, as kube-scheduler does).

import { CommanderError } from 'commander';
import { limitHeapGrowth } from '../client/node-heap.js';
import { startSchedulerApp } from './app.js';
import { ConfigError } from './config.js';
import { parseFlags, type SchedulerFlags } from './flags.js';

// Keep the heap close to the scheduler cache's live objects (client/node-heap.ts); the shebang
// line carries the young-generation size.
limitHeapGrowth();

async function main(): Promise<void> {
  let flags: SchedulerFlags;
  try {
    flags = parseFlags(process.argv.slice(2));
  } catch (err) {
    if (err instanceof CommanderError) process.exit(err.code === 'commander.helpDisplayed' ? 0 : 2);
    throw err;
  }
  let app;
  try {
    app = await startSchedulerApp(flags);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`skiff-scheduler: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const started = app;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    started.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const code = await started.done;
  if (!stopping) process.exit(code);
}

main().catch((err: unknown) => {
  process.stderr.write(`skiff-scheduler: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
