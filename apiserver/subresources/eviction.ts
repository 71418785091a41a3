// `pods/{name}/eviction`: a delete that respects PodDisruptionBudgets. POST a policy/v1
// Eviction; when a budget selecting the pod allows no more disruptions the answer is 429 and
// the pod stays; otherwise the budget's `disruptionsAllowed` is decremented (with its
// resourceVersion, so two evictions never spend the same disruption) and the pod is deleted
// with the eviction's DeleteOptions. Pods that are not running yet, already finished, or
// already being deleted skip the budget, as upstream.

import type { Request, Response } from 'express';
import { labelSelectorMatches } from '../../api/labels.js';
import { setCondition } from '../../api/meta.js';
import { type Eviction, type KubeObject, type Pod, type PodDisruptionBudget } from '../../api/types.js';
import type { RequestContext, SubresourceHandler } from '../context.js';
import { deleteObject } from '../deletion.js';
import { ApiError, errors } from '../errors.js';
import { nowTimestamp } from '../object-meta.js';
import type { DeleteOptions } from '../seams.js';
import { readObject } from './body.js';
import { sendSuccess } from './respond.js';

const MAX_ATTEMPTS = 8;
/** Upstream refuses once this many evictions wait for the disruption controller to confirm them. */
const MAX_DISRUPTED_PODS = 2000;
export const VIOLATION_MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget.";

/** Not running yet, finished, or already going: deleting it disrupts nothing. */
export function canIgnoreBudget(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata?.deletionTimestamp;
}

function podReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** 429 with the budget's reason as a `DisruptionBudget` cause, which kubectl drain prints. */
function tooManyRequests(why: string): ApiError {
  return new ApiError(429, 'TooManyRequests', VIOLATION_MESSAGE, { causes: [{ reason: 'DisruptionBudget', message: why }] });
}

export type BudgetDecision = { spend: false } | { spend: true; pdb: PodDisruptionBudget };

/**
 * Whether evicting `pod` under `pdb` is allowed, and the budget after spending one disruption
 * when it must be spent; throws 429/403 as upstream does. Pure; `now` stamps `disruptedPods`.
 */
export function decideBudget(pdb: PodDisruptionBudget, pod: Pod, now: Date): BudgetDecision {
  const name = pdb.metadata?.name ?? '';
  const status = pdb.status;
  // An unready pod does not count as healthy: evicting it costs nothing when the budget allows so.
  if (!podReady(pod)) {
    if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow') return { spend: false };
    if (status && status.desiredHealthy > 0 && status.currentHealthy >= status.desiredHealthy) return { spend: false };
  }
  if ((status?.observedGeneration ?? 0) < (pdb.metadata?.generation ?? 0)) {
    throw tooManyRequests(`The disruption budget ${name} is still being processed by the server.`);
  }
  const allowed = status?.disruptionsAllowed ?? 0;
  if (allowed < 0) throw errors.forbidden(`poddisruptionbudgets.policy "${name}" is forbidden: pdb disruptions allowed is negative`);
  if (Object.keys(status?.disruptedPods ?? {}).length > MAX_DISRUPTED_PODS) {
    throw errors.forbidden(`poddisruptionbudgets.policy "${name}" is forbidden: DisruptedPods map too big - too many evictions not confirmed by PDB controller`);
  }
  if (allowed === 0) {
    throw tooManyRequests(`The disruption budget ${name} needs ${status?.desiredHealthy ?? 0} healthy pods and has ${status?.currentHealthy ?? 0} currently`);
  }
  const next = structuredClone(pdb);
  const podName = pod.metadata?.name ?? '';
  // disruptedPods tells the disruption controller a pod is about to go, so it is not counted healthy meanwhile.
  next.status = { ...next.status!, disruptionsAllowed: allowed - 1, disruptedPods: { ...(next.status?.disruptedPods ?? {}), [podName]: nowTimestamp(now) } };
  return { spend: true, pdb: next };
}

function selects(pdb: PodDisruptionBudget, pod: Pod): boolean {
  try {
    return labelSelectorMatches(pdb.spec?.selector, pod.metadata?.labels);
  } catch {
    // A budget with an unreadable selector protects nothing, as upstream skips it.
    return false;
  }
}

/**
 * Marks the pod `DisruptionTarget=True` before it is deleted, so its controller and its
 * kubelet can tell an eviction from a crash. Returns the delete options with a caller's
 * resourceVersion precondition moved to the revision this write made.
 */
async function markDisruptionTarget(ctx: RequestContext, opts: DeleteOptions): Promise<DeleteOptions> {
  const stored = await ctx.store.guaranteedUpdate(ctx.type, ctx.namespace, ctx.name!, (current) => {
    const pod = current as Pod;
    const name = pod.metadata?.name ?? '';
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== pod.metadata?.uid) {
      throw errors.conflict('pods', '', name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${pod.metadata?.uid ?? ''}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== pod.metadata?.resourceVersion) {
      throw errors.conflict('pods', '', name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${pod.metadata?.resourceVersion ?? ''}`);
    }
    const conditions = setCondition(pod.status?.conditions, { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' });
    return { ...pod, status: { ...pod.status, conditions } } as KubeObject;
  });
  if (!opts.preconditions?.resourceVersion) return opts;
  return { ...opts, preconditions: { ...opts.preconditions, resourceVersion: stored.metadata?.resourceVersion } };
}

function deleteOptionsOf(eviction: Eviction): DeleteOptions {
  const d = eviction.deleteOptions ?? {};
  const opts: DeleteOptions = {};
  if (d.gracePeriodSeconds !== undefined && d.gracePeriodSeconds !== null) opts.gracePeriodSeconds = d.gracePeriodSeconds;
  if (d.propagationPolicy) opts.propagationPolicy = d.propagationPolicy as DeleteOptions['propagationPolicy'];
  if (d.preconditions) opts.preconditions = { uid: d.preconditions.uid, resourceVersion: d.preconditions.resourceVersion };
  if (d.dryRun) opts.dryRun = d.dryRun;
  return opts;
}

async function evict(ctx: RequestContext, eviction: Eviction): Promise<void> {
  const name = ctx.name!;
  const opts = deleteOptionsOf(eviction);
  const dryRun = ctx.dryRun || (opts.dryRun ?? []).includes('All');
  const podCtx: RequestContext = { ...ctx, subresource: undefined, dryRun };
  const pdbType = ctx.registry.get('policy', 'v1', 'poddisruptionbudgets');
  for (let attempt = 1; ; attempt++) {
    const pod = (await ctx.store.get(ctx.type, ctx.namespace, name)) as Pod;
    if (!canIgnoreBudget(pod) && pdbType) {
      const budgets = ((await ctx.store.list(pdbType, { namespace: ctx.namespace })).items as PodDisruptionBudget[]).filter((b) => selects(b, pod));
      if (budgets.length > 1) throw errors.internal('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
      if (budgets.length === 1) {
        const decision = decideBudget(budgets[0], pod, new Date());
        if (decision.spend && !dryRun) {
          try {
            // Pinned to the budget we read: a concurrent eviction makes us read and decide again.
            await ctx.store.update(pdbType, decision.pdb as KubeObject, { resourceVersion: budgets[0].metadata?.resourceVersion });
          } catch (err) {
            if (err instanceof ApiError && err.reason === 'Conflict' && attempt < MAX_ATTEMPTS) continue;
            throw err;
          }
        }
      }
    }
    // A pod that is already finished is not disrupted by going; it only gets deleted.
    const terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    await deleteObject(podCtx, dryRun || terminal ? opts : await markDisruptionTarget(ctx, opts));
    return;
  }
}

export const evictionHandler: SubresourceHandler = {
  path: 'pods/eviction',
  methods: ['POST'],
  async handle(ctx: RequestContext, req: Request, res: Response): Promise<void> {
    const eviction = (await readObject(ctx, req)) as unknown as Eviction;
    const evictName = eviction.metadata?.name;
    if (evictName !== undefined && evictName !== ctx.name) throw errors.badRequest('name in URL does not match name in Eviction object');
    if (eviction.metadata?.namespace && eviction.metadata.namespace !== ctx.namespace) {
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    await evict(ctx, eviction);
    sendSuccess(res, 201);
  },
};

