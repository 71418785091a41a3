// Defaults of the workload kinds (apps/v1 Deployment, ReplicaSet, DaemonSet; batch/v1 Job),
// each also defaulting its pod template.

import type { DaemonSet, Deployment, Job, ReplicaSet } from '../types.js';
import { defaultPodTemplate } from './pod.js';

export function defaultDeployment(d: Deployment): void {
  const spec = (d.spec ??= { selector: {}, template: {} });
  spec.replicas ??= 1;
  const strategy = (spec.strategy ??= {});
  strategy.type ??= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    ru.maxUnavailable ??= '25%';
    ru.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultPodTemplate(spec.template);
}

export function defaultReplicaSet(rs: ReplicaSet): void {
  const spec = (rs.spec ??= { selector: {} });
  spec.replicas ??= 1;
  defaultPodTemplate(spec.template);
}

export function defaultDaemonSet(ds: DaemonSet): void {
  const spec = (ds.spec ??= { selector: {}, template: {} });
  const strategy = (spec.updateStrategy ??= {});
  strategy.type ??= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    ru.maxUnavailable ??= 1;
    ru.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplate(spec.template);
}

/** The labels a generated Job selector uses; the legacy pair is still stamped for old clients. */
export const JOB_CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';

export function defaultJob(job: Job): void {
  const spec = (job.spec ??= { template: {} });
  // Both unset means one pod run once; parallelism alone leaves completions unset (work queue).
  if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  // A Job without labels takes its template's, before the generated selector labels are added.
  const meta = (job.metadata ??= {});
  if (!meta.labels || Object.keys(meta.labels).length === 0) {
    const templateLabels = spec.template?.metadata?.labels;
    if (templateLabels && Object.keys(templateLabels).length > 0) meta.labels = { ...templateLabels };
  }
  generateJobSelector(job);
  defaultPodTemplate(spec.template);
}

/**
 * Unless the user asks for a manual selector, a Job selects its pods by its own uid, and its
 * template carries that uid and the job name (upstream's job strategy does this on create;
 * the uid is set before defaulting, and the result is the same on every later write).
 */
function generateJobSelector(job: Job): void {
  const spec = job.spec!;
  const uid = job.metadata?.uid;
  if (spec.manualSelector === true || spec.selector || !uid) return;
  spec.selector = { matchLabels: { [JOB_CONTROLLER_UID_LABEL]: uid } };
  const template = (spec.template ??= {});
  const tmeta = (template.metadata ??= {});
  tmeta.labels = {
    ...tmeta.labels,
    [JOB_CONTROLLER_UID_LABEL]: uid,
    [JOB_NAME_LABEL]: job.metadata?.name ?? '',
    'controller-uid': uid,
    'job-name': job.metadata?.name ?? '',
  };
}
