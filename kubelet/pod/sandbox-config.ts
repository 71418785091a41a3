// Pod → PodSandboxConfig: metadata, hostname, DNS per dnsPolicy, host port mappings,
// namespaces, the labels that tie the sandbox to the pod, the pod's log directory and its
// cgroup parent under this node's root. Pure: the same pod always gives the same config, and
// CreateContainer gets exactly this config again (containerd 1.6.20 crashes without it).

import type { Pod } from '../../api/types.js';
import type { DNSConfig, NamespaceOption, PodSandboxConfig, PortMapping, Protocol } from '../cri/types.js';
import { sandboxLabels } from './labels.js';
import { podCgroupParent, podLogDir } from './paths.js';

export interface SandboxOptions {
  nodeName: string;
  rootDir: string;
  clusterDns: string[];
  clusterDomain: string;
  /** The node's resolver (dnsPolicy Default, or ClusterFirst without cluster DNS). */
  hostDns: DNSConfig;
}

export function podIdentity(pod: Pod): { name: string; namespace: string; uid: string } {
  return { name: pod.metadata?.name ?? '', namespace: pod.metadata?.namespace ?? 'default', uid: pod.metadata?.uid ?? '' };
}

const uniq = (xs: string[]): string[] => [...new Set(xs)];

/** The resolver a pod gets, as the kubelet derives it from dnsPolicy and dnsConfig. */
export function podDnsConfig(pod: Pod, opts: Pick<SandboxOptions, 'clusterDns' | 'clusterDomain' | 'hostDns'>): DNSConfig {
  const spec = pod.spec;
  let policy = spec?.dnsPolicy ?? 'ClusterFirst';
  if (policy === 'ClusterFirst' && spec?.hostNetwork) policy = 'Default';
  if (policy === 'ClusterFirstWithHostNet') policy = 'ClusterFirst';
  if (policy === 'ClusterFirst' && opts.clusterDns.length === 0) policy = 'Default';

  let dns: Required<DNSConfig>;
  if (policy === 'None') {
    dns = { servers: [], searches: [], options: [] };
  } else if (policy === 'ClusterFirst') {
    const ns = pod.metadata?.namespace ?? 'default';
    const d = opts.clusterDomain;
    dns = {
      servers: [...opts.clusterDns],
      searches: uniq([`${ns}.svc.${d}`, `svc.${d}`, d, ...(opts.hostDns.searches ?? [])]),
      options: ['ndots:5'],
    };
  } else {
    dns = { servers: [...(opts.hostDns.servers ?? [])], searches: [...(opts.hostDns.searches ?? [])], options: [...(opts.hostDns.options ?? [])] };
  }

  const extra = spec?.dnsConfig;
  if (extra) {
    dns.servers = uniq([...dns.servers, ...(extra.nameservers ?? [])]);
    dns.searches = uniq([...dns.searches, ...(extra.searches ?? [])]);
    // An option given in dnsConfig replaces the one of the same name.
    const byName = new Map(dns.options.map((o) => [o.split(':')[0], o]));
    for (const o of extra.options ?? []) byName.set(o.name ?? '', o.value !== undefined ? `${o.name}:${o.value}` : (o.name ?? ''));
    dns.options = [...byName.values()].filter(Boolean);
  }
  // resolv.conf holds at most 3 nameservers and 32 search domains.
  dns.servers = dns.servers.slice(0, 3);
  dns.searches = dns.searches.slice(0, 32);
  return dns;
}

export function podPortMappings(pod: Pod): PortMapping[] {
  const out: PortMapping[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      out.push({ protocol: (p.protocol ?? 'TCP') as Protocol, container_port: p.containerPort, host_port: p.hostPort, host_ip: p.hostIP ?? '' });
    }
  }
  return out;
}

export function podNamespaceOptions(pod: Pod): NamespaceOption {
  const spec = pod.spec;
  return {
    network: spec?.hostNetwork ? 'NODE' : 'POD',
    pid: spec?.hostPID ? 'NODE' : spec?.shareProcessNamespace ? 'POD' : 'CONTAINER',
    ipc: spec?.hostIPC ? 'NODE' : 'POD',
  };
}

export function podHostname(pod: Pod): string {
  // A host-network sandbox has no UTS namespace of its own: a hostname there fails.
  if (pod.spec?.hostNetwork) return '';
  return (pod.spec?.hostname ?? pod.metadata?.name ?? '').slice(0, 63);
}

export function buildSandboxConfig(pod: Pod, attempt: number, opts: SandboxOptions): PodSandboxConfig {
  const id = podIdentity(pod);
  const sc = pod.spec?.securityContext;
  const sysctls: Record<string, string> = {};
  for (const s of sc?.sysctls ?? []) sysctls[s.name] = s.value;
  return {
    metadata: { ...id, attempt },
    hostname: podHostname(pod),
    log_directory: podLogDir(opts.rootDir, id),
    dns_config: podDnsConfig(pod, opts),
    port_mappings: podPortMappings(pod),
    labels: sandboxLabels(id),
    annotations: { ...(pod.metadata?.annotations ?? {}) },
    linux: {
      cgroup_parent: podCgroupParent(opts.nodeName, id.uid),
      security_context: {
        namespace_options: podNamespaceOptions(pod),
        ...(sc?.runAsUser !== undefined ? { run_as_user: { value: sc.runAsUser } } : {}),
        ...(sc?.runAsGroup !== undefined ? { run_as_group: { value: sc.runAsGroup } } : {}),
        ...(sc?.supplementalGroups ? { supplemental_groups: sc.supplementalGroups } : {}),
      },
      sysctls,
    },
  };
}

/** Parses resolv.conf text into a DNSConfig. */
export function parseResolvConf(text: string): DNSConfig {
  const dns: Required<DNSConfig> = { servers: [], searches: [], options: [] };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const [key, ...rest] = line.split(/\s+/);
    if (key === 'nameserver' && rest[0]) dns.servers.push(rest[0]);
    else if (key === 'search' || key === 'domain') dns.searches = rest;
    else if (key === 'options') dns.options.push(...rest);
  }
  return dns;
}
