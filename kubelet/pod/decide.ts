// What to do to bring one pod's runtime state to its spec — the kubelet's computePodActions,
// as a pure function of the pod, the runtime snapshot, probe results and back-off state:
// whether to (re)create the sandbox, which init container runs next, which containers to
// start (and at which attempt), which to kill and why, and which wait in back-off.

import type { Container, Pod } from '../../api/types.js';
import { containerHash } from './container-config.js';
import { attemptsOf, latestSandbox, type ContainerRecord, type PodRuntime } from './runtime-state.js';

export interface StartAction {
  container: Container;
  init: boolean;
  attempt: number;
}

export interface KillAction {
  id: string;
  name: string;
  reason: 'Unhealthy' | 'SpecChanged' | 'StartupProbeFailed';
  message: string;
}

export interface Waiting {
  reason: string;
  message: string;
}

export interface PodActions {
  /** Stop every container and sandbox of the pod (before a new sandbox, or because the pod is done). */
  killPod: boolean;
  createSandbox: boolean;
  sandboxAttempt: number;
  start: StartAction[];
  kill: KillAction[];
  /** Containers held back, with the waiting reason their status shows. */
  waiting: Map<string, Waiting>;
  /** Milliseconds until a back-off ends and the pod should be synced again (0: none pending). */
  retryAfterMs: number;
}

export interface DecideInput {
  pod: Pod;
  runtime: PodRuntime;
  /** Liveness (or startup) probe says restart this container id. */
  probeFailure(id: string): 'liveness' | 'startup' | undefined;
  /** Milliseconds `key` must still wait after a failure at `sinceMs` (0: may restart now). */
  backoffRemaining(key: string, sinceMs: number): number;
}

export const backoffKey = (uid: string, name: string): string => `${uid}/${name}`;

function shouldRestart(pod: Pod, rec: ContainerRecord): boolean {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (policy === 'Always') return true;
  if (policy === 'OnFailure') return rec.exitCode !== 0 || rec.state === 'CONTAINER_UNKNOWN';
  return false;
}

const succeeded = (rec: ContainerRecord | undefined): boolean => rec?.state === 'CONTAINER_EXITED' && rec.exitCode === 0;

/** True when no container will run again: the pod has reached a terminal phase. */
export function podFinished(pod: Pod, rt: PodRuntime): boolean {
  const containers = pod.spec?.containers ?? [];
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (policy === 'Always') return false;
  // An init container that failed under Never ends the pod.
  if (policy === 'Never') {
    for (const ic of pod.spec?.initContainers ?? []) {
      if (ic.restartPolicy === 'Always') continue;
      const last = attemptsOf(rt, ic.name)[0];
      if (last?.state === 'CONTAINER_EXITED' && last.exitCode !== 0) return true;
    }
  }
  return containers.every((c) => {
    const last = attemptsOf(rt, c.name)[0];
    return last?.state === 'CONTAINER_EXITED' && !shouldRestart(pod, last);
  });
}

export function computePodActions(input: DecideInput): PodActions {
  const { pod, runtime: rt } = input;
  const uid = pod.metadata?.uid ?? '';
  const actions: PodActions = { killPod: false, createSandbox: false, sandboxAttempt: 0, start: [], kill: [], waiting: new Map(), retryAfterMs: 0 };
  const inits = pod.spec?.initContainers ?? [];
  const containers = pod.spec?.containers ?? [];
  const sandbox = latestSandbox(rt);

  if (podFinished(pod, rt)) {
    actions.killPod = rt.sandboxes.some((s) => s.state === 'SANDBOX_READY');
    return actions;
  }

  const holdBack = (name: string, last: ContainerRecord, reason = 'CrashLoopBackOff'): boolean => {
    const remaining = input.backoffRemaining(backoffKey(uid, name), last.finishedAt || Date.now());
    if (remaining <= 0) return false;
    actions.waiting.set(name, { reason, message: `back-off ${Math.ceil(remaining / 1000)}s restarting failed container=${name} pod=${pod.metadata?.name}_${pod.metadata?.namespace}(${uid})` });
    actions.retryAfterMs = actions.retryAfterMs ? Math.min(actions.retryAfterMs, remaining) : remaining;
    return true;
  };

  if (!sandbox || sandbox.state !== 'SANDBOX_READY') {
    // Under restartPolicy Never a pod whose sandbox died after it ran containers is not re-run.
    if (sandbox && (pod.spec?.restartPolicy ?? 'Always') === 'Never' && rt.containers.length > 0) {
      actions.killPod = true;
      return actions;
    }
    actions.killPod = rt.sandboxes.length > 0;
    actions.createSandbox = true;
    actions.sandboxAttempt = sandbox ? sandbox.attempt + 1 : 0;
    const nextAttempt = (name: string): number => {
      const last = attemptsOf(rt, name)[0];
      return last ? last.attempt + 1 : 0;
    };
    if (inits.length > 0) {
      actions.start.push({ container: inits[0], init: true, attempt: nextAttempt(inits[0].name) });
    } else {
      for (const c of containers) {
        const last = attemptsOf(rt, c.name)[0];
        if ((pod.spec?.restartPolicy ?? 'Always') === 'OnFailure' && succeeded(last)) continue;
        actions.start.push({ container: c, init: false, attempt: nextAttempt(c.name) });
      }
    }
    return actions;
  }

  // Init containers, one at a time, in order.
  for (const ic of inits) {
    // A new sandbox runs the init containers again: only this sandbox's attempts count.
    const all = attemptsOf(rt, ic.name);
    const last = all.find((r) => r.sandboxId === sandbox.id);
    if (ic.restartPolicy === 'Always') {
      // A sidecar: once running, the next init container may start; it restarts whenever it exits.
      if (last?.state === 'CONTAINER_RUNNING') continue;
      if (!last) actions.start.push({ container: ic, init: true, attempt: all[0] ? all[0].attempt + 1 : 0 });
      else if (!holdBack(ic.name, last)) actions.start.push({ container: ic, init: true, attempt: last.attempt + 1 });
      return actions;
    }
    if (succeeded(last)) continue;
    if (!last) {
      actions.start.push({ container: ic, init: true, attempt: all[0] ? all[0].attempt + 1 : 0 });
      return actions;
    }
    if (last.state === 'CONTAINER_RUNNING') return actions;
    // Exited with an error (or never started): retry unless the policy forbids it.
    if ((pod.spec?.restartPolicy ?? 'Always') === 'Never' && last.state === 'CONTAINER_EXITED') {
      actions.killPod = true;
      return actions;
    }
    if (!holdBack(ic.name, last)) actions.start.push({ container: ic, init: true, attempt: last.attempt + 1 });
    return actions;
  }

  for (const c of containers) {
    const last = attemptsOf(rt, c.name)[0];
    if (!last) {
      actions.start.push({ container: c, init: false, attempt: 0 });
      continue;
    }
    if (last.state === 'CONTAINER_RUNNING' && last.sandboxId === sandbox.id) {
      const failure = input.probeFailure(last.id);
      if (last.hash && last.hash !== containerHash(c)) {
        actions.kill.push({ id: last.id, name: c.name, reason: 'SpecChanged', message: `Container ${c.name} definition changed, will be restarted` });
        actions.start.push({ container: c, init: false, attempt: last.attempt + 1 });
      } else if (failure) {
        const reason = failure === 'startup' ? 'StartupProbeFailed' : 'Unhealthy';
        actions.kill.push({ id: last.id, name: c.name, reason, message: `Container ${c.name} failed ${failure} probe, will be restarted` });
        // The restart itself happens on a later sync, once the kill is seen as an exit (and subject to back-off).
      }
      continue;
    }
    if (last.state === 'CONTAINER_RUNNING') continue; // in an old sandbox being torn down
    if (!shouldRestart(pod, last)) continue;
    if (last.state === 'CONTAINER_EXITED' && holdBack(c.name, last)) continue;
    actions.start.push({ container: c, init: false, attempt: last.attempt + 1 });
  }
  return actions;
}
