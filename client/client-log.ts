// One logger shared by the client machinery's parts (watchers, informers, REST clients,
// leader election) when the caller passes none: a process may run hundreds of informers,
// and each must not open its own log destination.

import { createLogger, type Logger } from './log.js';

let shared: Logger | undefined;

export function clientLogger(): Logger {
  shared ??= createLogger('client');
  return shared;
}
