// skiff-controller-manager wired up: an API client from the kubeconfig, the health/metrics
// server, leader election on Lease kube-system/kube-controller-manager, and the controllers
// (manager.ts) running while this process leads. Losing leadership ends the process with code
// 1 (a supervisor restarts it and it campaigns again), as kube-controller-manager does.

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { restClientFromKubeconfig } from '../client/rest.js';
import { createEventRecorder } from '../client/events.js';
import { LeaderElector } from '../client/leaderelection.js';
import { startHealthServer, type HealthServer } from '../client/health-server.js';
import { createLogger } from '../client/log.js';
import type { ApiClient } from '../client/interfaces.js';
import type { ControllerManagerFlags } from './flags.js';
import { ControllerMetrics } from './metrics.js';
import { runControllers } from './manager.js';

export const COMPONENT = 'kube-controller-manager';
export const LEASE = { namespace: 'kube-system', name: 'kube-controller-manager' };

export interface ControllerManagerApp {
  /** `http(s)://host:port` of /healthz and /metrics, when served. */
  url?: string;
  /** Resolves with the exit code: 0 after stop(), 1 when leadership was lost. */
  done: Promise<number>;
  stop(): Promise<void>;
}

export async function startControllerManager(flags: ControllerManagerFlags, client?: ApiClient): Promise<ControllerManagerApp> {
  const log = createLogger('controller-manager', flags.logLevel);
  const api = client ?? restClientFromKubeconfig({ kubeconfig: flags.kubeconfig }, { qps: flags.kubeApiQps, burst: flags.kubeApiBurst, userAgent: 'skiff-controller-manager', logger: log });
  const metrics = new ControllerMetrics({ processMetrics: true });
  const recorder = createEventRecorder({ client: api, component: 'controller-manager', logger: log });
  const stopAll = new AbortController();

  let health: HealthServer | undefined;
  if (flags.securePort > 0) {
    const tls = flags.tlsCertFile && flags.tlsKeyFile ? { cert: readFileSync(flags.tlsCertFile), key: readFileSync(flags.tlsKeyFile) } : undefined;
    health = await startHealthServer({ address: flags.bindAddress, port: flags.securePort, tls, registry: metrics.registry, logger: log, checks: { 'controllers': () => !stopAll.signal.aborted } });
  }

  const runWhileLeading = async (signal: AbortSignal): Promise<void> => {
    const running = runControllers(api, flags.manager, { recorder, metrics, log }, signal);
    log.info({ controllers: running.controllers.map((c) => c.name) }, 'controllers started');
    await running.done;
  };

  let lostLeadership = false;
  const done = (async (): Promise<number> => {
    if (!flags.leaderElect) {
      await runWhileLeading(stopAll.signal);
      return 0;
    }
    let controllersDone: Promise<void> = Promise.resolve();
    const elector = new LeaderElector({
      client: api,
      ...LEASE,
      identity: `${hostname()}_${randomUUID()}`,
      leaseDurationMs: flags.leaseDurationMs,
      renewDeadlineMs: flags.renewDeadlineMs,
      retryPeriodMs: flags.retryPeriodMs,
      logger: log,
      callbacks: {
        onStartedLeading: (signal) => {
          controllersDone = runWhileLeading(signal);
        },
        onStoppedLeading: () => {
          if (!stopAll.signal.aborted) lostLeadership = true;
        },
      },
    });
    await elector.run(stopAll.signal);
    await controllersDone;
    return lostLeadership ? 1 : 0;
  })();

  return {
    url: health?.url,
    done: done.finally(() => health?.close()),
    async stop() {
      stopAll.abort();
      await done.catch(() => 1);
    },
  };
}
