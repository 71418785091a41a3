// The node-local DNS server: UDP and TCP on the node's address, port 53, answering from
// `records.ts`. Authoritative for the cluster domain, REFUSED for anything else (no
// forwarding: the lab has no upstream). A malformed packet is dropped (UDP) or ends the
// connection (TCP); it never reaches the resolver.

import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';
import dnsPacket, { type Answer as PacketAnswer, type Packet } from 'dns-packet';
import type { Logger } from '../../client/log.js';
import { resolve, type DnsSource, type Rcode, type Record } from './records.js';

const RCODES: { [K in Rcode]: number } = { NOERROR: 0, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };

export interface DnsServerOptions {
  address: string;
  port?: number;
  domain?: string;
  source: DnsSource;
  log: Logger;
}

function toPacketAnswer(r: Record): PacketAnswer {
  return { type: r.type, name: r.name, ttl: r.ttl, class: 'IN', data: r.data } as PacketAnswer;
}

/** Builds the response to one query packet. Exported for tests and the benchmark. */
export function answerQuery(query: Packet, source: DnsSource, domain: string): Packet {
  const q = query.questions?.[0];
  const base = { type: 'response' as const, id: query.id, questions: query.questions };
  const recursionDesired = (query.flags ?? 0) & dnsPacket.RECURSION_DESIRED;
  if (!q || (query.questions?.length ?? 0) !== 1) return { ...base, flags: recursionDesired | RCODES.NOTIMP };
  const answer = resolve(source, domain, q.name, q.type);
  const authoritative = answer.rcode === 'REFUSED' ? 0 : dnsPacket.AUTHORITATIVE_ANSWER;
  return {
    ...base,
    flags: authoritative | recursionDesired | RCODES[answer.rcode],
    answers: answer.answers.map(toPacketAnswer),
    authorities: answer.authorities.map(toPacketAnswer),
    additionals: answer.additionals.map(toPacketAnswer),
  };
}

export class DnsServer {
  private udp?: Socket;
  private tcp?: Server;
  private readonly connections = new Set<TcpSocket>();
  private readonly domain: string;

  constructor(private readonly opts: DnsServerOptions) {
    this.domain = opts.domain ?? 'cluster.local';
  }

  async start(): Promise<void> {
    const port = this.opts.port ?? 53;
    const udp = createSocket('udp4');
    this.udp = udp;
    udp.on('message', (msg, rinfo) => {
      const reply = this.reply(msg);
      if (reply) udp.send(reply, rinfo.port, rinfo.address);
    });
    await new Promise<void>((ok, fail) => {
      udp.once('error', fail);
      udp.bind(port, this.opts.address, () => ok());
    });
    const tcp = createServer((sock) => this.serveTcp(sock));
    this.tcp = tcp;
    await new Promise<void>((ok, fail) => {
      tcp.once('error', fail);
      tcp.listen(port, this.opts.address, () => ok());
    });
    this.opts.log.info({ address: this.opts.address, port, domain: this.domain }, 'cluster DNS serving');
  }

  async stop(): Promise<void> {
    for (const c of this.connections) c.destroy();
    await Promise.all([
      new Promise<void>((r) => (this.udp ? this.udp.close(() => r()) : r())),
      new Promise<void>((r) => (this.tcp ? this.tcp.close(() => r()) : r())),
    ]);
  }

  private reply(msg: Buffer): Buffer | undefined {
    let query: Packet;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      return undefined;
    }
    if (query.type !== 'query') return undefined;
    return dnsPacket.encode(answerQuery(query, this.opts.source, this.domain));
  }

  /** TCP: each message is prefixed with its 2-byte length (RFC 1035 4.2.2). */
  private serveTcp(sock: TcpSocket): void {
    this.connections.add(sock);
    sock.on('close', () => this.connections.delete(sock));
    sock.on('error', () => sock.destroy());
    sock.setTimeout(10_000, () => sock.destroy());
    let pending = Buffer.alloc(0);
    sock.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2) {
        const len = pending.readUInt16BE(0);
        if (pending.length < 2 + len) break;
        const reply = this.reply(pending.subarray(2, 2 + len));
        pending = pending.subarray(2 + len);
        if (!reply) {
          sock.destroy();
          return;
        }
        const framed = Buffer.alloc(2 + reply.length);
        framed.writeUInt16BE(reply.length, 0);
        reply.copy(framed, 2);
        sock.write(framed);
      }
    });
  }
}
