import { describe, expect, it } from 'vitest';
import { balancerAddresses, ServiceLoadBalancerController } from './service-lb.js';
import { ControllerTestEnv } from './testing.js';
import type { Node, Service } from './types.js';

function node(name: string, ip: string, ready: boolean, unschedulable = false): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    spec: { unschedulable },
    status: { addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

function service(name: string, type: string, status?: Service['status']): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { type, ports: [{ port: 80, nodePort: 30080 }] }, status };
}

describe('balancerAddresses', () => {
  it.each([
    ['ready nodes, sorted', [node('b', '10.200.0.12', true), node('a', '10.200.0.11', true)], ['10.200.0.11', '10.200.0.12']],
    ['not ready and cordoned nodes left out', [node('a', '10.200.0.11', false), node('b', '10.200.0.12', true, true), node('c', '10.200.0.13', true)], ['10.200.0.13']],
    ['no nodes', [], []],
  ])('%s', (_name, nodes, ips) => {
    expect(balancerAddresses(nodes).map((i) => i.ip)).toEqual(ips);
  });
});

describe('ServiceLoadBalancerController', () => {
  it('writes the ready nodes into a LoadBalancer service status, once', async () => {
    const env = new ControllerTestEnv([node('a', '10.200.0.11', true), node('b', '10.200.0.12', false), service('lb', 'LoadBalancer'), service('plain', 'ClusterIP')]);
    const ctrl = new ServiceLoadBalancerController(env.context);
    await env.sync();
    await ctrl.reconcile('default/lb');
    await ctrl.reconcile('default/plain');
    const lb = (await env.all<Service>('services')).find((s) => s.metadata?.name === 'lb')!;
    expect(lb.status?.loadBalancer?.ingress).toEqual([{ ip: '10.200.0.11', ipMode: 'VIP' }]);
    expect(env.writes('services')).toEqual([{ verb: 'update', resource: 'services', subresource: 'status', name: 'lb' }]);
    await env.sync();
    await ctrl.reconcile('default/lb');
    expect(env.writes('services')).toHaveLength(1);
  });

  it('clears the status of a service that stopped being a LoadBalancer', async () => {
    const env = new ControllerTestEnv([node('a', '10.200.0.11', true), service('was-lb', 'NodePort', { loadBalancer: { ingress: [{ ip: '10.200.0.11' }] } })]);
    const ctrl = new ServiceLoadBalancerController(env.context);
    await env.sync();
    await ctrl.reconcile('default/was-lb');
    const s = (await env.all<Service>('services'))[0];
    expect(s.status?.loadBalancer).toEqual({});
  });
});
