// skiff-controller-manager's flags, under kube-controller-manager's names, parsed into the
// options the app runs with. Durations take Go syntax (`40s`, `5m`); booleans `--flag=false`.

import { Command, Option } from 'commander';
import { boolFlag, durationFlag } from '../client/flags.js';
import { levelFromVerbosity } from '../client/log.js';
import { DEFAULT_OPTIONS, enabledControllers, type ManagerOptions } from './manager.js';

export interface ControllerManagerFlags {
  kubeconfig?: string;
  master?: string;
  leaderElect: boolean;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  bindAddress: string;
  securePort: number;
  tlsCertFile?: string;
  tlsKeyFile?: string;
  logLevel?: string;
  kubeApiQps?: number;
  kubeApiBurst?: number;
  manager: ManagerOptions;
}

const intFlag = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`invalid count ${JSON.stringify(v)}`);
  return n;
};

export function parseFlags(argv: string[]): ControllerManagerFlags {
  const d = DEFAULT_OPTIONS;
  const cmd = new Command('skiff-controller-manager')
    .description('Runs skiff\'s controllers: replicasets, deployments, garbage collection, namespaces, endpoints, node IPAM and lifecycle, service accounts')
    .exitOverride()
    .option('--kubeconfig <file>', 'kubeconfig with the API server address and credentials')
    .option('--controllers <list>', "controllers to run: '*' for all, 'foo' to enable, '-foo' to disable", '*')
    .option('--cluster-cidr <cidr>', 'CIDR range for pods', d.clusterCidr)
    .option('--node-cidr-mask-size <n>', 'mask size of each node\'s pod CIDR', intFlag, d.nodeCidrMaskSize)
    .option('--allocate-node-cidrs <bool>', 'assign nodes pod CIDRs from --cluster-cidr', boolFlag, d.allocateNodeCidrs)
    .option('--node-monitor-grace-period <duration>', 'how long a node may be silent before it is marked unhealthy', durationFlag, d.nodeMonitorGracePeriodMs)
    .option('--node-monitor-period <duration>', 'how often node health is checked', durationFlag, d.nodeMonitorPeriodMs)
    .option('--min-resync-period <duration>', 'informer resync period', durationFlag, d.resyncPeriodMs)
    .option('--namespace-sync-period <duration>', 'how soon a terminating namespace with content left is checked again', durationFlag, d.namespaceRecheckMs)
    .option('--job-backoff-base <duration>', 'first delay before a Job recreates a failed pod; doubles per failure (skiff: shortened in tests)', durationFlag, d.jobBackoffBaseMs)
    .option('--garbage-collector-discovery-period <duration>', 'how often the garbage collector looks for new kinds (CRDs) to watch (skiff: upstream fixes it at 30s)', durationFlag, d.gcDiscoveryPeriodMs)
    .option('--leader-elect <bool>', 'campaign for leadership on Lease kube-system/kube-controller-manager before running controllers', boolFlag, true)
    .option('--leader-elect-lease-duration <duration>', 'leader lease duration', durationFlag, 15_000)
    .option('--leader-elect-renew-deadline <duration>', 'how long the leader retries renewing before giving up', durationFlag, 10_000)
    .option('--leader-elect-retry-period <duration>', 'between acquire/renew attempts', durationFlag, 2_000)
    .option('--bind-address <ip>', 'address for /healthz and /metrics', '127.0.0.1')
    .option('--secure-port <port>', 'port for /healthz and /metrics (0 disables)', intFlag, 10257)
    .option('--tls-cert-file <file>', 'serve /healthz and /metrics over HTTPS with this certificate')
    .option('--tls-private-key-file <file>', 'key of --tls-cert-file')
    .option('--kube-api-qps <n>', 'client-side request rate limit', Number)
    .option('--kube-api-burst <n>', 'client-side request burst', Number)
    .addOption(new Option('--v <level>', 'log verbosity (0-1 info, 2-3 debug, 4+ trace)').argParser(intFlag));
  for (const [name, workers] of Object.entries({ replicaset: 5, deployment: 5, gc: 20, endpoint: 5, endpointslice: 5, namespace: 10, job: 5, daemonset: 2, 'serviceaccount-token': 1 })) {
    cmd.option(`--concurrent-${name}-syncs <n>`, `workers of the ${name} controller`, intFlag, workers);
  }
  cmd.parse(argv, { from: 'user' });
  const o = cmd.opts<Record<string, unknown>>();
  const controllers = String(o.controllers).split(',').map((s) => s.trim()).filter(Boolean);
  enabledControllers(controllers); // unknown names fail at start-up, not later
  return {
    kubeconfig: o.kubeconfig as string | undefined,
    leaderElect: o.leaderElect as boolean,
    leaseDurationMs: o.leaderElectLeaseDuration as number,
    renewDeadlineMs: o.leaderElectRenewDeadline as number,
    retryPeriodMs: o.leaderElectRetryPeriod as number,
    bindAddress: o.bindAddress as string,
    securePort: o.securePort as number,
    tlsCertFile: o.tlsCertFile as string | undefined,
    tlsKeyFile: o.tlsPrivateKeyFile as string | undefined,
    logLevel: levelFromVerbosity(o.v as number | undefined),
    kubeApiQps: o.kubeApiQps as number | undefined,
    kubeApiBurst: o.kubeApiBurst as number | undefined,
    manager: {
      controllers,
      clusterCidr: o.clusterCidr as string,
      nodeCidrMaskSize: o.nodeCidrMaskSize as number,
      allocateNodeCidrs: o.allocateNodeCidrs as boolean,
      nodeMonitorGracePeriodMs: o.nodeMonitorGracePeriod as number,
      nodeMonitorPeriodMs: o.nodeMonitorPeriod as number,
      resyncPeriodMs: o.minResyncPeriod as number,
      namespaceRecheckMs: o.namespaceSyncPeriod as number,
      jobBackoffBaseMs: o.jobBackoffBase as number,
      gcDiscoveryPeriodMs: o.garbageCollectorDiscoveryPeriod as number,
      concurrency: {
        ...d.concurrency,
        replicaset: o.concurrentReplicasetSyncs as number,
        deployment: o.concurrentDeploymentSyncs as number,
        garbagecollector: o.concurrentGcSyncs as number,
        endpoint: o.concurrentEndpointSyncs as number,
        endpointslice: o.concurrentEndpointsliceSyncs as number,
        namespace: o.concurrentNamespaceSyncs as number,
        job: o.concurrentJobSyncs as number,
        daemonset: o.concurrentDaemonsetSyncs as number,
      },
    },
  };
}
