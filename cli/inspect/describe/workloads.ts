// Deployments (with their ReplicaSets and rollout strategy), ReplicaSets, DaemonSets and Jobs
// as kubectl describe prints them.

import type { DaemonSet, Deployment, Event, Job, Pod, ReplicaSet } from '../../../api/types.js';
import { humanDuration, rfc1123z } from '../duration.js';
import { writePodTemplate } from './containers.js';
import { writeEvents } from './events.js';
import { controllerOf, DescribeWriter, formatLabelMap, formatSelector, writeAnnotations, writeLabels } from './writer.js';

/** Pods a controller owns, counted by phase: `Pods Status:` of ReplicaSets and DaemonSets. */
export interface PodPhaseCounts {
  running: number;
  waiting: number;
  succeeded: number;
  failed: number;
}

export function countPodPhases(pods: Pod[], ownerUid: string | undefined): PodPhaseCounts {
  const counts: PodPhaseCounts = { running: 0, waiting: 0, succeeded: 0, failed: 0 };
  for (const pod of pods) {
    const ref = pod.metadata?.ownerReferences?.find((r) => r.controller);
    if (!ref || ref.uid !== ownerUid) continue;
    if (pod.status?.phase === 'Running') counts.running++;
    else if (pod.status?.phase === 'Pending') counts.waiting++;
    else if (pod.status?.phase === 'Succeeded') counts.succeeded++;
    else if (pod.status?.phase === 'Failed') counts.failed++;
  }
  return counts;
}

const phases = (c: PodPhaseCounts) => `${c.running} Running / ${c.waiting} Waiting / ${c.succeeded} Succeeded / ${c.failed} Failed`;

function writeConditions(w: DescribeWriter, conditions: { type: string; status: string; reason?: string }[] | undefined): void {
  if (!conditions?.length) return;
  w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
  w.write(1, '----\t------\t------\n');
  for (const c of conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
}

const REVISION = 'deployment.kubernetes.io/revision';

/**
 * The Deployment's ReplicaSets split as kubectl shows them: the new one (its revision, or
 * failing that the newest) and every older one.
 */
export function splitReplicaSets(d: Deployment, owned: ReplicaSet[]): { newRS: ReplicaSet[]; oldRSs: ReplicaSet[] } {
  const revision = d.metadata?.annotations?.[REVISION];
  const byRevision = (rs: ReplicaSet) => Number(rs.metadata?.annotations?.[REVISION] ?? 0);
  let current = revision ? owned.find((rs) => rs.metadata?.annotations?.[REVISION] === revision) : undefined;
  current ??= [...owned].sort((a, b) => byRevision(b) - byRevision(a))[0];
  return { newRS: current ? [current] : [], oldRSs: owned.filter((rs) => rs !== current) };
}

const rsList = (list: ReplicaSet[]) => list.map((rs) => `${rs.metadata?.name ?? ''} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 1} replicas created)`).join(', ') || '<none>';

export function describeDeployment(d: Deployment, replicaSets: ReplicaSet[], events: Event[] | undefined, now: Date): string {
  const w = new DescribeWriter();
  const s = d.status ?? {};
  w.write(0, `Name:\t${d.metadata?.name ?? ''}\n`);
  w.write(0, `Namespace:\t${d.metadata?.namespace ?? ''}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(d.metadata?.creationTimestamp)}\n`);
  writeLabels(w, 'Labels', d.metadata?.labels);
  writeAnnotations(w, 'Annotations', d.metadata?.annotations);
  w.write(0, `Selector:\t${formatSelector(d.spec?.selector)}\n`);
  w.write(0, `Replicas:\t${d.spec?.replicas ?? 1} desired | ${s.updatedReplicas ?? 0} updated | ${s.replicas ?? 0} total | ${s.availableReplicas ?? 0} available | ${s.unavailableReplicas ?? 0} unavailable\n`);
  w.write(0, `StrategyType:\t${d.spec?.strategy?.type ?? 'RollingUpdate'}\n`);
  w.write(0, `MinReadySeconds:\t${d.spec?.minReadySeconds ?? 0}\n`);
  const ru = d.spec?.strategy?.rollingUpdate;
  if (ru) w.write(0, `RollingUpdateStrategy:\t${String(ru.maxUnavailable ?? '25%')} max unavailable, ${String(ru.maxSurge ?? '25%')} max surge\n`);
  writePodTemplate(w, d.spec?.template);
  writeConditions(w, s.conditions);
  if (replicaSets.length) {
    const { newRS, oldRSs } = splitReplicaSets(d, replicaSets);
    w.write(0, `OldReplicaSets:\t${rsList(oldRSs)}\n`);
    w.write(0, `NewReplicaSet:\t${rsList(newRS)}\n`);
  }
  writeEvents(w, events, now);
  return w.toString();
}

export function describeReplicaSet(rs: ReplicaSet, pods: Pod[], events: Event[] | undefined, now: Date): string {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${rs.metadata?.name ?? ''}\n`);
  w.write(0, `Namespace:\t${rs.metadata?.namespace ?? ''}\n`);
  w.write(0, `Selector:\t${formatSelector(rs.spec?.selector)}\n`);
  writeLabels(w, 'Labels', rs.metadata?.labels);
  writeAnnotations(w, 'Annotations', rs.metadata?.annotations);
  const controller = controllerOf(rs.metadata);
  if (controller) w.write(0, `Controlled By:\t${controller}\n`);
  w.write(0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec?.replicas ?? 1} desired\n`);
  w.write(0, `Pods Status:\t${phases(countPodPhases(pods, rs.metadata?.uid))}\n`);
  writePodTemplate(w, rs.spec?.template);
  writeConditions(w, rs.status?.conditions);
  writeEvents(w, events, now);
  return w.toString();
}

export function describeDaemonSet(ds: DaemonSet, pods: Pod[], events: Event[] | undefined, now: Date): string {
  const w = new DescribeWriter();
  const s = ds.status;
  // kubectl 1.32 prints no Namespace line for a DaemonSet.
  w.write(0, `Name:\t${ds.metadata?.name ?? ''}\n`);
  w.write(0, `Selector:\t${formatSelector(ds.spec?.selector)}\n`);
  w.write(0, `Node-Selector:\t${formatLabelMap(ds.spec?.template.spec?.nodeSelector)}\n`);
  writeLabels(w, 'Labels', ds.metadata?.labels);
  writeAnnotations(w, 'Annotations', ds.metadata?.annotations);
  w.write(0, `Desired Number of Nodes Scheduled: ${s?.desiredNumberScheduled ?? 0}\n`);
  w.write(0, `Current Number of Nodes Scheduled: ${s?.currentNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Up-to-date Pods: ${s?.updatedNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Available Pods: ${s?.numberAvailable ?? 0}\n`);
  w.write(0, `Number of Nodes Misscheduled: ${s?.numberMisscheduled ?? 0}\n`);
  w.write(0, `Pods Status:\t${phases(countPodPhases(pods, ds.metadata?.uid))}\n`);
  writePodTemplate(w, ds.spec?.template);
  writeEvents(w, events, now);
  return w.toString();
}

export function describeJob(job: Job, events: Event[] | undefined, now: Date): string {
  const w = new DescribeWriter();
  const spec = job.spec;
  const s = job.status ?? {};
  w.write(0, `Name:\t${job.metadata?.name ?? ''}\n`);
  w.write(0, `Namespace:\t${job.metadata?.namespace ?? ''}\n`);
  w.write(0, `Selector:\t${formatSelector(spec?.selector)}\n`);
  writeLabels(w, 'Labels', job.metadata?.labels);
  writeAnnotations(w, 'Annotations', job.metadata?.annotations);
  const controller = controllerOf(job.metadata);
  if (controller) w.write(0, `Controlled By:\t${controller}\n`);
  if (spec?.parallelism !== undefined) w.write(0, `Parallelism:\t${spec.parallelism}\n`);
  w.write(0, `Completions:\t${spec?.completions ?? '<unset>'}\n`);
  if (spec?.completionMode) w.write(0, `Completion Mode:\t${spec.completionMode}\n`);
  if (spec?.suspend !== undefined) w.write(0, `Suspend:\t${spec.suspend}\n`);
  if (spec?.backoffLimit !== undefined) w.write(0, `Backoff Limit:\t${spec.backoffLimit}\n`);
  if (spec?.ttlSecondsAfterFinished !== undefined) w.write(0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`);
  if (s.startTime) w.write(0, `Start Time:\t${rfc1123z(s.startTime)}\n`);
  if (s.completionTime) w.write(0, `Completed At:\t${rfc1123z(s.completionTime)}\n`);
  if (s.startTime && s.completionTime) w.write(0, `Duration:\t${humanDuration(new Date(s.completionTime).getTime() - new Date(s.startTime).getTime())}\n`);
  if (spec?.activeDeadlineSeconds !== undefined) w.write(0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
  const ready = s.ready === undefined ? '' : ` (${s.ready} Ready)`;
  w.write(0, `Pods Statuses:\t${s.active ?? 0} Active${ready} / ${s.succeeded ?? 0} Succeeded / ${s.failed ?? 0} Failed\n`);
  writePodTemplate(w, spec?.template);
  writeEvents(w, events, now);
  return w.toString();
}
