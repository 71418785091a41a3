import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Service } from '../../api/types.js';
import { endpointChain, serviceChain } from './chain-names.js';
import { restorePlan, emptyWritten } from './restore-plan.js';
import { desiredRules, probability } from './rules.js';
import { servicePorts } from './service-ports.js';

function svc(name: string, spec: Service['spec'], status?: Service['status']): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec, status };
}

function slice(service: string, ports: { name?: string; port: number; protocol?: string }[], endpoints: { ip: string; ready?: boolean }[]): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${service}-abc`, namespace: 'default', labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    ports,
    endpoints: endpoints.map((e) => ({ addresses: [e.ip], conditions: e.ready === undefined ? {} : { ready: e.ready } })),
  };
}

describe('servicePorts', () => {
  it('takes ready endpoints per named port across slices, skipping headless and ExternalName services', () => {
    const ports = servicePorts(
      [
        svc('web', { clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80 }, { name: 'admin', port: 9000 }] }),
        svc('headless', { clusterIP: 'None', ports: [{ port: 80 }] }),
        svc('ext', { type: 'ExternalName', externalName: 'example.org' }),
      ],
      [
        slice('web', [{ name: 'http', port: 8080 }], [{ ip: '10.244.0.3' }, { ip: '10.244.0.2', ready: true }, { ip: '10.244.0.9', ready: false }]),
        slice('web', [{ name: 'http', port: 8080 }], [{ ip: '10.244.1.2' }]),
      ],
    );
    expect(ports.map((p) => p.id)).toEqual(['default/web:admin', 'default/web:http']);
    const http = ports.find((p) => p.portName === 'http')!;
    expect(http.endpoints.map((e) => `${e.ip}:${e.port}`)).toEqual(['10.244.0.2:8080', '10.244.0.3:8080', '10.244.1.2:8080']);
    expect(ports.find((p) => p.portName === 'admin')!.endpoints).toEqual([]);
  });

  it('keeps node ports for NodePort and LoadBalancer services, with the balancer addresses', () => {
    const [p] = servicePorts(
      [svc('lb', { type: 'LoadBalancer', clusterIP: '10.96.0.11', ports: [{ port: 80, nodePort: 30080 }] }, { loadBalancer: { ingress: [{ ip: '10.200.0.10' }] } })],
      [],
    );
    expect(p.nodePort).toBe(30080);
    expect(p.loadBalancerIPs).toEqual(['10.200.0.10']);
  });
});

describe('desiredRules', () => {
  const ports = servicePorts(
    [svc('web', { clusterIP: '10.96.0.10', type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30080 }] })],
    [slice('web', [{ name: 'http', port: 8080 }], [{ ip: '10.244.0.2' }, { ip: '10.244.0.3' }, { ip: '10.244.0.4' }])],
  );

  it.each([
    [0, 3, '0.3333333333'],
    [1, 3, '0.5000000000'],
    [0, 2, '0.5000000000'],
  ])('probability(%i, %i) = %s', (i, n, want) => expect(probability(i, n)).toBe(want));

  it('balances a cluster IP over every ready endpoint and DNATs in per-endpoint chains', () => {
    const rules = desiredRules(ports, { clusterCIDR: '10.244.0.0/16' });
    const svcChain = serviceChain('default/web:http', 'TCP');
    expect(rules.nat.get('SKIFF-SERVICES')![0]).toContain(`-d 10.96.0.10/32 -p tcp -m tcp --dport 80`);
    expect(rules.nat.get('SKIFF-SERVICES')!.at(-1)).toContain('--dst-type LOCAL');
    const svcRules = rules.nat.get(svcChain)!;
    expect(svcRules[0]).toMatch(/^! -s 10.244.0.0\/16 .* -j SKIFF-MARK-MASQ$/);
    expect(svcRules.slice(1).map((r) => r.match(/--probability (\S+)/)?.[1] ?? 'rest')).toEqual(['0.3333333333', '0.5000000000', 'rest']);
    const sep = rules.nat.get(endpointChain('default/web:http', 'TCP', '10.244.0.3:8080'))!;
    expect(sep[0]).toContain('-s 10.244.0.3/32');
    expect(sep[1]).toContain('-j DNAT --to-destination 10.244.0.3:8080');
    expect(rules.nat.get('SKIFF-NODEPORTS')).toHaveLength(2);
    expect(rules.filter.get('SKIFF-SERVICES')).toEqual([]);
  });

  it('rejects in the filter table when a service has no ready endpoint', () => {
    const empty = servicePorts([svc('web', { clusterIP: '10.96.0.10', type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })], []);
    const rules = desiredRules(empty);
    expect(rules.filter.get('SKIFF-SERVICES')![0]).toMatch(/-d 10.96.0.10\/32 .* -j REJECT/);
    expect(rules.filter.get('SKIFF-EXTERNAL-SERVICES')![0]).toMatch(/--dport 30080 .* -j REJECT/);
    expect([...rules.nat.keys()].filter((c) => c.startsWith('SKIFF-SVC-'))).toEqual([]);
  });

  it('pins clients to an endpoint with ClientIP affinity', () => {
    const sticky = servicePorts(
      [svc('web', { clusterIP: '10.96.0.10', sessionAffinity: 'ClientIP', ports: [{ port: 80 }] })],
      [slice('web', [{ port: 8080 }], [{ ip: '10.244.0.2' }, { ip: '10.244.0.3' }])],
    );
    const rules = desiredRules(sticky);
    const svcRules = rules.nat.get(serviceChain('default/web:', 'TCP'))!;
    expect(svcRules.filter((r) => r.includes('--rcheck --seconds 10800'))).toHaveLength(2);
    const sep = rules.nat.get(endpointChain('default/web:', 'TCP', '10.244.0.2:8080'))!;
    expect(sep[1]).toContain('--set');
  });
});

describe('restorePlan', () => {
  const ports = (ips: string[]) =>
    servicePorts([svc('web', { clusterIP: '10.96.0.10', ports: [{ port: 80 }] })], [slice('web', [{ port: 8080 }], ips.map((ip) => ({ ip })))]);

  it('writes everything the first time and nothing when nothing changed', () => {
    const desired = desiredRules(ports(['10.244.0.2']));
    const first = restorePlan({ desired, written: emptyWritten(), full: false });
    expect(first.changedChains).toBe(desired.nat.size + desired.filter.size);
    expect(first.text).toMatch(/^\*nat\n/);
    const again = restorePlan({ desired, written: { nat: desired.nat, filter: desired.filter }, full: false });
    expect(again.text).toBe('');
  });

  it('rewrites only the chains an endpoint change touches and deletes the stale endpoint chain', () => {
    const before = desiredRules(ports(['10.244.0.2', '10.244.0.3']));
    const after = desiredRules(ports(['10.244.0.2']));
    const plan = restorePlan({ desired: after, written: { nat: before.nat, filter: before.filter }, full: false });
    const gone = endpointChain('default/web:', 'TCP', '10.244.0.3:8080');
    expect(plan.changedChains).toBe(1); // the service chain; SERVICES and the surviving endpoint are unchanged
    expect(plan.deletedChains).toBe(1);
    expect(plan.text).toContain(`-X ${gone}`);
    expect(plan.text).not.toContain('-A SKIFF-SERVICES');
  });

  it('on a full sync deletes owned chains found in the kernel that nobody wants', () => {
    const desired = desiredRules([]);
    const plan = restorePlan({ desired, written: emptyWritten(), existing: { nat: new Set(['SKIFF-SVC-OLD']), filter: new Set() }, full: true });
    expect(plan.text).toContain('-X SKIFF-SVC-OLD');
  });
});
