// postStart and preStop lifecycle hooks: exec (CRI ExecSync), httpGet against the pod IP, or
// sleep. A failed postStart kills the container (FailedPostStartHook); a preStop runs within
// the termination grace period, whatever it returns.

import type { Container, LifecycleHandler } from '../../api/types.js';
import type { CriClient } from '../cri/client.js';
import { runProbe } from '../prober/probe.js';

export async function runHook(cri: CriClient, handler: LifecycleHandler, containerId: string, container: Container, podIp: string, timeoutSeconds: number): Promise<{ ok: boolean; output: string }> {
  if (handler.sleep) {
    await new Promise((r) => setTimeout(r, Math.min(handler.sleep?.seconds ?? 0, timeoutSeconds) * 1000));
    return { ok: true, output: '' };
  }
  const t = Math.max(1, Math.floor(timeoutSeconds));
  if (handler.exec) return runProbe({ exec: handler.exec, timeoutSeconds: t }, { cri, containerId, container, podIp });
  if (handler.httpGet) return runProbe({ httpGet: handler.httpGet, timeoutSeconds: t }, { cri, containerId, container, podIp });
  if (handler.tcpSocket) return runProbe({ tcpSocket: handler.tcpSocket, timeoutSeconds: t }, { cri, containerId, container, podIp });
  return { ok: false, output: 'lifecycle handler has no action' };
}
