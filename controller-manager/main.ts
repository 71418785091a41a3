#!/usr/bin/env -S node --max-semi-space-size=2
// skiff-controller-manager: parse flags, run the controllers, exit 0 on SIGTERM/SIGINT and 1
// when leadership is lost.

import { CommanderError } from 'commander';
import { parseFlags, type ControllerManagerFlags } from './flags.js';
import { startControllerManager } from './app.js';
import { limitHeapGrowth } from '../client/node-heap.js';

// Keep the heap close to the informer caches' live objects (client/node-heap.ts); the shebang
// line carries the young-generation size, which only works as a command-line flag.
limitHeapGrowth();

async function main(): Promise<void> {
  let flags: ControllerManagerFlags;
  try {
    flags = parseFlags(process.argv.slice(2));
  } catch (err) {
    if (err instanceof CommanderError) process.exit(err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2);
    process.stderr.write(`skiff-controller-manager: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
  const app = await startControllerManager(flags);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    app.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const code = await app.done;
  if (!stopping) process.exit(code);
}

main().catch((err: unknown) => {
  process.stderr.write(`skiff-controller-manager: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
