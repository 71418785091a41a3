// `skiff-apiserver`'s command line, with kube-apiserver's flag names, and the step from parsed
// flags to ApiServerOptions (certificates read or made, token file read, etcd store opened).
// main.ts and the test harness both go through here, so tests exercise the real flags.

import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { Registry } from 'prom-client';
import { parseDuration } from '../client/flags.js';
import { createLogger, levelFromVerbosity } from '../client/log.js';
import { loadOrCreateCA, loadOrCreateServingCert } from '../client/pki.js';
import { parseTokenFile } from './authn.js';
import type { ApiServerOptions } from './server.js';
import { EtcdStore } from './storage/etcd-store.js';

export interface ApiServerFlags {
  etcdServers: string[];
  bindAddress: string;
  securePort: number;
  advertiseAddress?: string;
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  certDir: string;
  clientCaFile?: string;
  tokenAuthFile?: string;
  serviceClusterIpRange: string;
  serviceNodePortRange: string;
  eventTtl: number;
  defaultNotReadyTolerationSeconds: number;
  defaultUnreachableTolerationSeconds: number;
  maxRequestsInflight: number;
  maxMutatingRequestsInflight: number;
  maxRequestBodyBytes: number;
  etcdCompactionInterval: number;
  kubeletClientCertificate?: string;
  kubeletClientKey?: string;
  kubeletCertificateAuthority?: string;
  v?: number;
}

function int(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer, got "${value}"`);
    return n;
  };
}

function duration(value: string): number {
  try {
    return parseDuration(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

function portRange(value: string): string {
  const m = /^(\d+)-(\d+)$/.exec(value);
  if (!m || Number(m[1]) > Number(m[2]) || Number(m[2]) > 65535) throw new InvalidArgumentError(`want a port range like 30000-32767, got "${value}"`);
  return value;
}

export const DEFAULT_CERT_DIR = '/var/run/skiff/apiserver';

export function apiserverCommand(): Command {
  return new Command('skiff-apiserver')
    .description('The skiff API server: the Kubernetes REST API over etcd')
    .addOption(new Option('--etcd-servers <urls>', 'etcd endpoints, comma-separated').default(['http://127.0.0.1:2379']).argParser((v) => v.split(',').map((s) => s.trim()).filter((s) => s !== '')))
    .option('--bind-address <ip>', 'address to serve HTTPS on', '0.0.0.0')
    .option('--secure-port <port>', 'HTTPS port (0 picks one)', int('--secure-port'), 6443)
    .option('--advertise-address <ip>', 'address clients in the cluster use to reach this server')
    .option('--tls-cert-file <file>', 'serving certificate (PEM); without it one is made in --cert-dir')
    .option('--tls-private-key-file <file>', 'key of --tls-cert-file')
    .option('--cert-dir <dir>', 'where a self-signed CA and serving certificate are kept when --tls-cert-file is absent', DEFAULT_CERT_DIR)
    .option('--client-ca-file <file>', 'CA that client certificates must chain to (CN = user, O = groups)')
    .option('--token-auth-file <file>', 'static bearer tokens: token,user,uid,"group1,group2"')
    .option('--service-cluster-ip-range <cidr>', 'Service ClusterIP range', '10.96.0.0/16')
    .option('--service-node-port-range <range>', 'NodePort range', portRange, '30000-32767')
    .option('--event-ttl <duration>', 'how long Events are kept', duration, 3_600_000)
    .option('--default-not-ready-toleration-seconds <n>', 'tolerationSeconds of the default not-ready toleration', int('--default-not-ready-toleration-seconds'), 300)
    .option('--default-unreachable-toleration-seconds <n>', 'tolerationSeconds of the default unreachable toleration', int('--default-unreachable-toleration-seconds'), 300)
    .option('--max-requests-inflight <n>', 'concurrent read-only requests (0 = no limit)', int('--max-requests-inflight'), 400)
    .option('--max-mutating-requests-inflight <n>', 'concurrent mutating requests (0 = no limit)', int('--max-mutating-requests-inflight'), 200)
    .option('--max-request-body-bytes <n>', 'largest accepted request body', int('--max-request-body-bytes'), 3 * 1024 * 1024)
    .option('--etcd-compaction-interval <duration>', 'how often etcd is compacted (0 disables)', duration, 300_000)
    .option('--kubelet-client-certificate <file>', 'client certificate for talking to kubelets')
    .option('--kubelet-client-key <file>', 'key of --kubelet-client-certificate')
    .option('--kubelet-certificate-authority <file>', 'CA of the kubelets\' serving certificates')
    .option('--v <level>', 'log verbosity (0-1 info, 2-3 debug, 4+ trace)', int('--v'));
}

/** Parses argv (without node and script) into flags; throws on a bad flag. */
export function parseFlags(argv: string[]): ApiServerFlags {
  const cmd = apiserverCommand().exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  cmd.parse(argv, { from: 'user' });
  return cmd.opts<ApiServerFlags>();
}

/** Turns flags into what `startApiServer` takes: files read, certificates loaded or made, the etcd store opened. */
export async function serverOptionsFromFlags(flags: ApiServerFlags): Promise<ApiServerOptions> {
  const log = createLogger('apiserver', levelFromVerbosity(flags.v));
  const metrics = new Registry();
  const advertise = flags.advertiseAddress ?? (flags.bindAddress === '0.0.0.0' ? '127.0.0.1' : flags.bindAddress);

  let servingCert: { certPem: string; keyPem: string };
  if (flags.tlsCertFile || flags.tlsPrivateKeyFile) {
    if (!flags.tlsCertFile || !flags.tlsPrivateKeyFile) throw new Error('--tls-cert-file and --tls-private-key-file go together');
    servingCert = { certPem: readFileSync(flags.tlsCertFile, 'utf8'), keyPem: readFileSync(flags.tlsPrivateKeyFile, 'utf8') };
  } else {
    const ca = await loadOrCreateCA(flags.certDir, 'apiserver-ca', 'skiff-apiserver-ca');
    const hosts = [...new Set(['127.0.0.1', 'localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', advertise])];
    servingCert = await loadOrCreateServingCert(flags.certDir, 'apiserver', ca, { commonName: 'kube-apiserver', hosts });
  }

  const store = new EtcdStore({ endpoints: flags.etcdServers, compactionIntervalMs: flags.etcdCompactionInterval, metricsRegistry: metrics, logger: log.child({ part: 'storage' }) });
  return {
    store,
    ownsStore: true,
    bindAddress: flags.bindAddress,
    securePort: flags.securePort,
    servingCert,
    clientCAPem: flags.clientCaFile ? readFileSync(flags.clientCaFile, 'utf8') : undefined,
    tokens: flags.tokenAuthFile ? parseTokenFile(readFileSync(flags.tokenAuthFile, 'utf8')) : undefined,
    config: {
      serviceClusterIPRange: flags.serviceClusterIpRange,
      serviceNodePortRange: flags.serviceNodePortRange,
      advertiseAddress: advertise,
      securePort: flags.securePort,
      eventTTLSeconds: Math.round(flags.eventTtl / 1000),
      defaultNotReadyTolerationSeconds: flags.defaultNotReadyTolerationSeconds,
      defaultUnreachableTolerationSeconds: flags.defaultUnreachableTolerationSeconds,
      maxRequestBodyBytes: flags.maxRequestBodyBytes,
    },
    maxRequestsInflight: flags.maxRequestsInflight,
    maxMutatingRequestsInflight: flags.maxMutatingRequestsInflight,
    log,
    metrics,
    kubeletTLS: {
      cert: flags.kubeletClientCertificate ? readFileSync(flags.kubeletClientCertificate) : undefined,
      key: flags.kubeletClientKey ? readFileSync(flags.kubeletClientKey) : undefined,
      ca: flags.kubeletCertificateAuthority ? readFileSync(flags.kubeletCertificateAuthority) : undefined,
    },
  };
}
