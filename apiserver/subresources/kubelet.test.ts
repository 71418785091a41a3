import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject, Pod } from '../../api/types.js';
import { createKubeletTransport } from '../kubelet-transport.js';
import type { ServerParts } from '../context.js';
import { testParts, typeOf } from '../admission/testing/parts.js';
import { execPath, logPath, nodeProxyPath, resolveContainer } from './kubelet-location.js';
import { subresources } from './index.js';
import { serveHandlers, type HandlerApp } from './testing/app.js';
import { startFakeKubelet, type FakeKubelet } from './testing/fake-kubelet.js';
import { upgradeRequestHead } from './upgrade.js';
import { waitFor } from '../../test/harness/ports.js';

function pod(containers: string[], init: string[] = [], nodeName?: string, name = 'web'): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName, containers: containers.map((c) => ({ name: c })), initContainers: init.map((c) => ({ name: c })) },
  };
}

describe('kubelet locations (pure)', () => {
  it.each<[string, Pod, string | null, string]>([
    ['the only container', pod(['app']), null, 'app'],
    ['a named container', pod(['a', 'b']), 'b', 'b'],
    ['an init container', pod(['a'], ['setup']), 'setup', 'setup'],
    ['several and none named', pod(['a', 'b']), null, 'a container name must be specified for pod web, choose one of: [a b]'],
    ['several with init containers', pod(['a', 'b'], ['i']), null, 'a container name must be specified for pod web, choose one of: [a b] or one of the init containers: [i]'],
    ['an unknown container', pod(['a']), 'nope', 'container nope is not valid for pod web'],
  ])('%s', (_case, p, requested, want) => {
    if (want.includes(' ')) expect(() => resolveContainer(p, requested)).toThrow(want);
    else expect(resolveContainer(p, requested)).toBe(want);
  });

  it('builds log and exec paths', () => {
    expect(logPath(pod(['app']), 'app', new URLSearchParams('follow=true&tailLines=10&container=app&bogus=1'))).toBe('/containerLogs/default/web/app?follow=true&tailLines=10');
    expect(() => logPath(pod(['app']), 'app', new URLSearchParams('tailLines=-1'))).toThrow('tailLines');
    expect(execPath(pod(['app']), 'app', new URLSearchParams('command=sh&command=-c&command=echo+hi&stdin=true&stdout=true&stderr=true&tty=true'))).toBe(
      '/exec/default/web/app?command=sh&command=-c&command=echo+hi&input=1&stdin=true&output=1&stdout=true&tty=1',
    );
    expect(() => execPath(pod(['app']), 'app', new URLSearchParams('stdout=true'))).toThrow('you must specify at least 1 command');
    expect(() => execPath(pod(['app']), 'app', new URLSearchParams('command=ls'))).toThrow('you must specify at least 1 of stdin, stdout, stderr');
    expect(nodeProxyPath('/api/v1/nodes/n1/proxy/metrics/cadvisor?x=1', 'n1')).toBe('/metrics/cadvisor?x=1');
    expect(nodeProxyPath('/api/v1/nodes/n1/proxy', 'n1')).toBe('/');
  });

  it('replays an upgrade head without credentials and with the kubelet as Host', () => {
    const head = upgradeRequestHead('POST', '/exec/default/web/app?command=ls', ['Host', 'api:6443', 'Authorization', 'Bearer secret', 'X-Stream-Protocol-Version', 'v4.channel.k8s.io', 'X-Stream-Protocol-Version', 'v3.channel.k8s.io'], '127.0.0.1:10250');
    expect(head).toBe('POST /exec/default/web/app?command=ls HTTP/1.1\r\nHost: 127.0.0.1:10250\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\nX-Stream-Protocol-Version: v3.channel.k8s.io\r\n\r\n');
  });
});

describe('proxying to a kubelet over TLS', () => {
  let kubelet: FakeKubelet;
  let parts: ServerParts;
  let app: HandlerApp;

  beforeAll(async () => {
    kubelet = await startFakeKubelet();
    parts = testParts();
    parts.kubeletTransport = createKubeletTransport(parts.store, parts.registry, { ca: Buffer.from(kubelet.ca.certPem) });
    await parts.store.create(typeOf(parts, '', 'nodes'), {
      metadata: { name: 'n1' },
      status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: kubelet.port } } },
    } as KubeObject);
    const pods = typeOf(parts, '', 'pods');
    await parts.store.create(pods, pod(['app'], [], 'n1') as KubeObject);
    await parts.store.create(pods, pod(['a', 'waiting'], [], 'n1', 'two') as KubeObject);
    await parts.store.create(pods, pod(['app'], [], undefined, 'pending') as KubeObject);
    app = await serveHandlers(parts, subresources);
  });
  afterAll(async () => {
    await app?.close();
    await kubelet?.close();
  });

  it('streams a container log', async () => {
    const res = await fetch(`${app.url}/core/default/pods/web/log?tailLines=5`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('log of default/web/app\nquery tailLines=5\n');
  });

  it('follows a log until the client goes, then closes the kubelet stream', async () => {
    const abort = new AbortController();
    const res = await fetch(`${app.url}/core/default/pods/web/log?follow=true`, { signal: abort.signal });
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('line 3')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text.startsWith('log of default/web/app\nline 1\n')).toBe(true);
    expect(kubelet.following).toBe(1);
    abort.abort();
    await waitFor('the kubelet stream closed', () => kubelet.following === 0, 5000, 20);
  });

  it('answers 404 for the node proxy of a node that does not exist', async () => {
    const res = await fetch(`${app.url}/core/_/nodes/nope/proxy/healthz`);
    expect(res.status).toBe(404);
  });

  it.each<[string, string, number, string]>([
    ['no container chosen', '/core/default/pods/two/log', 400, 'a container name must be specified for pod two, choose one of: [a waiting]'],
    ['the kubelet refuses', '/core/default/pods/two/log?container=waiting', 400, 'container "waiting" in pod "two" is waiting to start: ContainerCreating'],
    ['not scheduled', '/core/default/pods/pending/log', 400, 'pod pending does not have a host assigned'],
    ['no such pod', '/core/default/pods/nope/log', 404, 'pods "nope" not found'],
  ])('answers a Status when %s', async (_case, path, code, message) => {
    const res = await fetch(`${app.url}${path}`);
    expect(res.status).toBe(code);
    expect(await res.json()).toMatchObject({ kind: 'Status', code, message });
  });

  it('relays node proxy requests, body and answer, without the caller\'s token', async () => {
    const res = await fetch(`${app.url}/core/_/nodes/n1/proxy/configz?a=b`, { method: 'POST', body: 'hello', headers: { authorization: 'Bearer secret' } });
    expect(res.status).toBe(203);
    expect(res.headers.get('x-kubelet')).toBe('fake');
    expect(await res.json()).toEqual({ method: 'POST', url: '/configz?a=b', authorization: null, body: 'hello' });
  });

  /** Sends a raw upgrade request; resolves with the socket once the answer's head arrived. */
  function upgrade(path: string, headers: string[]): Promise<{ socket: Socket; head: string; rest: Buffer }> {
    const { port } = new URL(app.url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers.join('\r\n')}\r\n\r\n`));
      let buf = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        buf = Buffer.concat([buf, chunk]);
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onData);
        resolve({ socket, head: buf.subarray(0, end).toString(), rest: buf.subarray(end + 4) });
      };
      socket.on('data', onData);
      socket.on('error', reject);
    });
  }

  it('splices an exec upgrade to the kubelet byte for byte', async () => {
    const { socket, head, rest } = await upgrade('/core/default/pods/web/exec?command=cat&stdin=true&stdout=true', [
      'Authorization: Bearer secret',
      'Connection: Upgrade',
      'Upgrade: SPDY/3.1',
      'X-Stream-Protocol-Version: v4.channel.k8s.io',
      'X-Stream-Protocol-Version: channel.k8s.io',
    ]);
    try {
      expect(head.split('\r\n')[0]).toBe('HTTP/1.1 101 Switching Protocols');
      const seen = kubelet.upgrades.at(-1)!;
      expect(seen.url).toBe('/exec/default/web/app?command=cat&input=1&stdin=true&output=1&stdout=true');
      expect(seen.headers.authorization).toBeUndefined();
      expect(seen.headers['x-stream-protocol-version']).toBe('v4.channel.k8s.io, channel.k8s.io');
      const payload = Buffer.from([0, 1, 2, 255, 254, 13, 10, 13, 10]);
      const echoed = new Promise<Buffer>((resolve) => {
        let got = rest;
        const check = () => (got.length >= payload.length ? resolve(got) : undefined);
        socket.on('data', (c: Buffer) => {
          got = Buffer.concat([got, c]);
          check();
        });
        check();
      });
      socket.write(payload);
      expect(await echoed).toEqual(payload);
    } finally {
      socket.destroy();
    }
  });

  it('passes the kubelet\'s refusal of a WebSocket offer through unchanged', async () => {
    kubelet.refuseWebSocket = true;
    try {
      const { socket, head } = await upgrade('/core/default/pods/web/exec?command=ls&stdout=true', ['Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Protocol: v5.channel.k8s.io']);
      socket.destroy();
      expect(head).toBe('HTTP/1.1 403 Forbidden');
    } finally {
      kubelet.refuseWebSocket = false;
    }
  });

  it('answers a Status before dialling when the request is wrong', async () => {
    const { socket, head, rest } = await upgrade('/core/default/pods/two/exec?command=ls&stdout=true', ['Connection: Upgrade', 'Upgrade: SPDY/3.1']);
    // The server closes after the body: read to the end.
    const body = await new Promise<Buffer>((resolve) => {
      let got = rest;
      socket.on('data', (c: Buffer) => (got = Buffer.concat([got, c])));
      socket.on('close', () => resolve(got));
    });
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(JSON.parse(body.toString())).toMatchObject({ kind: 'Status', code: 400, message: 'a container name must be specified for pod two, choose one of: [a waiting]' });
  });
});
