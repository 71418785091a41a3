// One probe attempt against a running container: exec through CRI ExecSync, httpGet and
// tcpSocket against the pod IP (the kubelet lives in the node's network namespace, where pod
// IPs are routed). Returns success or failure with the output a person needs to see why.

import { connect } from 'node:net';
import type { Container, Probe } from '../../api/types.js';
import type { CriClient } from '../cri/client.js';

export interface ProbeResult {
  ok: boolean;
  output: string;
}

export interface ProbeTarget {
  cri: CriClient;
  containerId: string;
  container: Container;
  podIp: string;
}

/** A port given by number or by the name of one of the container's ports. */
export function resolvePort(port: number | string | undefined, c: Container): number {
  if (typeof port === 'number') return port;
  if (port === undefined) throw new Error('probe has no port');
  if (/^\d+$/.test(port)) return Number(port);
  const named = c.ports?.find((p) => p.name === port);
  if (!named) throw new Error(`port ${JSON.stringify(port)} is not a named port of container ${c.name}`);
  return named.containerPort;
}

async function execProbe(t: ProbeTarget, command: string[], timeoutSeconds: number): Promise<ProbeResult> {
  try {
    const r = await t.cri.execSync(t.containerId, command, timeoutSeconds);
    const output = (r.stdout.toString() + r.stderr.toString()).slice(0, 1024);
    return { ok: r.exit_code === 0, output: r.exit_code === 0 ? output : `command ${JSON.stringify(command)} exited with ${r.exit_code}: ${output}` };
  } catch (err) {
    return { ok: false, output: (err as Error).message };
  }
}

async function httpProbe(t: ProbeTarget, probe: NonNullable<Probe['httpGet']>, timeoutSeconds: number): Promise<ProbeResult> {
  const host = probe.host || t.podIp;
  const port = resolvePort(probe.port as number | string, t.container);
  const scheme = (probe.scheme ?? 'HTTP').toLowerCase();
  const url = `${scheme}://${host}:${port}${probe.path?.startsWith('/') ? probe.path : `/${probe.path ?? ''}`}`;
  const headers: Record<string, string> = { 'User-Agent': 'kube-probe/1.32', Accept: '*/*' };
  for (const h of probe.httpHeaders ?? []) headers[h.name] = h.value;
  try {
    const res = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutSeconds * 1000) });
    const body = (await res.text()).slice(0, 1024);
    // As the kubelet: 2xx and 3xx succeed.
    const ok = res.status >= 200 && res.status < 400;
    return { ok, output: ok ? body : `HTTP probe failed with statuscode: ${res.status}` };
  } catch (err) {
    return { ok: false, output: `Get "${url}": ${(err as Error).message}` };
  }
}

function tcpProbe(t: ProbeTarget, probe: NonNullable<Probe['tcpSocket']>, timeoutSeconds: number): Promise<ProbeResult> {
  const host = probe.host || t.podIp;
  const port = resolvePort(probe.port as number | string, t.container);
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    const timer = setTimeout(() => {
      sock.destroy();
      resolve({ ok: false, output: `dial tcp ${host}:${port}: i/o timeout` });
    }, timeoutSeconds * 1000);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.destroy();
      resolve({ ok: true, output: '' });
    });
    sock.once('error', (err) => {
      clearTimeout(timer);
      resolve({ ok: false, output: `dial tcp ${host}:${port}: ${err.message}` });
    });
  });
}

export async function runProbe(probe: Probe, t: ProbeTarget): Promise<ProbeResult> {
  const timeout = probe.timeoutSeconds ?? 1;
  try {
    if (probe.exec) return await execProbe(t, probe.exec.command ?? [], timeout);
    if (probe.httpGet) return await httpProbe(t, probe.httpGet, timeout);
    if (probe.tcpSocket) return await tcpProbe(t, probe.tcpSocket, timeout);
  } catch (err) {
    return { ok: false, output: (err as Error).message };
  }
  return { ok: false, output: 'probe has no handler skiff supports (exec, httpGet, tcpSocket)' };
}
