// skiff-scheduler's command line, with kube-scheduler's flag names. Flags given explicitly
// override the same settings in --config.

import { Command, Option } from 'commander';
import { boolFlag, durationFlag } from '../client/flags.js';

export interface SchedulerFlags {
  kubeconfig?: string;
  config?: string;
  leaderElect?: boolean;
  leaderElectLeaseDuration?: number;
  leaderElectRenewDeadline?: number;
  leaderElectRetryPeriod?: number;
  leaderElectResourceNamespace?: string;
  leaderElectResourceName?: string;
  bindAddress: string;
  /** 0 disables the health and metrics server. */
  securePort: number;
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  podInitialBackoff?: number;
  podMaxBackoff?: number;
  podMaxInUnschedulablePodsDuration?: number;
  kubeApiQps?: number;
  v?: number;
}

function intFlag(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`invalid number ${JSON.stringify(value)}`);
  return n;
}

export function flagsCommand(): Command {
  return new Command('skiff-scheduler')
    .description('Assigns pending pods to nodes: filter, score, bind.')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .option('--kubeconfig <file>', 'kubeconfig with the API server and credentials')
    .option('--config <file>', 'KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) file')
    .addOption(new Option('--leader-elect [bool]', 'schedule only while holding the Lease kube-system/kube-scheduler').argParser(boolFlag))
    .option('--leader-elect-lease-duration <duration>', 'how long a Lease not renewed stays held (default 15s)', durationFlag)
    .option('--leader-elect-renew-deadline <duration>', 'how long the leader keeps trying to renew before giving up (default 10s)', durationFlag)
    .option('--leader-elect-retry-period <duration>', 'time between acquire/renew attempts (default 2s)', durationFlag)
    .option('--leader-elect-resource-namespace <ns>', 'namespace of the Lease (default kube-system)')
    .option('--leader-elect-resource-name <name>', 'name of the Lease (default kube-scheduler)')
    .option('--bind-address <ip>', 'address of the /healthz and /metrics server', '0.0.0.0')
    .option('--secure-port <port>', 'port of the /healthz and /metrics server (HTTPS with --tls-cert-file, else plain HTTP); 0 disables it', intFlag, 10259)
    .option('--tls-cert-file <file>', 'serving certificate for the health and metrics server')
    .option('--tls-private-key-file <file>', 'key of --tls-cert-file')
    .option('--pod-initial-backoff <duration>', 'first backoff of a pod that failed to schedule (default 1s)', durationFlag)
    .option('--pod-max-backoff <duration>', 'longest backoff (default 10s)', durationFlag)
    .option('--pod-max-in-unschedulable-pods-duration <duration>', 'retry a parked pod after this long even without a cluster event (default 5m)', durationFlag)
    .option('--kube-api-qps <qps>', 'client-side request limit; none by default', intFlag)
    .option('--v <level>', 'log verbosity (0-1 info, 2-3 debug, 4+ trace)', intFlag);
}

export function parseFlags(argv: string[]): SchedulerFlags {
  const cmd = flagsCommand();
  cmd.parse(argv, { from: 'user' });
  return cmd.opts<SchedulerFlags>();
}
