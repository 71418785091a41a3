// The controller-manager's core: which controllers exist, which are enabled (`--controllers`
// in kube-controller-manager's syntax: `*` for all, `foo` to enable, `-foo` to disable), and
// running the enabled ones over one set of shared informers until a signal aborts. main.ts
// parses flags and adds leader election and the health/metrics server around this.

import { ServiceLoadBalancerController } from './service-lb.js';
import { setMaxListeners } from 'node:events';
import type { ApiClient, EventRecorder } from '../client/interfaces.js';
import type { Logger } from '../client/log.js';
import { SharedInformerFactory } from '../client/informer.js';
import { createWorkQueue } from '../client/workqueue.js';
import { type Controller, type ControllerContext } from './controller.js';
import { ControllerMetrics } from './metrics.js';
import { ReplicaSetController } from './replicaset.js';
import { DeploymentController } from './deployment/controller.js';
import { GarbageCollector } from './gc/controller.js';
import { discoverRegistry } from '../client/discovery.js';
import { NamespaceController } from './namespace.js';
import { EndpointsController } from './endpoints/endpoints.js';
import { EndpointSliceController } from './endpoints/slices.js';
import { NodeIpamController } from './ipam/controller.js';
import { ServiceAccountController } from './serviceaccount.js';
import { NodeLifecycleController } from './nodelifecycle.js';
import { JobController } from './job.js';
import { DaemonSetController } from './daemonset/controller.js';
import { DisruptionController } from './disruption.js';

export interface ManagerOptions {
  /** `--controllers` entries; default `['*']`. */
  controllers: string[];
  clusterCidr: string;
  nodeCidrMaskSize: number;
  /** Whether node IPAM runs (`--allocate-node-cidrs`). */
  allocateNodeCidrs: boolean;
  nodeMonitorGracePeriodMs: number;
  nodeMonitorPeriodMs: number;
  /** Workers per controller name (`--concurrent-*-syncs`). */
  concurrency: Record<string, number>;
  /** Informer resync (`--min-resync-period`); 0 disables. */
  resyncPeriodMs: number;
  namespaceRecheckMs: number;
  /** First delay before a Job recreates a failed pod (doubles per failure). */
  jobBackoffBaseMs: number;
  /** How often the garbage collector looks for new kinds to watch (upstream: 30 s). */
  gcDiscoveryPeriodMs: number;
}

export const DEFAULT_OPTIONS: ManagerOptions = {
  controllers: ['*'],
  clusterCidr: '10.244.0.0/16',
  nodeCidrMaskSize: 24,
  allocateNodeCidrs: true,
  nodeMonitorGracePeriodMs: 40_000,
  nodeMonitorPeriodMs: 5_000,
  concurrency: { 'service-lb-controller': 1, replicaset: 5, deployment: 5, garbagecollector: 20, endpoint: 5, endpointslice: 5, namespace: 10, serviceaccount: 1, nodeipam: 1, nodelifecycle: 1, job: 5, daemonset: 2, disruption: 1 },
  resyncPeriodMs: 12 * 60 * 60 * 1000,
  namespaceRecheckMs: 1000,
  jobBackoffBaseMs: 10_000,
  gcDiscoveryPeriodMs: 30_000,
};

interface ControllerDescriptor {
  name: string;
  /** Off unless named explicitly (as upstream's disabled-by-default controllers). */
  disabledByDefault?: boolean;
  make(ctx: ControllerContext, opts: ManagerOptions): Controller | undefined;
}

/** Every controller skiff has, in kube-controller-manager's names. */
export const CONTROLLERS: readonly ControllerDescriptor[] = [
  { name: 'replicaset', make: (ctx) => new ReplicaSetController(ctx) },
  { name: 'deployment', make: (ctx) => new DeploymentController(ctx) },
  {
    name: 'garbagecollector',
    make: (ctx, o) => new GarbageCollector(ctx, { discover: async () => (await discoverRegistry(ctx.client)).all(), rediscoverEveryMs: o.gcDiscoveryPeriodMs }),
  },
  { name: 'namespace', make: (ctx, o) => new NamespaceController(ctx, { recheckMs: o.namespaceRecheckMs }) },
  { name: 'endpoint', make: (ctx) => new EndpointsController(ctx) },
  { name: 'endpointslice', make: (ctx) => new EndpointSliceController(ctx) },
  { name: 'nodeipam', make: (ctx, o) => (o.allocateNodeCidrs ? new NodeIpamController(ctx, { clusterCidr: o.clusterCidr, nodeCidrMaskSize: o.nodeCidrMaskSize }) : undefined) },
  { name: 'serviceaccount', make: (ctx) => new ServiceAccountController(ctx) },
  { name: 'daemonset', make: (ctx) => new DaemonSetController(ctx) },
  { name: 'disruption', make: (ctx) => new DisruptionController(ctx) },
  { name: 'job', make: (ctx, o) => new JobController(ctx, { backoffBaseMs: o.jobBackoffBaseMs }) },
  { name: 'nodelifecycle', make: (ctx, o) => new NodeLifecycleController(ctx, { gracePeriodMs: o.nodeMonitorGracePeriodMs, monitorPeriodMs: o.nodeMonitorPeriodMs }) },
  { name: 'service-lb-controller', make: (ctx) => new ServiceLoadBalancerController(ctx) },
];

/** Resolves `--controllers` against the known names; unknown names are an error, as upstream. */
export function enabledControllers(spec: string[], known: readonly ControllerDescriptor[] = CONTROLLERS): string[] {
  const names = new Set(known.map((c) => c.name));
  for (const s of spec) {
    const n = s.replace(/^-/, '');
    if (n !== '*' && !names.has(n)) throw new Error(`"${n}" is not in the list of known controllers (${[...names].join(', ')})`);
  }
  const star = spec.includes('*');
  return known
    .filter((c) => {
      if (spec.includes(`-${c.name}`)) return false;
      if (spec.includes(c.name)) return true;
      return star && !c.disabledByDefault;
    })
    .map((c) => c.name);
}

export interface RunningManager {
  readonly controllers: Controller[];
  /** Resolves when every controller has stopped (after `signal` aborts). */
  done: Promise<void>;
}

/** Starts the enabled controllers on shared informers; they run until `signal` aborts. */
export function runControllers(client: ApiClient, opts: ManagerOptions, deps: { recorder: EventRecorder; metrics: ControllerMetrics; log: Logger }, signal: AbortSignal): RunningManager {
  const factory = new SharedInformerFactory(client, { resyncPeriodMs: opts.resyncPeriodMs || undefined, logger: deps.log });
  const ctx: ControllerContext = {
    client,
    informers: factory,
    newQueue: (name) => createWorkQueue<string>({ name, metricsRegistry: deps.metrics.registry }),
    recorder: deps.recorder,
    metrics: deps.metrics,
    log: deps.log,
    now: Date.now,
  };
  const enabled = new Set(enabledControllers(opts.controllers));
  const controllers: Controller[] = [];
  for (const d of CONTROLLERS) {
    if (!enabled.has(d.name)) continue;
    const c = d.make(ctx, opts);
    if (c) controllers.push(c);
  }
  // Every controller, and every informer sync each controller waits for, listens on the one signal.
  setMaxListeners(200, signal);
  factory.start();
  const done = Promise.all(controllers.map((c) => c.run(opts.concurrency[c.name] ?? 1, signal))).then(() => factory.stop());
  signal.addEventListener('abort', () => factory.stop(), { once: true });
  return { controllers, done };
}
