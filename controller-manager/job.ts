// The Job controller: runs pods from the template until `completions` of them succeed (or, with
// no completions, until one succeeds and the rest finish), at most `parallelism` at a time.
// Failed pods count against `backoffLimit`; each recreation after a failure waits 10 s doubling
// (capped at 6 minutes; the base is a flag). `activeDeadlineSeconds` fails the Job and kills
// its active pods. Finished pods are kept. Creates and deletes are guarded by expectations.

import type { Job, JobCondition, JobStatus, Pod } from './types.js';
import type { Informer, ResourceClient } from '../client/interfaces.js';
import { isConflict, isNotFound } from '../client/errors.js';
import { Controller, keyOf, splitKey, errorMessage, type ControllerContext, type ReconcileResult } from './controller.js';
import { ControllerExpectations } from './expectations.js';
import { claimObjects, controllerRefOf, newControllerRef } from './ownership.js';
import { isPodReady, podsToDelete } from './pods.js';
import { selectorMatches } from './selector.js';
import { slowStartBatch } from './slowstart.js';

export const MAX_JOB_BACKOFF_MS = 6 * 60 * 1000;

export interface JobControllerOptions {
  /** First delay before recreating after a failure; doubles per failure. Default 10 s. */
  backoffBaseMs?: number;
}

const isFinished = (job: Job): boolean => (job.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
const stamp = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class JobController extends Controller {
  private readonly jobs: Informer<Job>;
  private readonly pods: Informer<Pod>;
  private readonly jobClient: ResourceClient<Job>;
  private readonly podClient: ResourceClient<Pod>;
  readonly expectations: ControllerExpectations;
  /** When the newest failure of each job was seen, and how many failures that was (in memory). */
  private readonly lastFailure = new Map<string, { count: number; at: number }>();
  private readonly backoffBaseMs: number;

  constructor(ctx: ControllerContext, opts: JobControllerOptions = {}) {
    super('job', ctx);
    this.backoffBaseMs = opts.backoffBaseMs ?? 10_000;
    this.expectations = new ControllerExpectations(ctx.now);
    this.jobClient = ctx.client.for<Job>('jobs');
    this.podClient = ctx.client.for<Pod>('pods');
    this.jobs = this.uses(ctx.informers.informerFor<Job>('jobs'));
    this.pods = this.uses(ctx.informers.informerFor<Pod>('pods'));
    this.jobs.addEventHandler({
      onAdd: (j) => this.enqueue(j),
      onUpdate: (_o, j) => this.enqueue(j),
      onDelete: (j) => {
        this.expectations.forget(keyOf(j));
        this.lastFailure.delete(keyOf(j));
      },
    });
    this.pods.addEventHandler({
      onAdd: (p) => {
        const job = this.ownerOf(p);
        if (!job) return;
        this.expectations.creationObserved(keyOf(job));
        this.enqueue(job);
      },
      onUpdate: (old, p) => {
        if (old.metadata?.resourceVersion === p.metadata?.resourceVersion) return;
        const job = this.ownerOf(p);
        if (!job) return;
        if (p.metadata?.deletionTimestamp && !old.metadata?.deletionTimestamp) this.expectations.deletionObserved(keyOf(job));
        this.enqueue(job);
      },
      onDelete: (p) => {
        const job = this.ownerOf(p);
        if (!job) return;
        if (!p.metadata?.deletionTimestamp) this.expectations.deletionObserved(keyOf(job));
        this.enqueue(job);
      },
    });
  }

  private ownerOf(pod: Pod): Job | undefined {
    const ref = controllerRefOf(pod);
    if (ref?.kind !== 'Job') return undefined;
    const job = this.jobs.lister.get(`${pod.metadata?.namespace}/${ref.name}`);
    return job?.metadata?.uid === ref.uid ? job : undefined;
  }

  async reconcile(key: string): Promise<ReconcileResult> {
    const job = this.jobs.lister.get(key);
    if (!job || isFinished(job) || job.metadata?.deletionTimestamp) return;
    const { namespace } = splitKey(key);
    const now = this.ctx.now();
    const selector = job.spec?.selector ?? { matchLabels: { 'batch.kubernetes.io/controller-uid': job.metadata?.uid ?? '' } };
    const pods = await claimObjects(this.pods.lister.byIndex('namespace', namespace ?? ''), {
      owner: job,
      ownerRef: newControllerRef(job, 'batch/v1', 'Job'),
      matches: (p) => selectorMatches(selector, p.metadata?.labels),
      client: this.podClient,
    });
    const active = pods.filter((p) => !p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
    // Counts never go down: a finished pod someone deleted still counted.
    const succeeded = Math.max(job.status?.succeeded ?? 0, pods.filter((p) => p.status?.phase === 'Succeeded').length);
    const failed = Math.max(job.status?.failed ?? 0, pods.filter((p) => p.status?.phase === 'Failed').length);
    const startTime = job.status?.startTime ?? stamp(now);
    const status: JobStatus = { ...job.status, startTime, active: active.length, succeeded, failed, ready: active.filter(isPodReady).length };
    if (status.active === 0) delete status.active;

    const deadline = job.spec?.activeDeadlineSeconds;
    const backoffLimit = job.spec?.backoffLimit ?? 6;
    let finish: JobCondition | undefined;
    if (deadline !== undefined && Date.parse(startTime) + deadline * 1000 <= now) {
      finish = { type: 'Failed', status: 'True', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
    } else if (failed > backoffLimit) {
      finish = { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
    }
    let requeueAfterMs: number | undefined;
    if (finish) {
      await this.deletePods(key, job, active);
      status.active = undefined;
      status.ready = 0;
      this.ctx.recorder.event(job, 'Warning', finish.reason!, finish.message!);
    } else {
      const completions = job.spec?.completions;
      const complete = completions !== undefined && completions !== null ? succeeded >= completions : succeeded > 0 && active.length === 0;
      if (complete) {
        finish = { type: 'Complete', status: 'True' };
        status.completionTime = stamp(now);
        this.ctx.recorder.event(job, 'Normal', 'Completed', 'Job completed');
      } else if (this.expectations.satisfied(key)) {
        const managed = await this.manage(key, job, active, succeeded, failed, now);
        requeueAfterMs = managed.waitMs;
        // What was just created or deleted counts as active or not at once, as upstream reports.
        status.active = active.length + managed.delta || undefined;
      }
    }
    if (finish) status.conditions = [...(job.status?.conditions ?? []).filter((c) => c.type !== finish.type), { ...finish, lastProbeTime: stamp(now), lastTransitionTime: stamp(now) }];
    await this.writeStatus(job, status);
    if (!finish && deadline !== undefined) {
      const left = Date.parse(startTime) + deadline * 1000 - now;
      requeueAfterMs = requeueAfterMs === undefined ? left : Math.min(requeueAfterMs, left);
    }
    if (requeueAfterMs !== undefined) return { requeueAfterMs: Math.max(0, requeueAfterMs) + 10 };
  }

  /** Creates or deletes pods towards the wanted number of active ones; returns the change and any backoff wait. */
  private async manage(key: string, job: Job, active: Pod[], succeeded: number, failed: number, now: number): Promise<{ delta: number; waitMs?: number }> {
    const parallelism = job.spec?.parallelism ?? 1;
    const completions = job.spec?.completions;
    let want = completions !== undefined && completions !== null ? Math.min(parallelism, completions - succeeded) : succeeded > 0 ? 0 : parallelism;
    want = Math.max(0, want);
    if (active.length > want) {
      await this.deletePods(key, job, podsToDelete(active, active.length - want));
      return { delta: want - active.length };
    }
    if (active.length === want) return { delta: 0 };
    // Failures since the last look restart the backoff clock.
    const seen = this.lastFailure.get(key);
    if (failed > 0 && (!seen || seen.count < failed)) this.lastFailure.set(key, { count: failed, at: now });
    const last = this.lastFailure.get(key);
    if (last && failed > 0) {
      const delay = Math.min(this.backoffBaseMs * 2 ** (failed - 1), MAX_JOB_BACKOFF_MS);
      if (now < last.at + delay) return { delta: 0, waitMs: last.at + delay - now };
    }
    const toCreate = want - active.length;
    this.expectations.expect(key, toCreate, 0);
    const { attempted, succeeded: created, error } = await slowStartBatch(toCreate, 1, async () => {
      try {
        await this.podClient.create(job.metadata?.namespace, podForJob(job));
      } catch (err) {
        this.expectations.creationSkipped(key);
        this.ctx.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(err)}`);
        throw err;
      }
    });
    for (let i = attempted; i < toCreate; i++) this.expectations.creationSkipped(key);
    if (error !== undefined) throw error;
    this.ctx.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created ${created} pod(s)`);
    return { delta: created };
  }

  private async deletePods(key: string, job: Job, pods: Pod[]): Promise<void> {
    if (pods.length === 0) return;
    this.expectations.expect(key, 0, pods.length);
    await Promise.all(
      pods.map(async (p) => {
        try {
          await this.podClient.delete(p.metadata?.namespace, p.metadata!.name!, { preconditions: { uid: p.metadata?.uid } });
          this.ctx.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata?.name}`);
        } catch (err) {
          this.expectations.deletionSkipped(key);
          if (!isNotFound(err) && !isConflict(err)) throw err;
        }
      }),
    );
  }

  private async writeStatus(job: Job, status: JobStatus): Promise<void> {
    if (JSON.stringify(job.status ?? {}) === JSON.stringify(status)) return;
    try {
      await this.jobClient.updateStatus({ ...job, status });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

/** A pod of the job: its template, labelled with the job's name and uid, owned by it. */
export function podForJob(job: Job): Pod {
  const t = job.spec?.template ?? {};
  const name = job.metadata?.name ?? '';
  const uid = job.metadata?.uid ?? '';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${name}-`,
      namespace: job.metadata?.namespace,
      labels: { ...(t.metadata?.labels ?? {}), 'job-name': name, 'controller-uid': uid, 'batch.kubernetes.io/job-name': name, 'batch.kubernetes.io/controller-uid': uid },
      ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
      ownerReferences: [newControllerRef(job, 'batch/v1', 'Job')],
    },
    spec: structuredClone(t.spec ?? { containers: [] }),
  };
}
