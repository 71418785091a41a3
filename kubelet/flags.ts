// skiff-kubelet's command line, with the kubelet's flag names where the kubelet has one.
// skiff's own additions: --pleg-relist-period, --container-restart-backoff-base/-max,
// --image-gc-period, --node-lease-renew-interval, --cni-conf-dir, --manage-routes,
// --serve-cluster-dns. The service proxy's flags are kube-proxy's (--proxy-mode,
// --cluster-cidr, --iptables-min-sync-period, --iptables-sync-period, --cleanup), since the
// kubelet runs the proxy here; --iptables-backend picks legacy or nf_tables.

import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { boolFlag, durationFlag } from '../client/flags.js';
import { DEFAULTS, type KubeletConfig } from './kubelet.js';

/** The node's service proxy and cluster DNS (kubelet/node-services.ts). */
export interface NodeServicesFlags {
  proxyMode: 'iptables' | 'none';
  serveClusterDns: boolean;
  clusterCidr: string;
  iptablesBackend: 'legacy' | 'nft';
  iptablesMinSyncPeriodMs: number;
  iptablesSyncPeriodMs: number;
}

export interface KubeletFlags {
  kubeconfig: string;
  config: KubeletConfig;
  services: NodeServicesFlags;
  verbosity?: number;
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function labels(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list(value)) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new Error(`--node-labels: ${JSON.stringify(kv)} is not key=value`);
    out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}

function percent(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 100) throw new Error(`${value} is not a percentage (0-100)`);
  return n;
}

function int(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${value} is not a non-negative integer`);
  return n;
}

export function parseKubeletFlags(argv: string[]): KubeletFlags {
  const d = DEFAULTS;
  const cmd = new Command('skiff-kubelet')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .requiredOption('--kubeconfig <file>', 'kubeconfig for the API server')
    .requiredOption('--container-runtime-endpoint <endpoint>', 'CRI endpoint, e.g. unix:///run/containerd/containerd.sock')
    .requiredOption('--hostname-override <name>', 'the node name')
    .requiredOption('--node-ip <ip>', 'the node address (InternalIP)')
    .requiredOption('--root-dir <dir>', 'pod logs, volumes and state')
    .option('--pod-cidr <cidr>', 'pod CIDR when spec.podCIDR is not set by node IPAM')
    .option('--cluster-dns <ips>', 'comma-separated DNS server IPs for pods', list, d.clusterDns)
    .option('--cluster-domain <domain>', 'cluster DNS domain', d.clusterDomain)
    .option('--resolv-conf <file>', 'resolver for dnsPolicy Default', d.resolvConf)
    .option('--cni-conf-dir <dir>', 'where the node CNI conflist is written', d.cniConfDir)
    .option('--address <ip>', 'address to serve the kubelet API on', '0.0.0.0')
    .option('--port <port>', 'port of the kubelet API', int, d.port)
    .option('--tls-cert-file <file>', 'serving certificate (self-signed when absent)')
    .option('--tls-private-key-file <file>', 'key of --tls-cert-file')
    .option('--client-ca-file <file>', 'CA for client certificates')
    .option('--max-pods <n>', 'pods this node accepts', int, d.maxPods)
    .option('--pod-infra-container-image <image>', 'the sandbox image (never garbage collected)', d.sandboxImage)
    .option('--node-labels <k=v,...>', 'labels to register the node with', labels)
    .option('--node-status-update-frequency <duration>', 'how often node status is computed and written when changed', durationFlag, d.nodeStatusUpdateFrequencyMs)
    .option('--node-status-report-frequency <duration>', 'node status is written at least this often', durationFlag, d.nodeStatusReportFrequencyMs)
    .option('--node-lease-renew-interval <duration>', 'renewal interval of the node lease', durationFlag, d.nodeLeaseRenewIntervalMs)
    .option('--pleg-relist-period <duration>', 'how often the runtime is relisted for changes', durationFlag, d.plegRelistPeriodMs)
    .option('--sync-frequency <duration>', 'max period between syncs of each pod', durationFlag, d.syncFrequencyMs)
    .option('--container-restart-backoff-base <duration>', 'first restart back-off of a crashing container', durationFlag, d.restartBackoffBaseMs)
    .option('--container-restart-backoff-max <duration>', 'restart back-off cap', durationFlag, d.restartBackoffMaxMs)
    .option('--image-gc-high-threshold <percent>', 'image fs usage that starts image GC', percent, d.imageGcHighThresholdPercent)
    .option('--image-gc-low-threshold <percent>', 'image fs usage image GC frees down to', percent, d.imageGcLowThresholdPercent)
    .option('--image-gc-period <duration>', 'how often image GC checks', durationFlag, d.imageGcPeriodMs)
    .option('--manage-routes <bool>', 'route other nodes\' pod CIDRs via their InternalIP', boolFlag, d.manageRoutes)
    .addOption(new Option('--proxy-mode <mode>', 'service proxy: iptables rules in this node\'s network namespace, or none').choices(['iptables', 'none']).default('iptables'))
    .option('--serve-cluster-dns <bool>', 'serve cluster DNS on --node-ip port 53', boolFlag, true)
    .option('--cluster-cidr <cidr>', 'the cluster\'s pod range: service traffic from outside it is masqueraded', '10.244.0.0/16')
    .addOption(new Option('--iptables-backend <backend>', 'legacy (fast full syncs) or nft').choices(['legacy', 'nft']).default('legacy'))
    .option('--iptables-min-sync-period <duration>', 'shortest time between two proxy syncs (changes are batched)', durationFlag, 1000)
    .option('--iptables-sync-period <duration>', 'how often the proxy rewrites all its rules', durationFlag, 30_000)
    .addOption(new Option('-v, --v <level>', 'log verbosity').argParser(int));
  cmd.parse(argv, { from: 'user' });
  const o = cmd.opts<{
    kubeconfig: string;
    containerRuntimeEndpoint: string;
    hostnameOverride: string;
    nodeIp: string;
    rootDir: string;
    podCidr?: string;
    clusterDns: string[];
    clusterDomain: string;
    resolvConf: string;
    cniConfDir: string;
    address: string;
    port: number;
    tlsCertFile?: string;
    tlsPrivateKeyFile?: string;
    clientCaFile?: string;
    maxPods: number;
    podInfraContainerImage: string;
    nodeLabels?: Record<string, string>;
    nodeStatusUpdateFrequency: number;
    nodeStatusReportFrequency: number;
    nodeLeaseRenewInterval: number;
    plegRelistPeriod: number;
    syncFrequency: number;
    containerRestartBackoffBase: number;
    containerRestartBackoffMax: number;
    imageGcHighThreshold: number;
    imageGcLowThreshold: number;
    imageGcPeriod: number;
    manageRoutes: boolean;
    proxyMode: 'iptables' | 'none';
    serveClusterDns: boolean;
    clusterCidr: string;
    iptablesBackend: 'legacy' | 'nft';
    iptablesMinSyncPeriod: number;
    iptablesSyncPeriod: number;
    v?: number;
  }>();
  if (o.imageGcLowThreshold >= o.imageGcHighThreshold) throw new Error('--image-gc-low-threshold must be below --image-gc-high-threshold');
  if (!!o.tlsCertFile !== !!o.tlsPrivateKeyFile) throw new Error('--tls-cert-file and --tls-private-key-file go together');
  return {
    kubeconfig: o.kubeconfig,
    verbosity: o.v,
    services: {
      proxyMode: o.proxyMode,
      serveClusterDns: o.serveClusterDns,
      clusterCidr: o.clusterCidr,
      iptablesBackend: o.iptablesBackend,
      iptablesMinSyncPeriodMs: o.iptablesMinSyncPeriod,
      iptablesSyncPeriodMs: o.iptablesSyncPeriod,
    },
    config: {
      ...d,
      nodeName: o.hostnameOverride,
      nodeIp: o.nodeIp,
      rootDir: o.rootDir,
      runtimeEndpoint: o.containerRuntimeEndpoint,
      podCidr: o.podCidr,
      clusterDns: o.clusterDns,
      clusterDomain: o.clusterDomain,
      resolvConf: o.resolvConf,
      cniConfDir: o.cniConfDir,
      port: o.port,
      maxPods: o.maxPods,
      sandboxImage: o.podInfraContainerImage,
      nodeLabels: o.nodeLabels,
      nodeStatusUpdateFrequencyMs: o.nodeStatusUpdateFrequency,
      nodeStatusReportFrequencyMs: o.nodeStatusReportFrequency,
      nodeLeaseRenewIntervalMs: o.nodeLeaseRenewInterval,
      plegRelistPeriodMs: o.plegRelistPeriod,
      syncFrequencyMs: o.syncFrequency,
      restartBackoffBaseMs: o.containerRestartBackoffBase,
      restartBackoffMaxMs: o.containerRestartBackoffMax,
      imageGcHighThresholdPercent: o.imageGcHighThreshold,
      imageGcLowThresholdPercent: o.imageGcLowThreshold,
      imageGcPeriodMs: o.imageGcPeriod,
      manageRoutes: o.manageRoutes,
      serve: {
        address: o.address,
        certPem: o.tlsCertFile ? readFileSync(o.tlsCertFile, 'utf8') : undefined,
        keyPem: o.tlsPrivateKeyFile ? readFileSync(o.tlsPrivateKeyFile, 'utf8') : undefined,
        clientCaPem: o.clientCaFile ? readFileSync(o.clientCaFile, 'utf8') : undefined,
      },
    },
  };
}
