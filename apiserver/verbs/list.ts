// GET of a collection.

import { apiVersionOf } from '../../api/resources.js';
import type { KubeList } from '../../api/types.js';
import type { RequestContext } from '../context.js';
import type { Seams } from '../seams.js';
import { listOptions } from './list-options.js';

export async function listObjects(ctx: RequestContext, seams: Seams): Promise<KubeList> {
  const list = await ctx.store.list(ctx.type, listOptions(ctx, seams));
  return { ...list, apiVersion: apiVersionOf(ctx.type), kind: `${ctx.type.kind}List` };
}
