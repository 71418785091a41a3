// Deployment, ReplicaSet, DaemonSet and Job: a selector that selects the pod template, a
// valid template with the restart policy the controller needs, counts and strategies; on
// update, the selector (and a Job's completion mode and, once started, its template) fixed.

import { JOB_CONTROLLER_UID_LABEL } from '../defaults/workloads.js';
import type { DaemonSet, Deployment, Job, PodTemplateSpec, ReplicaSet } from '../types.js';
import { immutable, intOrPercent, isZeroIntOrPercent, labels, nonNegative, oneOf, positive, workloadSelector } from './common.js';
import { type FieldError, Path, fieldErrors } from './field.js';
import { validatePodSpec } from './pod.js';

function template(t: PodTemplateSpec | undefined, path: Path, restartPolicies: string[]): FieldError[] {
  if (!t) return [fieldErrors.required(path)];
  const errs = labels(t.metadata?.labels, path.child('metadata', 'labels'));
  errs.push(...validatePodSpec(t.spec, path.child('spec'), false));
  const policy = t.spec?.restartPolicy;
  if (policy && !restartPolicies.includes(policy)) errs.push(fieldErrors.notSupported(path.child('spec', 'restartPolicy'), policy, restartPolicies));
  if (t.spec?.activeDeadlineSeconds !== undefined && restartPolicies.includes('Always')) {
    errs.push(fieldErrors.forbidden(path.child('spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  return errs;
}

/** maxSurge and maxUnavailable: each an int or percent, not both zero. */
function rollingParameters(ru: { maxSurge?: number | string; maxUnavailable?: number | string } | undefined, path: Path): FieldError[] {
  if (!ru) return [];
  const errs = intOrPercent(ru.maxSurge, path.child('maxSurge'));
  errs.push(...intOrPercent(ru.maxUnavailable, path.child('maxUnavailable'), 100));
  if (errs.length === 0 && isZeroIntOrPercent(ru.maxSurge ?? 0) && isZeroIntOrPercent(ru.maxUnavailable ?? 0)) {
    errs.push(fieldErrors.invalid(path.child('maxUnavailable'), ru.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
  }
  return errs;
}

export function validateDeployment(d: Deployment): FieldError[] {
  const path = Path.root('spec');
  const spec = d.spec;
  if (!spec) return [fieldErrors.required(path)];
  const errs = nonNegative(spec.replicas, path.child('replicas'));
  errs.push(...workloadSelector(spec.selector, spec.template?.metadata?.labels, path, 'deployment'));
  errs.push(...template(spec.template, path.child('template'), ['Always']));
  const strategy = spec.strategy;
  if (strategy) {
    const sp = path.child('strategy');
    errs.push(...oneOf(strategy.type, sp.child('type'), ['Recreate', 'RollingUpdate'], true));
    if (strategy.type === 'Recreate' && strategy.rollingUpdate) {
      errs.push(fieldErrors.forbidden(sp.child('rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'"));
    }
    if (strategy.type === 'RollingUpdate') errs.push(...rollingParameters(strategy.rollingUpdate, sp.child('rollingUpdate')));
  }
  errs.push(...nonNegative(spec.revisionHistoryLimit, path.child('revisionHistoryLimit')));
  errs.push(...nonNegative(spec.minReadySeconds, path.child('minReadySeconds')));
  if (spec.progressDeadlineSeconds !== undefined) {
    errs.push(...positive(spec.progressDeadlineSeconds, path.child('progressDeadlineSeconds')));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      errs.push(fieldErrors.invalid(path.child('progressDeadlineSeconds'), spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

export function validateReplicaSet(rs: ReplicaSet): FieldError[] {
  const path = Path.root('spec');
  const spec = rs.spec;
  if (!spec) return [fieldErrors.required(path)];
  const errs = nonNegative(spec.replicas, path.child('replicas'));
  errs.push(...nonNegative(spec.minReadySeconds, path.child('minReadySeconds')));
  errs.push(...workloadSelector(spec.selector, spec.template?.metadata?.labels, path, 'replicaset'));
  errs.push(...template(spec.template, path.child('template'), ['Always']));
  return errs;
}

export function validateDaemonSet(ds: DaemonSet): FieldError[] {
  const path = Path.root('spec');
  const spec = ds.spec;
  if (!spec) return [fieldErrors.required(path)];
  const errs = workloadSelector(spec.selector, spec.template?.metadata?.labels, path, 'daemonset');
  errs.push(...template(spec.template, path.child('template'), ['Always']));
  const strategy = spec.updateStrategy;
  if (strategy) {
    const sp = path.child('updateStrategy');
    errs.push(...oneOf(strategy.type, sp.child('type'), ['RollingUpdate', 'OnDelete'], true));
    if (strategy.type === 'RollingUpdate') errs.push(...rollingParameters(strategy.rollingUpdate, sp.child('rollingUpdate')));
  }
  errs.push(...nonNegative(spec.revisionHistoryLimit, path.child('revisionHistoryLimit')));
  errs.push(...nonNegative(spec.minReadySeconds, path.child('minReadySeconds')));
  return errs;
}

export function validateJob(job: Job): FieldError[] {
  const path = Path.root('spec');
  const spec = job.spec;
  if (!spec) return [fieldErrors.required(path)];
  const errs = nonNegative(spec.parallelism, path.child('parallelism'));
  errs.push(...nonNegative(spec.completions, path.child('completions')));
  errs.push(...nonNegative(spec.backoffLimit, path.child('backoffLimit')));
  errs.push(...nonNegative(spec.ttlSecondsAfterFinished, path.child('ttlSecondsAfterFinished')));
  errs.push(...positive(spec.activeDeadlineSeconds, path.child('activeDeadlineSeconds')));
  errs.push(...oneOf(spec.completionMode, path.child('completionMode'), ['NonIndexed', 'Indexed']));
  errs.push(...oneOf(spec.podReplacementPolicy, path.child('podReplacementPolicy'), ['TerminatingOrFailed', 'Failed']));
  if (spec.completionMode === 'Indexed' && (spec.completions === undefined || spec.completions === null)) {
    errs.push(fieldErrors.required(path.child('completions'), 'when completion mode is Indexed'));
  }
  if (spec.backoffLimitPerIndex !== undefined && spec.completionMode !== 'Indexed') {
    errs.push(fieldErrors.forbidden(path.child('backoffLimitPerIndex'), 'requires indexed completion mode'));
  }
  errs.push(...workloadSelector(spec.selector, spec.template?.metadata?.labels, path, 'job'));
  if (spec.manualSelector !== true) errs.push(...generatedJobSelector(job, path));
  errs.push(...template(spec.template, path.child('template'), ['OnFailure', 'Never']));
  return errs;
}

/**
 * Without `manualSelector` the selector is the one generated from the Job's uid (current or
 * legacy label), so a Job can never adopt another Job's pods.
 */
function generatedJobSelector(job: Job, path: Path): FieldError[] {
  const uid = job.metadata?.uid;
  const sel = job.spec?.selector;
  if (!uid || !sel) return [];
  const matchLabels = sel.matchLabels ?? {};
  const keys = Object.keys(matchLabels);
  const generated =
    (sel.matchExpressions ?? []).length === 0 &&
    keys.length === 1 &&
    (keys[0] === JOB_CONTROLLER_UID_LABEL || keys[0] === 'controller-uid') &&
    matchLabels[keys[0]] === uid;
  return generated ? [] : [fieldErrors.invalid(path.child('selector'), sel, '`selector` not auto-generated')];
}

function selectorUpdate(next: { spec?: { selector?: unknown } }, prev: { spec?: { selector?: unknown } }): FieldError[] {
  return immutable(next.spec?.selector, prev.spec?.selector, Path.root('spec').child('selector'));
}

export const validateDeploymentUpdate = (d: Deployment, old: Deployment) => selectorUpdate(d, old);
export const validateReplicaSetUpdate = (rs: ReplicaSet, old: ReplicaSet) => selectorUpdate(rs, old);
export const validateDaemonSetUpdate = (ds: DaemonSet, old: DaemonSet) => selectorUpdate(ds, old);

/** A Job's template may only change while it is suspended (before its pods exist again). */
export function validateJobUpdate(job: Job, old: Job): FieldError[] {
  const path = Path.root('spec');
  const errs = selectorUpdate(job, old);
  errs.push(...immutable(job.spec?.completionMode, old.spec?.completionMode, path.child('completionMode')));
  if (old.spec?.suspend !== true) errs.push(...immutable(job.spec?.template, old.spec?.template, path.child('template')));
  return errs;
}
