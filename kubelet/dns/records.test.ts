import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Service } from '../../api/types.js';
import { listSource, resolve, type DnsSource } from './records.js';

const services: Service[] = [
  { metadata: { name: 'web', namespace: 'default' }, spec: { clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80 }, { name: 'dns', port: 53, protocol: 'UDP' }] } },
  { metadata: { name: 'db', namespace: 'data' }, spec: { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] } },
  { metadata: { name: 'ext', namespace: 'default' }, spec: { type: 'ExternalName', externalName: 'example.org' } },
];
const slices: EndpointSlice[] = [
  {
    metadata: { name: 'db-1', namespace: 'data', labels: { 'kubernetes.io/service-name': 'db' } },
    addressType: 'IPv4',
    endpoints: [
      { addresses: ['10.244.1.7'], hostname: 'db-0' },
      { addresses: ['10.244.2.9'] },
      { addresses: ['10.244.3.3'], conditions: { ready: false } },
    ],
  },
];
const source: DnsSource = listSource(services, slices);
const ask = (name: string, type = 'A') => resolve(source, 'cluster.local', name, type);

describe('cluster DNS records', () => {
  it.each([
    ['web.default.svc.cluster.local', 'A', 'NOERROR', ['10.96.0.10']],
    ['WEB.Default.svc.cluster.local.', 'A', 'NOERROR', ['10.96.0.10']],
    ['db.data.svc.cluster.local', 'A', 'NOERROR', ['10.244.1.7', '10.244.2.9']],
    ['db-0.db.data.svc.cluster.local', 'A', 'NOERROR', ['10.244.1.7']],
    ['10-244-2-9.db.data.svc.cluster.local', 'A', 'NOERROR', ['10.244.2.9']],
    ['10-244-1-5.default.pod.cluster.local', 'A', 'NOERROR', ['10.244.1.5']],
    ['web.default.svc.cluster.local', 'AAAA', 'NOERROR', []],
    ['nope.default.svc.cluster.local', 'A', 'NXDOMAIN', []],
    ['web.default.svc.cluster.local.default.svc.cluster.local', 'A', 'NXDOMAIN', []],
    ['web-0.web.default.svc.cluster.local', 'A', 'NXDOMAIN', []],
    ['999-1-1-1.default.pod.cluster.local', 'A', 'NXDOMAIN', []],
    ['default.svc.cluster.local', 'A', 'NOERROR', []],
    ['example.org', 'A', 'REFUSED', []],
    ['cluster.local.example.org', 'A', 'REFUSED', []],
  ])('%s %s → %s %j', (name, type, rcode, ips) => {
    const a = ask(name, type);
    expect(a.rcode).toBe(rcode);
    expect(a.answers.map((r) => r.data)).toEqual(ips);
    if (rcode === 'NXDOMAIN' || (rcode === 'NOERROR' && ips.length === 0)) expect(a.authorities.map((r) => r.type)).toEqual(['SOA']);
  });

  it('answers SRV for named ports, pointing at the service or at each endpoint of a headless one', () => {
    const web = ask('_http._tcp.web.default.svc.cluster.local', 'SRV');
    expect(web.answers).toEqual([{ type: 'SRV', name: '_http._tcp.web.default.svc.cluster.local', ttl: 5, data: { priority: 0, weight: 100, port: 80, target: 'web.default.svc.cluster.local' } }]);
    expect(web.additionals.map((r) => r.data)).toEqual(['10.96.0.10']);
    expect(ask('_dns._udp.web.default.svc.cluster.local', 'SRV').answers).toHaveLength(1);
    expect(ask('_dns._tcp.web.default.svc.cluster.local', 'SRV').rcode).toBe('NXDOMAIN');
    const db = ask('_pg._tcp.db.data.svc.cluster.local', 'SRV');
    expect(db.answers.map((r) => (r.type === 'SRV' ? r.data.target : ''))).toEqual(['db-0.db.data.svc.cluster.local', '10-244-2-9.db.data.svc.cluster.local']);
    expect(db.additionals.map((r) => r.data)).toEqual(['10.244.1.7', '10.244.2.9']);
  });

  it('has no address for an ExternalName service (no upstream to chase the CNAME)', () => {
    expect(ask('ext.default.svc.cluster.local').answers).toEqual([]);
  });
});
