// The steps every write of a main resource passes before the store: defaulting (as upstream
// does while decoding), mutating admission, validation (422 with every cause) and validating
// admission. Nothing is written when any step refuses.

import type { KubeObject } from '../api/types.js';
import type { Operation, RequestContext } from './context.js';
import { errors } from './errors.js';
import type { Seams } from './seams.js';

export async function admitAndValidate(
  ctx: RequestContext,
  seams: Seams,
  operation: Operation,
  obj: KubeObject,
  oldObj?: KubeObject,
): Promise<void> {
  const attrs = {
    operation,
    type: ctx.type,
    namespace: ctx.namespace,
    name: obj.metadata?.name ?? ctx.name,
    subresource: ctx.subresource,
    obj,
    oldObj,
    user: ctx.user,
    dryRun: ctx.dryRun,
  };
  seams.applyDefaults(ctx.type, obj);
  await seams.runAdmission('admit', attrs, ctx);
  const causes = seams.validateObject(ctx.type, obj, oldObj);
  if (causes.length > 0) throw errors.invalid(ctx.type.kind, ctx.type.group, obj.metadata?.name ?? obj.metadata?.generateName ?? '', causes);
  await seams.runAdmission('validate', attrs, ctx);
}
