// One pass of bringing a pod's runtime state to its spec, and the pod's teardown: the
// executor of computePodActions. Every step that fails leaves the pod in a state the next
// pass can continue from (a failed create is retried, a created-but-not-started container is
// replaced), and its failure shows in the status as the waiting reason the kubelet uses.

import { mkdirSync, rmSync } from 'node:fs';
import type { Container, Pod, PodStatus } from '../../api/types.js';
import type { EventRecorder } from '../../client/interfaces.js';
import type { Logger } from '../../client/log.js';
import type { CriClient } from '../cri/client.js';
import { isNotFound } from '../cri/errors.js';
import type { PodSandboxConfig } from '../cri/types.js';
import type { ProbeManager } from '../prober/manager.js';
import type { Backoff } from './backoff.js';
import { removeCgroup } from './cgroups.js';
import { buildContainerConfig } from './container-config.js';
import { backoffKey, computePodActions, type Waiting } from './decide.js';
import { ContainerConfigError, resolveEnv, type EnvSources } from './env.js';
import { runHook } from './hooks.js';
import { ImagePullError, type ImagePuller } from './images.js';
import type { PodIdentity } from './labels.js';
import { podCgroupParent, podLogDir, podVolumesDir } from './paths.js';
import { readPodRuntime, type ContainerRecord, type PodRuntime } from './runtime-state.js';
import { buildSandboxConfig, podIdentity, type SandboxOptions } from './sandbox-config.js';
import { computePodStatus } from './status.js';
import { containerMounts, setUpVolumes, type VolumePaths } from './volumes.js';

export interface PodSyncerDeps {
  cri: CriClient;
  nodeIp: string;
  sandbox: SandboxOptions;
  nodeMemoryBytes: number;
  nodeAllocatable: { cpuMillis: number; memoryBytes: number };
  sources: EnvSources;
  images: ImagePuller;
  restartBackoff: Backoff;
  probes: ProbeManager;
  recorder?: EventRecorder;
  log: Logger;
  /** Dead attempts kept per container beside the newest (for `logs --previous`). */
  keepDeadAttempts?: number;
}

export interface SyncResult {
  status: PodStatus;
  /** Sync again after this many ms (a back-off ends); 0 for none. */
  retryAfterMs: number;
  runtime: PodRuntime;
}

const DEFAULT_GRACE_SECONDS = 30;

/** Whether starting `c` needs the pod IP: env from status.podIP(s), or a postStart hook. */
function needsPodIp(c: Container): boolean {
  return !!c.lifecycle?.postStart || (c.env ?? []).some((e) => e.valueFrom?.fieldRef?.fieldPath?.startsWith('status.podIP'));
}

export class PodSyncer {
  constructor(private readonly d: PodSyncerDeps) {}

  private event(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.d.recorder?.event(pod, type, reason, message);
  }

  async syncPod(pod: Pod): Promise<SyncResult> {
    const { cri } = this.d;
    const uid = pod.metadata?.uid ?? '';
    let rt = await readPodRuntime(cri, uid);
    const actions = computePodActions({
      pod,
      runtime: rt,
      probeFailure: (id) => this.d.probes.failure(id),
      backoffRemaining: (key, since) => this.d.restartBackoff.remaining(key, since),
    });
    const waiting = new Map<string, Waiting>(actions.waiting);
    for (const [name, w] of actions.waiting) {
      if (w.reason === 'CrashLoopBackOff') this.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${name} in pod ${pod.metadata?.name}_${pod.metadata?.namespace}(${uid})`);
    }
    let retryAfterMs = actions.retryAfterMs;
    const grace = pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;

    for (const k of actions.kill) {
      this.event(pod, 'Normal', 'Killing', k.message);
      const rec = rt.containers.find((c) => c.id === k.id);
      const spec = pod.spec?.containers.find((c) => c.name === k.name);
      if (rec && spec) await this.killContainer(pod, spec, rec, rt.sandboxes[0]?.ip ?? '', grace);
    }

    if (actions.killPod) await this.stopPodRuntime(pod, rt, actions.createSandbox ? 0 : grace);

    let sandboxId = rt.sandboxes[0]?.state === 'SANDBOX_READY' ? rt.sandboxes[0].id : '';
    let sandboxConfig = buildSandboxConfig(pod, actions.createSandbox ? actions.sandboxAttempt : (rt.sandboxes[0]?.attempt ?? 0), this.d.sandbox);
    let podIp = rt.sandboxes[0]?.ip ?? '';

    if (actions.createSandbox) {
      try {
        mkdirSync(sandboxConfig.log_directory ?? '', { recursive: true });
        sandboxId = await cri.runPodSandbox(sandboxConfig);
        // The pod IP is only needed before the status is read back when a container asks for it.
        if (actions.start.some((s) => needsPodIp(s.container))) podIp = (await cri.podSandboxStatus(sandboxId)).status?.network?.ip ?? '';
      } catch (err) {
        this.event(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${(err as Error).message}`);
        this.d.log.warn({ pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, err: (err as Error).message }, 'sandbox creation failed');
        sandboxId = '';
        retryAfterMs = retryAfterMs || 1000;
        // Left half-made? The next pass sees a not-ready sandbox and replaces it.
      }
    }

    if (sandboxId && (actions.start.length > 0 || (pod.spec?.volumes ?? []).some((v) => v.configMap || v.secret))) {
      let volumes: VolumePaths | undefined;
      try {
        volumes = await setUpVolumes(pod, this.d.sandbox.rootDir, this.d.sources);
      } catch (err) {
        if (!(err instanceof ContainerConfigError)) throw err;
        for (const s of actions.start) waiting.set(s.container.name, { reason: 'CreateContainerConfigError', message: err.message });
        retryAfterMs = retryAfterMs || 2000;
      }
      if (volumes) {
        for (const s of actions.start) {
          const w = await this.startContainer(pod, s.container, s.init, s.attempt, sandboxId, sandboxConfig, volumes, podIp);
          if (w) {
            waiting.set(s.container.name, w.waiting);
            if (w.retryAfterMs) retryAfterMs = retryAfterMs ? Math.min(retryAfterMs, w.retryAfterMs) : w.retryAfterMs;
          }
        }
      }
    }

    rt = await readPodRuntime(cri, uid);
    await this.removeDeadAttempts(rt);
    const current = rt.sandboxes[0];
    if (current?.state === 'SANDBOX_READY') {
      podIp = current.ip;
      sandboxConfig = { ...sandboxConfig };
    }
    this.d.probes.sync(pod, rt, podIp);
    const status = computePodStatus({
      pod,
      runtime: rt,
      waiting,
      isReady: (id) => this.d.probes.isReady(id),
      isStarted: (id) => this.d.probes.isStarted(id),
      nodeIp: this.d.nodeIp,
      now: new Date(),
    });
    return { status, retryAfterMs, runtime: rt };
  }

  /** Creates and starts one container; returns the waiting state when it could not. */
  private async startContainer(
    pod: Pod,
    c: Container,
    init: boolean,
    attempt: number,
    sandboxId: string,
    sandboxConfig: PodSandboxConfig,
    volumes: VolumePaths,
    podIp: string,
  ): Promise<{ waiting: Waiting; retryAfterMs: number } | undefined> {
    const { cri } = this.d;
    const uid = pod.metadata?.uid ?? '';
    const key = backoffKey(uid, c.name);
    try {
      await this.d.images.ensure(c, sandboxConfig, key);
    } catch (err) {
      if (!(err instanceof ImagePullError)) throw err;
      if (err.reason !== 'ImagePullBackOff') this.event(pod, 'Warning', 'Failed', err.message);
      return { waiting: { reason: err.reason, message: err.message }, retryAfterMs: err.retryAfterMs || 1000 };
    }

    let config;
    try {
      const env = await resolveEnv({ pod: { ...pod, status: { ...pod.status, podIP: podIp, podIPs: podIp ? [{ ip: podIp }] : [] } }, container: c, sources: this.d.sources, hostIp: this.d.nodeIp, nodeAllocatable: this.d.nodeAllocatable });
      config = buildContainerConfig({ pod, container: c, attempt, init, env, mounts: containerMounts(c, volumes), nodeMemoryBytes: this.d.nodeMemoryBytes });
    } catch (err) {
      if (!(err instanceof ContainerConfigError)) throw err;
      this.event(pod, 'Warning', 'Failed', `Error: ${err.message}`);
      return { waiting: { reason: 'CreateContainerConfigError', message: err.message }, retryAfterMs: 2000 };
    }

    // A restart counts against the container's back-off.
    if (attempt > 0) this.d.restartBackoff.next(key);
    let id: string;
    try {
      id = await cri.createContainer(sandboxId, config, sandboxConfig);
    } catch (err) {
      this.event(pod, 'Warning', 'Failed', `Error: ${(err as Error).message}`);
      return { waiting: { reason: 'CreateContainerError', message: (err as Error).message }, retryAfterMs: 2000 };
    }
    try {
      await cri.startContainer(id);
    } catch (err) {
      this.event(pod, 'Warning', 'Failed', `Error: ${(err as Error).message}`);
      await cri.removeContainer(id).catch(() => undefined);
      return { waiting: { reason: 'RunContainerError', message: (err as Error).message }, retryAfterMs: 2000 };
    }
    this.event(pod, 'Normal', 'Started', `Started container ${c.name}`);

    const postStart = c.lifecycle?.postStart;
    if (postStart) {
      const res = await runHook(cri, postStart, id, c, podIp, 30);
      if (!res.ok) {
        this.event(pod, 'Warning', 'FailedPostStartHook', res.output);
        await cri.stopContainer(id, 0).catch(() => undefined);
      }
    }
    return undefined;
  }

  /** preStop (within the grace period), then StopContainer with what is left of it. */
  private async killContainer(pod: Pod, c: Container | undefined, rec: ContainerRecord, podIp: string, graceSeconds: number): Promise<void> {
    const started = Date.now();
    const preStop = c?.lifecycle?.preStop;
    if (preStop && rec.state === 'CONTAINER_RUNNING' && graceSeconds > 0) {
      const res = await runHook(this.d.cri, preStop, rec.id, c, podIp, graceSeconds);
      if (!res.ok) this.event(pod, 'Warning', 'FailedPreStopHook', res.output);
    }
    const left = Math.max(0, graceSeconds - Math.floor((Date.now() - started) / 1000));
    try {
      await this.d.cri.stopContainer(rec.id, left);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** Stops every running container (with preStop hooks) and then every sandbox of the pod. */
  private async stopPodRuntime(pod: Pod, rt: PodRuntime, graceSeconds: number): Promise<void> {
    const podIp = rt.sandboxes.find((s) => s.state === 'SANDBOX_READY')?.ip ?? '';
    const all = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
    await Promise.all(
      rt.containers.filter((r) => r.state === 'CONTAINER_RUNNING').map((r) => this.killContainer(pod, all.find((c) => c.name === r.name), r, podIp, graceSeconds)),
    );
    for (const sb of rt.sandboxes) {
      if (sb.state !== 'SANDBOX_READY') continue;
      try {
        await this.d.cri.stopPodSandbox(sb.id);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  /** Keeps the newest attempt and `keepDeadAttempts` dead ones per container name. */
  private async removeDeadAttempts(rt: PodRuntime): Promise<void> {
    const keep = this.d.keepDeadAttempts ?? 1;
    const byName = new Map<string, ContainerRecord[]>();
    for (const c of rt.containers) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
    for (const attempts of byName.values()) {
      for (const old of attempts.slice(1 + keep)) {
        if (old.state === 'CONTAINER_RUNNING') continue;
        await this.d.cri.removeContainer(old.id).catch(() => undefined);
      }
    }
  }

  /**
   * Tears the pod down for good: preStop hooks and StopContainer within `graceSeconds`, stop
   * and remove every sandbox, then the node-side leftovers (pod cgroup, log and volume dirs).
   * Works from the runtime alone, so it also cleans up pods deleted while the kubelet was down.
   */
  async terminatePod(pod: Pod | PodIdentity, graceSeconds: number): Promise<void> {
    const id = 'metadata' in pod || 'spec' in pod ? podIdentity(pod as Pod) : (pod as PodIdentity);
    const asPod: Pod = 'spec' in pod ? (pod as Pod) : { metadata: { name: id.name, namespace: id.namespace, uid: id.uid } };
    const rt = await readPodRuntime(this.d.cri, id.uid);
    this.d.probes.removePod(id.uid);
    await this.stopPodRuntime(asPod, rt, graceSeconds);
    for (const sb of rt.sandboxes) {
      try {
        await this.d.cri.removePodSandbox(sb.id);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    this.cleanupNodeResources(id);
  }

  cleanupNodeResources(id: PodIdentity): void {
    const left = removeCgroup(podCgroupParent(this.d.sandbox.nodeName, id.uid));
    if (left.length) this.d.log.warn({ uid: id.uid, left }, 'pod cgroup still busy');
    // containerd never deletes container logs: the pod's log dir goes with the pod.
    rmSync(podLogDir(this.d.sandbox.rootDir, id), { recursive: true, force: true });
    rmSync(podVolumesDir(this.d.sandbox.rootDir, id.uid), { recursive: true, force: true });
    this.d.restartBackoff.gc(`${id.uid}/`);
    this.d.images.forget(`${id.uid}/`);
  }
}
