// The Pod row: READY as ready/total, STATUS as kubectl's one-word summary of the pod's state
// (Init:1/2, CrashLoopBackOff, Completed, Terminating, ...), RESTARTS with the time of the last
// restart, then the wide columns (IP, NODE, NOMINATED NODE, READINESS GATES).

import type { Container, ContainerStatus, Pod } from '../../api/types.js';
import { age, humanDuration, orNone } from './humanize.js';
import { ageColumn, column, nameColumn, printer, type PrintedRow, type TableRowCondition } from './printer.js';

/** A sidecar: an init container that keeps running (restartPolicy Always). */
function isRestartableInit(c: Container | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

function laterOf(a: number, finishedAt: string | undefined): number {
  if (!finishedAt) return a;
  const t = Date.parse(finishedAt);
  return Number.isNaN(t) || t <= a ? a : t;
}

function terminatedReason(t: NonNullable<NonNullable<ContainerStatus['state']>['terminated']>, prefix: string): string {
  if (t.reason) return prefix + t.reason;
  if (t.signal) return `${prefix}Signal:${t.signal}`;
  return `${prefix}ExitCode:${t.exitCode}`;
}

function conditionTrue(pod: Pod, type: string): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

export interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
}

/** The READY, STATUS and RESTARTS cells, following kubectl's rules for which container state wins. */
export function summarizePod(pod: Pod, now: Date): PodSummary {
  const spec = pod.spec;
  const status = pod.status ?? {};
  const initSpecs = new Map((spec?.initContainers ?? []).map((c) => [c.name, c]));
  let total = spec?.containers?.length ?? 0;
  for (const c of initSpecs.values()) if (isRestartableInit(c)) total++;

  let reason: string = status.reason || status.phase || '';
  if ((status.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  let ready = 0;
  let restarts = 0;
  let lastRestart = 0;
  let sidecarRestarts = 0;
  let lastSidecarRestart = 0;
  let initializing = false;

  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    restarts += cs.restartCount ?? 0;
    lastRestart = laterOf(lastRestart, cs.lastState?.terminated?.finishedAt);
    const sidecar = isRestartableInit(initSpecs.get(cs.name));
    if (sidecar) {
      sidecarRestarts += cs.restartCount ?? 0;
      lastSidecarRestart = laterOf(lastSidecarRestart, cs.lastState?.terminated?.finishedAt);
    }
    const terminated = cs.state?.terminated;
    const waiting = cs.state?.waiting;
    if (terminated && terminated.exitCode === 0) continue;
    if (sidecar && cs.started) {
      if (cs.ready) ready++;
      continue;
    }
    if (terminated) reason = terminatedReason(terminated, 'Init:');
    else if (waiting?.reason && waiting.reason !== 'PodInitializing') reason = `Init:${waiting.reason}`;
    else reason = `Init:${i}/${initSpecs.size}`;
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(pod, 'Initialized')) {
    // Only sidecar restarts count once the pod is past its init phase.
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    // Walk backwards so the first container's state wins, as kubectl does.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      restarts += cs.restartCount ?? 0;
      lastRestart = laterOf(lastRestart, cs.lastState?.terminated?.finishedAt);
      const st = cs.state;
      if (st?.waiting?.reason) reason = st.waiting.reason;
      else if (st?.terminated) reason = terminatedReason(st.terminated, '');
      else if (cs.ready && st?.running) {
        hasRunning = true;
        ready++;
      }
    }
    // A container that completed beside one still running: the pod as a whole is not done.
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(pod, 'Ready') ? 'Running' : 'NotReady';
  }

  const terminal = status.phase === 'Succeeded' || status.phase === 'Failed';
  if (pod.metadata?.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata?.deletionTimestamp && !terminal) reason = 'Terminating';

  const restartText = restarts !== 0 && lastRestart !== 0 ? `${restarts} (${humanDuration(now.getTime() - lastRestart)} ago)` : String(restarts);
  return { ready: `${ready}/${total}`, status: reason, restarts: restartText };
}

function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conditions = pod.status?.conditions ?? [];
  const passing = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${passing}/${gates.length}`;
}

function completedConditions(pod: Pod): TableRowCondition[] | undefined {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded') return [{ type: 'Completed', status: 'True', reason: phase, message: 'The pod has completed successfully.' }];
  if (phase === 'Failed') return [{ type: 'Completed', status: 'True', reason: phase, message: 'The pod failed.' }];
  return undefined;
}

export const podPrinter = printer<Pod>(
  [
    nameColumn,
    column('Ready', 'Ready containers out of all containers of the pod.'),
    column('Status', 'A one-word summary of the state of the pod\'s containers.'),
    column('Restarts', 'How often the pod\'s containers restarted, and how long ago the last restart was.'),
    ageColumn,
    column('IP', 'The pod\'s IP address.', { wide: true }),
    column('Node', 'The node the pod is bound to.', { wide: true }),
    column('Nominated Node', 'The node the scheduler nominated after preemption.', { wide: true }),
    column('Readiness Gates', 'Readiness gates that pass out of all of the pod\'s gates.', { wide: true }),
  ],
  (pod, now): PrintedRow => {
    const s = summarizePod(pod, now);
    const ip = pod.status?.podIPs?.[0]?.ip || pod.status?.podIP;
    const cells = [
      pod.metadata?.name ?? '',
      s.ready,
      s.status,
      s.restarts,
      age(pod.metadata?.creationTimestamp, now),
      orNone(ip),
      orNone(pod.spec?.nodeName),
      orNone(pod.status?.nominatedNodeName),
      readinessGates(pod),
    ];
    const conditions = completedConditions(pod);
    return conditions ? { cells, conditions } : { cells };
  },
);
