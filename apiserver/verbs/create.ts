// POST to a collection: a new object. `generateName` picks a random suffix and tries again
// when that name is taken, as upstream does. The creator's manager owns every field it set
// (an Update entry in managedFields), defaults included, as upstream.

import type { KubeObject } from '../../api/types.js';
import { fieldManagerOf, recordWrite } from '../apply/field-manager.js';
import type { RequestContext } from '../context.js';
import { ApiError, errors } from '../errors.js';
import { checkNamespace, checkTypeMeta, generateName, prepareForCreate } from '../object-meta.js';
import type { Seams } from '../seams.js';
import { admitAndValidate } from '../write-checks.js';

const GENERATE_NAME_ATTEMPTS = 8;

/** `track(obj)` sets the new object's managedFields once it is defaulted and admitted; by default an Update entry for the request's manager. */
export async function createObject(ctx: RequestContext, seams: Seams, body: KubeObject, track?: (obj: KubeObject) => void): Promise<KubeObject> {
  const record = track ?? updateTracking(ctx);
  checkTypeMeta(ctx.type, body);
  checkNamespace(ctx.type, body, ctx.namespace);
  const meta = body.metadata!;
  const generated = !meta.name && !!meta.generateName;
  if (!meta.name && !meta.generateName) {
    throw errors.invalid(ctx.type.kind, ctx.type.group, '', [
      { reason: 'FieldValueRequired', field: 'metadata.name', message: 'name or generateName is required' },
    ]);
  }
  for (let attempt = 1; ; attempt++) {
    const obj = structuredClone(body);
    if (generated) obj.metadata!.name = generateName(meta.generateName!);
    prepareForCreate(ctx.type, obj);
    await admitAndValidate(ctx, seams, 'CREATE', obj);
    record(obj);
    if (ctx.dryRun) return obj;
    try {
      return await ctx.store.create(ctx.type, obj);
    } catch (err) {
      const taken = err instanceof ApiError && err.reason === 'AlreadyExists';
      if (!taken || !generated || attempt >= GENERATE_NAME_ATTEMPTS) throw err;
    }
  }
}

function updateTracking(ctx: RequestContext): (obj: KubeObject) => void {
  const manager = fieldManagerOf(ctx, 'CreateOptions');
  return (obj) => recordWrite(ctx, manager, obj);
}
