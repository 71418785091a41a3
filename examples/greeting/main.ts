#!/usr/bin/env node
// greeting-controller: runs the example Greeting controller against a cluster from a
// kubeconfig (kubectl's loading rules) until SIGTERM or SIGINT.
//   npx tsx examples/greeting/main.ts [--kubeconfig FILE] [--context NAME] [--namespace NS] [--workers N]

import { Command, InvalidArgumentError } from 'commander';
import { createEventRecorder } from '../../client/events.js';
import { createLogger } from '../../client/log.js';
import { restClientFromKubeconfig } from '../../client/rest.js';
import { GreetingController } from './controller.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

const program = new Command('greeting-controller')
  .description('keeps a ConfigMap in step with each Greeting (examples.skiff.dev/v1)')
  .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
  .option('--context <name>', 'kubeconfig context')
  .option('--namespace <ns>', 'watch only this namespace (default: all)')
  .option('--workers <n>', 'reconciles at once', positiveInt, 2)
  .parse();

const flags = program.opts<{ kubeconfig?: string; context?: string; namespace?: string; workers: number }>();
const log = createLogger('greeting-controller');
const client = restClientFromKubeconfig({ kubeconfig: flags.kubeconfig, context: flags.context }, { userAgent: 'greeting-controller', logger: log });
const recorder = createEventRecorder({ client, component: 'greeting-controller', logger: log });
const controller = new GreetingController({ client, recorder, log, namespace: flags.namespace, workers: flags.workers });

const stop = new AbortController();
process.once('SIGTERM', () => stop.abort());
process.once('SIGINT', () => stop.abort());
await controller.run(stop.signal);
await recorder.flush();
log.info('greeting controller stopped');
