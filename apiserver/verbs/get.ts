// GET of one object.

import type { KubeObject } from '../../api/types.js';
import type { RequestContext } from '../context.js';

export async function getObject(ctx: RequestContext): Promise<KubeObject> {
  return ctx.store.get(ctx.type, ctx.namespace, ctx.name!);
}
