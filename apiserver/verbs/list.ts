// GET of a collection.

import { apiVersionOf } from '../../api/resources.js';
import type { KubeList } from '../../api/types.js';
import type { RequestContext } from '../context.js';
import type { Seams } from '../seams.js';
import { serializeListPieces } from '../storage/serialized.js';
import { listOptions } from './list-options.js';

/** The list's JSON body, in pieces, straight from the store's serialized objects when it keeps them. */
export async function listBody(ctx: RequestContext, seams: Seams): Promise<Iterable<string> | undefined> {
  if (!ctx.store.listSerialized) return undefined;
  const list = await ctx.store.listSerialized(ctx.type, listOptions(ctx, seams));
  return serializeListPieces({ ...list, apiVersion: apiVersionOf(ctx.type), kind: `${ctx.type.kind}List` });
}

export async function listObjects(ctx: RequestContext, seams: Seams): Promise<KubeList> {
  const list = await ctx.store.list(ctx.type, listOptions(ctx, seams));
  return { ...list, apiVersion: apiVersionOf(ctx.type), kind: `${ctx.type.kind}List` };
}
