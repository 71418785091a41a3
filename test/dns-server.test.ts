// The cluster DNS server over real UDP and TCP sockets, asked by an independent resolver
// (Node's c-ares) and by hand-framed TCP queries; garbage does not take it down.

import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { connect } from 'node:net';
import dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndpointSlice, Service } from '../api/types.js';
import { createLogger } from '../client/log.js';
import type { DnsSource } from '../kubelet/dns/records.js';
import { DnsServer } from '../kubelet/dns/server.js';
import { freePort } from './harness/ports.js';

const services: Service[] = [{ metadata: { name: 'web', namespace: 'default' }, spec: { clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80 }] } }];
const slices: EndpointSlice[] = [];
// Read live on every query, so a Service added by the test answers at once.
const live: DnsSource = {
  service: (ns, name) => services.find((s) => s.metadata?.namespace === ns && s.metadata?.name === name),
  slicesOf: (ns, svc) => slices.filter((s) => s.metadata?.namespace === ns && s.metadata?.labels?.['kubernetes.io/service-name'] === svc),
  hasServices: (ns) => services.some((s) => s.metadata?.namespace === ns),
};
let server: DnsServer;
let port: number;
let resolver: Resolver;

beforeAll(async () => {
  port = await freePort();
  server = new DnsServer({ address: '127.0.0.1', port, source: live, log: createLogger('dns-test', 'silent') });
  await server.start();
  resolver = new Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([`127.0.0.1:${port}`]);
});
afterAll(async () => server?.stop());

function tcpQuery(name: string, type: 'A' | 'SRV'): Promise<dnsPacket.DecodedPacket> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    sock.on('error', reject);
    sock.write(dnsPacket.streamEncode({ type: 'query', id: 7, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name }] }));
    let buf = Buffer.alloc(0);
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        sock.end();
        resolve(dnsPacket.decode(buf.subarray(2)));
      }
    });
  });
}

describe('cluster DNS server', () => {
  it('answers A and SRV over UDP', async () => {
    expect(await resolver.resolve4('web.default.svc.cluster.local')).toEqual(['10.96.0.10']);
    expect(await resolver.resolveSrv('_http._tcp.web.default.svc.cluster.local')).toEqual([{ name: 'web.default.svc.cluster.local', port: 80, priority: 0, weight: 100 }]);
  });

  it('says NXDOMAIN inside the domain and REFUSED outside it', async () => {
    await expect(resolver.resolve4('nope.default.svc.cluster.local')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(resolver.resolve4('example.org')).rejects.toMatchObject({ code: 'EREFUSED' });
  });

  it('sees a new service at once (it reads the live source)', async () => {
    services.push({ metadata: { name: 'late', namespace: 'default' }, spec: { clusterIP: '10.96.0.11', ports: [{ port: 80 }] } });
    expect(await resolver.resolve4('late.default.svc.cluster.local')).toEqual(['10.96.0.11']);
  });

  it('answers over TCP, authoritative, with the query id', async () => {
    const res = await tcpQuery('web.default.svc.cluster.local', 'A');
    expect(res.id).toBe(7);
    expect(res.flag_aa).toBe(true);
    expect(res.answers?.map((a) => ('data' in a ? a.data : undefined))).toEqual(['10.96.0.10']);
  });

  it('survives garbage on UDP and TCP', async () => {
    const udp = createSocket('udp4');
    await new Promise<void>((r) => udp.send(Buffer.from('not a dns packet at all'), port, '127.0.0.1', () => r()));
    udp.close();
    await new Promise<void>((resolve) => {
      const sock = connect(port, '127.0.0.1', () => sock.write(Buffer.from([0x00, 0x05, 1, 2, 3, 4, 5])));
      sock.on('close', () => resolve());
      sock.on('error', () => resolve());
    });
    expect(await resolver.resolve4('web.default.svc.cluster.local')).toEqual(['10.96.0.10']);
  });
});
