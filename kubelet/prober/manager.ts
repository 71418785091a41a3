// Probe workers, one per running container and probe kind, on the probe's own timing
// (initialDelaySeconds from the container's start, periodSeconds, timeoutSeconds, success and
// failure thresholds). Startup gates the other two. Results are kept per container id — a
// restarted container has a new id and starts from scratch — and every change of a result
// calls `onChange` so the pod is synced at once.

import type { Container, Pod, Probe } from '../../api/types.js';
import type { CriClient } from '../cri/client.js';
import type { PodRuntime } from '../pod/runtime-state.js';
import { runProbe } from './probe.js';

type Kind = 'startup' | 'liveness' | 'readiness';

interface Worker {
  kind: Kind;
  containerId: string;
  uid: string;
  timer?: NodeJS.Timeout;
  stopped: boolean;
  successes: number;
  failures: number;
}

export interface ProbeManagerOptions {
  cri: CriClient;
  onChange(uid: string, containerName: string, kind: Kind, ok: boolean, output: string): void;
  now?: () => number;
}

export class ProbeManager {
  private readonly workers = new Map<string, Worker>();
  private readonly ready = new Set<string>();
  private readonly started = new Set<string>();
  private readonly failed = new Map<string, 'liveness' | 'startup'>();
  /** Containers whose startup probe has not passed yet, so liveness and readiness wait. */
  private readonly hasStartup = new Set<string>();
  private readonly hasReadiness = new Set<string>();

  constructor(private readonly opts: ProbeManagerOptions) {}

  isReady(id: string): boolean {
    return !this.hasReadiness.has(id) || this.ready.has(id);
  }

  isStarted(id: string): boolean {
    return !this.hasStartup.has(id) || this.started.has(id);
  }

  failure(id: string): 'liveness' | 'startup' | undefined {
    return this.failed.get(id);
  }

  /** Starts workers for the pod's running containers and stops those of containers gone. */
  sync(pod: Pod, runtime: PodRuntime, podIp: string): void {
    const uid = pod.metadata?.uid ?? '';
    const live = new Set<string>();
    for (const c of pod.spec?.containers ?? []) {
      const rec = runtime.containers.find((r) => r.name === c.name && r.state === 'CONTAINER_RUNNING');
      if (!rec) continue;
      for (const [kind, probe] of [
        ['startup', c.startupProbe],
        ['liveness', c.livenessProbe],
        ['readiness', c.readinessProbe],
      ] as [Kind, Probe | undefined][]) {
        if (!probe) continue;
        const key = `${rec.id}/${kind}`;
        live.add(key);
        if (this.workers.has(key)) continue;
        if (kind === 'startup') this.hasStartup.add(rec.id);
        if (kind === 'readiness') this.hasReadiness.add(rec.id);
        const w: Worker = { kind, containerId: rec.id, uid, stopped: false, successes: 0, failures: 0 };
        this.workers.set(key, w);
        const sinceStart = (this.opts.now ?? Date.now)() - (rec.startedAt || Date.now());
        const delay = Math.max(0, (probe.initialDelaySeconds ?? 0) * 1000 - sinceStart);
        this.schedule(w, c, probe, podIp, delay);
      }
    }
    for (const [key, w] of this.workers) {
      if (w.uid === uid && !live.has(key)) this.stopWorker(key, w);
    }
  }

  removePod(uid: string): void {
    for (const [key, w] of this.workers) if (w.uid === uid) this.stopWorker(key, w);
  }

  stop(): void {
    for (const [key, w] of this.workers) this.stopWorker(key, w);
  }

  private stopWorker(key: string, w: Worker): void {
    w.stopped = true;
    clearTimeout(w.timer);
    this.workers.delete(key);
    const id = w.containerId;
    if (![...this.workers.values()].some((o) => o.containerId === id)) {
      this.ready.delete(id);
      this.started.delete(id);
      this.failed.delete(id);
      this.hasStartup.delete(id);
      this.hasReadiness.delete(id);
    }
  }

  private schedule(w: Worker, c: Container, probe: Probe, podIp: string, delayMs: number): void {
    w.timer = setTimeout(() => void this.tick(w, c, probe, podIp), delayMs);
    w.timer.unref?.();
  }

  private async tick(w: Worker, c: Container, probe: Probe, podIp: string): Promise<void> {
    if (w.stopped) return;
    const id = w.containerId;
    const period = (probe.periodSeconds ?? 10) * 1000;
    // Liveness and readiness wait for the startup probe; startup stops once it has passed.
    if ((w.kind !== 'startup' && !this.isStarted(id)) || (w.kind === 'startup' && this.started.has(id)) || this.failed.has(id)) {
      if (!(w.kind === 'startup' && this.started.has(id))) this.schedule(w, c, probe, podIp, period);
      return;
    }
    const res = await runProbe(probe, { cri: this.opts.cri, containerId: id, container: c, podIp });
    if (w.stopped) return;
    if (res.ok) {
      w.successes++;
      w.failures = 0;
    } else {
      w.failures++;
      w.successes = 0;
    }
    const successThreshold = w.kind === 'readiness' ? (probe.successThreshold ?? 1) : 1;
    const failureThreshold = probe.failureThreshold ?? 3;
    if (res.ok && w.successes >= successThreshold) this.record(w, c, true, res.output);
    else if (!res.ok && w.failures >= failureThreshold) this.record(w, c, false, res.output);
    else if (!res.ok && w.kind !== 'readiness') this.opts.onChange(w.uid, c.name, w.kind, false, res.output);
    this.schedule(w, c, probe, podIp, period);
  }

  private record(w: Worker, c: Container, ok: boolean, output: string): void {
    const id = w.containerId;
    let changed = false;
    if (w.kind === 'readiness') {
      changed = ok !== this.ready.has(id);
      if (ok) this.ready.add(id);
      else this.ready.delete(id);
    } else if (w.kind === 'startup') {
      if (ok && !this.started.has(id)) {
        this.started.add(id);
        changed = true;
      } else if (!ok && !this.failed.has(id)) {
        this.failed.set(id, 'startup');
        changed = true;
      }
    } else if (!ok && !this.failed.has(id)) {
      this.failed.set(id, 'liveness');
      changed = true;
    }
    if (changed) this.opts.onChange(w.uid, c.name, w.kind, ok, output);
  }
}
