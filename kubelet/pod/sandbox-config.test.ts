import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/types.js';
import { buildSandboxConfig, parseResolvConf, podDnsConfig, podNamespaceOptions, podPortMappings } from './sandbox-config.js';

const hostDns = { servers: ['192.0.2.53'], searches: ['lab.example'], options: ['edns0'] };
const base = { clusterDns: ['10.96.0.10'], clusterDomain: 'cluster.local', hostDns };

function pod(spec: Partial<NonNullable<Pod['spec']>> = {}): Pod {
  return { metadata: { name: 'web', namespace: 'shop', uid: 'u1' }, spec: { containers: [{ name: 'c' }], ...spec } };
}

describe('podDnsConfig', () => {
  it.each([
    ['ClusterFirst', pod(), base, { servers: ['10.96.0.10'], searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'lab.example'], options: ['ndots:5'] }],
    ['ClusterFirst + hostNetwork → Default', pod({ hostNetwork: true }), base, hostDns],
    ['ClusterFirstWithHostNet', pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }), base, { servers: ['10.96.0.10'], searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'lab.example'], options: ['ndots:5'] }],
    ['ClusterFirst without cluster DNS → Default', pod(), { ...base, clusterDns: [] }, hostDns],
    ['Default', pod({ dnsPolicy: 'Default' }), base, hostDns],
    [
      'None + dnsConfig',
      pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.2.3.4'], searches: ['a.b'], options: [{ name: 'ndots', value: '2' }, { name: 'rotate' }] } }),
      base,
      { servers: ['1.2.3.4'], searches: ['a.b'], options: ['ndots:2', 'rotate'] },
    ],
    [
      'dnsConfig option overrides by name',
      pod({ dnsConfig: { options: [{ name: 'ndots', value: '1' }] } }),
      base,
      { servers: ['10.96.0.10'], searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'lab.example'], options: ['ndots:1'] },
    ],
  ])('%s', (_name, p, opts, want) => {
    expect(podDnsConfig(p, opts)).toEqual(want);
  });
});

describe('sandbox pieces', () => {
  it('maps host ports only', () => {
    const p = pod({ containers: [{ name: 'a', ports: [{ containerPort: 80 }, { containerPort: 8080, hostPort: 30080, protocol: 'UDP' }] }] });
    expect(podPortMappings(p)).toEqual([{ protocol: 'UDP', container_port: 8080, host_port: 30080, host_ip: '' }]);
  });

  it.each([
    [{}, { network: 'POD', pid: 'CONTAINER', ipc: 'POD' }],
    [{ hostNetwork: true, hostPID: true, hostIPC: true }, { network: 'NODE', pid: 'NODE', ipc: 'NODE' }],
    [{ shareProcessNamespace: true }, { network: 'POD', pid: 'POD', ipc: 'POD' }],
  ])('namespaces for %j', (spec, want) => {
    expect(podNamespaceOptions(pod(spec))).toEqual(want);
  });

  it('builds the full config with labels, log dir and the node-scoped cgroup', () => {
    const cfg = buildSandboxConfig(pod({ hostname: 'h1' }), 2, { ...base, nodeName: 'n1', rootDir: '/var/lib/skiff' });
    expect(cfg.metadata).toEqual({ name: 'web', namespace: 'shop', uid: 'u1', attempt: 2 });
    expect(cfg.hostname).toBe('h1');
    expect(cfg.log_directory).toBe('/var/lib/skiff/pods/shop_web_u1');
    expect(cfg.linux?.cgroup_parent).toBe('/skiff/n1/podu1');
    expect(cfg.labels?.['io.kubernetes.pod.uid']).toBe('u1');
    expect(buildSandboxConfig(pod({ hostNetwork: true }), 0, { ...base, nodeName: 'n1', rootDir: '/r' }).hostname).toBe('');
  });

  it('parses resolv.conf', () => {
    expect(parseResolvConf('# x\nnameserver 1.1.1.1\nnameserver 8.8.8.8\nsearch a b\noptions ndots:2 edns0\n')).toEqual({ servers: ['1.1.1.1', '8.8.8.8'], searches: ['a', 'b'], options: ['ndots:2', 'edns0'] });
  });
});
