// `pods/{name}/binding`: the scheduler's write. POST a v1 Binding and the pod gets
// `spec.nodeName` — only while it has none, and only the pod the binding names (uid
// precondition). PodScheduled=True is the scheduler's own status write, not done here.

import type { Request, Response } from 'express';
import type { Binding, KubeObject, Pod } from '../../api/types.js';
import { mutableMeta } from '../../api/types.js';
import { runAdmission } from '../admission/index.js';
import type { RequestContext, SubresourceHandler } from '../context.js';
import { errors } from '../errors.js';
import { readObject } from './body.js';
import { sendSuccess } from './respond.js';

const BINDING = 'pods/binding';

/** Checks the Binding against the URL; returns the node it binds to. */
export function bindingTarget(binding: Binding, podName: string, namespace: string | undefined): string {
  const meta = binding.metadata ?? {};
  if (meta.name !== undefined && meta.name !== podName) throw errors.badRequest('name in URL does not match name in Binding object');
  if (meta.namespace && meta.namespace !== namespace) throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  const target = binding.target;
  if (!target?.name) throw errors.invalid('Binding', '', podName, [{ field: 'target.name', reason: 'FieldValueRequired', message: 'Required value' }]);
  if (target.kind && target.kind !== 'Node') {
    throw errors.invalid('Binding', '', podName, [{ field: 'target.kind', reason: 'FieldValueNotSupported', message: `Unsupported value: "${target.kind}": supported values: "Node"` }]);
  }
  return target.name;
}

/** The pod bound to `node`, or the refusal upstream gives; pure. */
export function bindPod(pod: Pod, binding: Binding, node: string): Pod {
  const name = pod.metadata?.name ?? '';
  const uid = binding.metadata?.uid;
  if (uid && uid !== pod.metadata?.uid) {
    throw errors.conflict(BINDING, '', name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${pod.metadata?.uid ?? ''}`);
  }
  if (pod.metadata?.deletionTimestamp) throw errors.conflict(BINDING, '', name, `pod ${name} is being deleted, cannot be assigned to a host`);
  if (pod.spec?.nodeName) throw errors.conflict(BINDING, '', name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
  const next = structuredClone(pod);
  next.spec = { ...next.spec!, nodeName: node };
  // Annotations on the Binding are copied onto the pod, as upstream does.
  const annotations = binding.metadata?.annotations;
  if (annotations && Object.keys(annotations).length > 0) {
    const meta = mutableMeta(next);
    meta.annotations = { ...(meta.annotations ?? {}), ...annotations };
  }
  return next;
}

export const bindingHandler: SubresourceHandler = {
  path: BINDING,
  methods: ['POST'],
  async handle(ctx: RequestContext, req: Request, res: Response): Promise<void> {
    const name = ctx.name!;
    const binding = (await readObject(ctx, req)) as unknown as Binding;
    const node = bindingTarget(binding, name, ctx.namespace);
    await runAdmission('validate', { operation: 'CREATE', type: ctx.type, namespace: ctx.namespace, name, subresource: 'binding', obj: binding as KubeObject, user: ctx.user, dryRun: ctx.dryRun }, ctx);
    const bind = (current: KubeObject): KubeObject => bindPod(current as Pod, binding, node) as KubeObject;
    if (ctx.dryRun) bind(await ctx.store.get(ctx.type, ctx.namespace, name));
    else await ctx.store.guaranteedUpdate(ctx.type, ctx.namespace, name, bind);
    sendSuccess(res, 201);
  },
};
