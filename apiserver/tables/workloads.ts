// Rows for the workload kinds: Deployment, ReplicaSet, DaemonSet, ControllerRevision, Job.

import { parseApiVersion } from '../../api/resources.js';
import type { Container, ControllerRevision, DaemonSet, Deployment, Job, ReplicaSet } from '../../api/types.js';
import { age, formatLabels, formatLabelSelector, humanDuration } from './humanize.js';
import { ageColumn, column, nameColumn, printer, type Cell } from './printer.js';

const containersColumn = column('Containers', 'The names of the containers in the pod template.', { wide: true });
const imagesColumn = column('Images', 'The images the pod template\'s containers run.', { wide: true });
const selectorColumn = column('Selector', 'The label selector of the pods this object manages.', { wide: true });

/** The CONTAINERS and IMAGES cells of a pod template. */
function templateCells(containers: Container[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name).join(','), list.map((c) => c.image ?? '').join(',')];
}

export const deploymentPrinter = printer<Deployment>(
  [
    nameColumn,
    column('Ready', 'Ready pods out of the desired number.'),
    column('Up-to-date', 'Pods that run the current pod template.'),
    column('Available', 'Pods that have been ready for at least minReadySeconds.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  (d, now) => [
    d.metadata?.name ?? '',
    `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`,
    d.status?.updatedReplicas ?? 0,
    d.status?.availableReplicas ?? 0,
    age(d.metadata?.creationTimestamp, now),
    ...templateCells(d.spec?.template?.spec?.containers),
    formatLabelSelector(d.spec?.selector),
  ],
);

export const replicaSetPrinter = printer<ReplicaSet>(
  [
    nameColumn,
    column('Desired', 'The number of pods wanted.', { type: 'integer' }),
    column('Current', 'The number of pods that exist.', { type: 'integer' }),
    column('Ready', 'The number of ready pods.', { type: 'integer' }),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  (rs, now) => [
    rs.metadata?.name ?? '',
    rs.spec?.replicas ?? 0,
    rs.status?.replicas ?? 0,
    rs.status?.readyReplicas ?? 0,
    age(rs.metadata?.creationTimestamp, now),
    ...templateCells(rs.spec?.template?.spec?.containers),
    formatLabelSelector(rs.spec?.selector),
  ],
);

export const daemonSetPrinter = printer<DaemonSet>(
  [
    nameColumn,
    column('Desired', 'The number of nodes that should run the daemon pod.', { type: 'integer' }),
    column('Current', 'The number of nodes that run the daemon pod.', { type: 'integer' }),
    column('Ready', 'The number of nodes whose daemon pod is ready.', { type: 'integer' }),
    column('Up-to-date', 'The number of nodes that run the current pod template.', { type: 'integer' }),
    column('Available', 'The number of nodes whose daemon pod is available.', { type: 'integer' }),
    column('Node Selector', 'The node labels the daemon pods are restricted to.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  (ds, now) => [
    ds.metadata?.name ?? '',
    ds.status?.desiredNumberScheduled ?? 0,
    ds.status?.currentNumberScheduled ?? 0,
    ds.status?.numberReady ?? 0,
    ds.status?.updatedNumberScheduled ?? 0,
    ds.status?.numberAvailable ?? 0,
    formatLabels(ds.spec?.template?.spec?.nodeSelector),
    age(ds.metadata?.creationTimestamp, now),
    ...templateCells(ds.spec?.template?.spec?.containers),
    formatLabelSelector(ds.spec?.selector),
  ],
);

/** `daemonset.apps/web` from the controller owner reference, `<none>` without one. */
export function controllerOf(rev: ControllerRevision): string {
  const ref = (rev.metadata?.ownerReferences ?? []).find((r) => r.controller);
  if (!ref) return '<none>';
  const { group } = parseApiVersion(ref.apiVersion);
  const kind = group ? `${ref.kind}.${group}` : ref.kind;
  return `${kind.toLowerCase()}/${ref.name}`;
}

export const controllerRevisionPrinter = printer<ControllerRevision>(
  [nameColumn, column('Controller', 'The object that owns this revision.'), column('Revision', 'The revision number.'), ageColumn],
  (rev, now) => [rev.metadata?.name ?? '', controllerOf(rev), rev.revision ?? 0, age(rev.metadata?.creationTimestamp, now)],
);

function hasJobCondition(job: Job, type: string): boolean {
  return (job.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

/** Complete / Failed / Terminating / Suspended / FailureTarget / SuccessCriteriaMet / Running, in that precedence. */
export function jobStatus(job: Job): string {
  if (hasJobCondition(job, 'Complete')) return 'Complete';
  if (hasJobCondition(job, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (hasJobCondition(job, 'Suspended')) return 'Suspended';
  if (hasJobCondition(job, 'FailureTarget')) return 'FailureTarget';
  if (hasJobCondition(job, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

/** `2/3`, or for a work-queue job (no completions, parallelism > 1) `0/1 of 4`. */
export function jobCompletions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  const completions = job.spec?.completions;
  const parallelism = job.spec?.parallelism;
  if (completions !== undefined && completions !== null) return `${succeeded}/${completions}`;
  if (parallelism !== undefined && parallelism !== null && parallelism > 1) return `${succeeded}/1 of ${parallelism}`;
  return `${succeeded}/1`;
}

/** Start to completion, or start to now while running; '' before the job started. */
export function jobDuration(job: Job, now: Date): string {
  const start = job.status?.startTime ? Date.parse(job.status.startTime) : NaN;
  if (Number.isNaN(start)) return '';
  const end = job.status?.completionTime ? Date.parse(job.status.completionTime) : now.getTime();
  return humanDuration(end - start);
}

export const jobPrinter = printer<Job>(
  [
    nameColumn,
    column('Status', 'The state of the job.'),
    column('Completions', 'Succeeded pods out of the completions wanted.'),
    column('Duration', 'How long the job ran (or has been running).'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  (job, now): Cell[] => [
    job.metadata?.name ?? '',
    jobStatus(job),
    jobCompletions(job),
    jobDuration(job, now),
    age(job.metadata?.creationTimestamp, now),
    ...templateCells(job.spec?.template?.spec?.containers),
    formatLabelSelector(job.spec?.selector),
  ],
);
