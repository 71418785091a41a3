// Wires a running skiff-scheduler from its settings: REST client, informers, the scheduler,
// leader election, the event recorder and the health/metrics server. main.ts calls it with
// parsed flags; tests and benchmarks call it in-process.

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Namespace, Node, Pod } from '../api/types.js';
import { SharedInformerFactory } from '../client/informer.js';
import { createEventRecorder } from '../client/events.js';
import { startHealthServer, type HealthServer } from '../client/health-server.js';
import type { ApiClient } from '../client/interfaces.js';
import { LeaderElector } from '../client/leaderelection.js';
import { createLogger, levelFromVerbosity, type Logger } from '../client/log.js';
import { restClientFromKubeconfig } from '../client/rest.js';
import { loadConfig, parseConfig, type SchedulerConfig } from './config.js';
import type { SchedulerFlags } from './flags.js';
import { SchedulerMetrics } from './metrics.js';
import { Scheduler } from './scheduler.js';

export interface SchedulerApp {
  readonly scheduler: Scheduler;
  readonly identity: string;
  readonly healthUrl?: string;
  isLeader(): boolean;
  /** Resolves when the app ends on its own (lost leadership) with the exit code to use. */
  readonly done: Promise<number>;
  stop(): Promise<void>;
}

/** Settings from --config, with explicitly given flags taking precedence. */
export function settingsFrom(flags: SchedulerFlags): SchedulerConfig {
  const config = flags.config ? loadConfig(readFileSync(flags.config, 'utf8')) : parseConfig(undefined);
  const le = config.leaderElection;
  return {
    ...config,
    leaderElection: {
      leaderElect: flags.leaderElect ?? le.leaderElect,
      leaseDurationMs: flags.leaderElectLeaseDuration ?? le.leaseDurationMs,
      renewDeadlineMs: flags.leaderElectRenewDeadline ?? le.renewDeadlineMs,
      retryPeriodMs: flags.leaderElectRetryPeriod ?? le.retryPeriodMs,
      resourceNamespace: flags.leaderElectResourceNamespace ?? le.resourceNamespace,
      resourceName: flags.leaderElectResourceName ?? le.resourceName,
    },
    podInitialBackoffMs: flags.podInitialBackoff ?? config.podInitialBackoffMs,
    podMaxBackoffMs: flags.podMaxBackoff ?? config.podMaxBackoffMs,
  };
}

export async function startSchedulerApp(flags: SchedulerFlags, injected?: { client?: ApiClient; logger?: Logger }): Promise<SchedulerApp> {
  const log = injected?.logger ?? createLogger('scheduler', levelFromVerbosity(flags.v));
  const settings = settingsFrom(flags);
  const client = injected?.client ?? restClientFromKubeconfig({ kubeconfig: flags.kubeconfig }, { qps: flags.kubeApiQps, userAgent: 'skiff-scheduler', logger: log });
  const identity = `${hostname()}_${randomUUID()}`;
  const informers = new SharedInformerFactory(client, { logger: log });
  // Finished pods hold no resources; leave them out of the cache entirely.
  const pods = informers.informerFor<Pod>('pods', { fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed' });
  const nodes = informers.informerFor<Node>('nodes');
  const namespaces = informers.informerFor<Namespace>('namespaces');
  const metrics = new SchedulerMetrics({ processMetrics: true });
  const recorder = createEventRecorder({ client, component: settings.profiles[0].schedulerName, logger: log });
  const scheduler = new Scheduler({
    client, pods, nodes, namespaces, recorder, metrics, logger: log,
    profiles: settings.profiles,
    queue: { initialBackoffMs: settings.podInitialBackoffMs, maxBackoffMs: settings.podMaxBackoffMs, maxInUnschedulableMs: flags.podMaxInUnschedulablePodsDuration ?? 5 * 60_000 },
  });
  informers.start();

  const stopAll = new AbortController();
  let leading = false;
  let health: HealthServer | undefined;
  if (flags.securePort > 0) {
    health = await startHealthServer({
      address: flags.bindAddress,
      port: flags.securePort,
      registry: metrics.registry,
      // Alive while running; an unreachable API server is not a reason to be restarted.
      checks: { ping: () => !stopAll.signal.aborted },
      tls: flags.tlsCertFile && flags.tlsPrivateKeyFile ? { cert: readFileSync(flags.tlsCertFile), key: readFileSync(flags.tlsPrivateKeyFile) } : undefined,
      logger: log,
    });
  }

  let finish: (code: number) => void = () => {};
  const done = new Promise<number>((r) => (finish = r));
  const le = settings.leaderElection;
  if (le.leaderElect) {
    const elector = new LeaderElector({
      client, identity, logger: log,
      namespace: le.resourceNamespace, name: le.resourceName,
      leaseDurationMs: le.leaseDurationMs, renewDeadlineMs: le.renewDeadlineMs, retryPeriodMs: le.retryPeriodMs,
      callbacks: {
        onStartedLeading: (signal) => {
          leading = true;
          return scheduler.run(signal);
        },
        onStoppedLeading: () => {
          leading = false;
          // As kube-scheduler: a leader that lost its Lease exits; a fresh process campaigns again.
          if (!stopAll.signal.aborted) {
            log.error({ identity }, 'leader election lost');
            finish(1);
          }
        },
      },
    });
    void elector.run(stopAll.signal).then(() => finish(0));
  } else {
    leading = true;
    void scheduler.run(stopAll.signal).then(
      () => finish(0),
      (err: unknown) => {
        log.error({ err: String(err) }, 'scheduler failed');
        finish(1);
      },
    );
  }
  log.info({ identity, leaderElect: le.leaderElect, health: health?.url }, 'skiff-scheduler started');

  return {
    scheduler,
    identity,
    healthUrl: health?.url,
    isLeader: () => leading,
    done,
    async stop() {
      stopAll.abort();
      await done;
      informers.stop();
      await recorder.flush();
      await health?.close();
    },
  };
}
