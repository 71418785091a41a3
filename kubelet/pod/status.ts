// The pod status the kubelet reports, computed from the spec, the runtime snapshot, the
// waiting reasons of held-back containers and the probe results: phase (the kubelet's
// getPhase), conditions, pod and host IPs, and one ContainerStatus per container with its
// current and last state, restart count, readiness and `containerd://<id>`.

import type { Container, ContainerState, ContainerStatus, Pod, PodCondition, PodStatus } from '../../api/types.js';
import { getCondition, setCondition } from '../../api/meta.js';
import type { Waiting } from './decide.js';
import { qosClass } from './resources.js';
import { attemptsOf, latestSandbox, type ContainerRecord, type PodRuntime } from './runtime-state.js';

export interface StatusInput {
  pod: Pod;
  runtime: PodRuntime;
  waiting: ReadonlyMap<string, Waiting>;
  isReady(id: string): boolean;
  isStarted(id: string): boolean;
  nodeIp: string;
  now: Date;
  runtimeName?: string;
}

const iso = (ms: number): string | undefined => (ms > 0 ? new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined);

function terminated(rec: ContainerRecord, runtimeName: string): ContainerState {
  return {
    terminated: {
      exitCode: rec.exitCode,
      reason: rec.reason || (rec.exitCode === 0 ? 'Completed' : 'Error'),
      ...(rec.message ? { message: rec.message } : {}),
      startedAt: iso(rec.startedAt),
      finishedAt: iso(rec.finishedAt),
      containerID: `${runtimeName}://${rec.id}`,
    },
  };
}

function containerStatus(c: Container, input: StatusInput, init: boolean, initPending: boolean): ContainerStatus {
  const rt = input.runtimeName ?? 'containerd';
  const attempts = attemptsOf(input.runtime, c.name);
  const [latest, previous] = attempts;
  const wait = input.waiting.get(c.name);
  const status: ContainerStatus = { name: c.name, image: c.image ?? '', imageID: latest?.imageRef ?? '', ready: false, restartCount: latest?.attempt ?? 0, started: false, state: {}, lastState: {} };
  if (latest) status.containerID = `${rt}://${latest.id}`;

  if (wait) {
    status.state = { waiting: { reason: wait.reason, message: wait.message } };
    const last = latest?.state === 'CONTAINER_EXITED' ? latest : previous?.state === 'CONTAINER_EXITED' ? previous : undefined;
    if (last) status.lastState = terminated(last, rt);
  } else if (!latest) {
    status.state = { waiting: { reason: !init && initPending ? 'PodInitializing' : 'ContainerCreating' } };
  } else if (latest.state === 'CONTAINER_RUNNING') {
    status.state = { running: { startedAt: iso(latest.startedAt) } };
    status.started = input.isStarted(latest.id);
    status.ready = !init && status.started && input.isReady(latest.id);
    if (previous?.state === 'CONTAINER_EXITED') status.lastState = terminated(previous, rt);
  } else if (latest.state === 'CONTAINER_EXITED') {
    status.state = terminated(latest, rt);
    if (previous?.state === 'CONTAINER_EXITED') status.lastState = terminated(previous, rt);
  } else {
    status.state = { waiting: { reason: 'ContainerCreating' } };
    if (previous?.state === 'CONTAINER_EXITED') status.lastState = terminated(previous, rt);
  }
  if (init) status.ready = c.restartPolicy === 'Always' ? latest?.state === 'CONTAINER_RUNNING' && input.isReady(latest.id) : latest?.state === 'CONTAINER_EXITED' && latest.exitCode === 0;
  return status;
}

/** The kubelet's getPhase over init and app container statuses. */
export function podPhase(pod: Pod, initStatuses: ContainerStatus[], statuses: ContainerStatus[]): NonNullable<PodStatus['phase']> {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  let pendingInit = 0;
  let failedInit = 0;
  for (const s of initStatuses) {
    if (s.state?.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInit++;
    } else if (s.state?.waiting && s.lastState?.terminated && s.lastState.terminated.exitCode !== 0) {
      failedInit++;
    } else {
      pendingInit++;
    }
  }
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let ok = 0;
  for (const s of statuses) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) ok++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }
  if (failedInit > 0 && policy === 'Never') return 'Failed';
  if (pendingInit > 0 || (failedInit > 0 && policy !== 'Never')) return 'Pending';
  if (waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === ok) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

function cond(type: string, ok: boolean, reason: string | undefined, message: string | undefined): PodCondition {
  return ok ? { type, status: 'True' } : { type, status: 'False', ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

export function computePodStatus(input: StatusInput): PodStatus {
  const { pod, runtime } = input;
  const old = pod.status ?? {};
  const inits = pod.spec?.initContainers ?? [];
  const initStatuses = inits.map((c) => containerStatus(c, input, true, false));
  // A sidecar (restartPolicy Always) counts as initialized once it runs.
  const sidecar = new Set(inits.filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  const initialized = (s: ContainerStatus): boolean => s.state?.terminated?.exitCode === 0 || (sidecar.has(s.name) && s.state?.running !== undefined);
  const initDone = initStatuses.every(initialized);
  const statuses = (pod.spec?.containers ?? []).map((c) => containerStatus(c, input, false, !initDone));

  let phase = podPhase(pod, initStatuses.filter((s) => !sidecar.has(s.name)), statuses);
  // Until the init sequence has let the app containers start, the pod is Pending (a sidecar
  // that stops with its pod later does not take it back).
  if (!initDone && phase !== 'Failed' && statuses.every((s) => !s.containerID)) phase = 'Pending';
  // A pod that reached Succeeded or Failed never leaves it.
  if (old.phase === 'Succeeded' || old.phase === 'Failed') phase = old.phase;

  const sandbox = latestSandbox(runtime);
  const podIP = sandbox?.state === 'SANDBOX_READY' && sandbox.ip ? sandbox.ip : old.podIP;
  const notInit = initStatuses.filter((s) => !initialized(s)).map((s) => s.name);
  const notReady = statuses.filter((s) => !s.ready).map((s) => s.name);
  const done = phase === 'Succeeded' || phase === 'Failed';

  let conditions = old.conditions ?? [];
  const now = input.now;
  const ensure = (c: PodCondition): void => {
    conditions = setCondition(conditions, c, now);
  };
  if (!getCondition(conditions, 'PodScheduled')) ensure({ type: 'PodScheduled', status: 'True' });
  ensure(cond('Initialized', notInit.length === 0 || (done && phase === 'Succeeded'), 'ContainersNotInitialized', `containers with incomplete status: [${notInit.join(' ')}]`));
  const ready = !done && notReady.length === 0;
  const readyReason = done ? 'PodCompleted' : 'ContainersNotReady';
  const readyMsg = done ? undefined : `containers with unready status: [${notReady.join(' ')}]`;
  ensure(cond('ContainersReady', ready, readyReason, readyMsg));
  ensure(cond('Ready', ready, readyReason, readyMsg));

  return {
    ...old,
    phase,
    conditions,
    hostIP: input.nodeIp,
    hostIPs: [{ ip: input.nodeIp }],
    ...(podIP ? { podIP, podIPs: [{ ip: podIP }] } : {}),
    startTime: old.startTime ?? iso(now.getTime()),
    qosClass: qosClass(pod),
    ...(inits.length ? { initContainerStatuses: initStatuses } : {}),
    containerStatuses: statuses,
  };
}
