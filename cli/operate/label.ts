// `skiff label` / `skiff annotate`: merge-patches an object's labels or annotations, refusing
// to change an existing value without --overwrite (as kubectl does).

import type { KubeObject } from '../../api/types.js';
import { isConflict } from '../../client/errors.js';
import { connect, kindName, resolveKind, type Connection, type ConnectionFlags } from '../resources/connection.js';
import { printOut } from '../resources/output.js';
import { planEdit, splitArgs, type MetadataChanges, type MetadataField } from './metadata-edits.js';
import { eachTarget, parseTargets, type Named } from './target.js';

export interface LabelFlags extends ConnectionFlags {
  overwrite?: boolean;
  selector?: string;
  all?: boolean;
}

export async function runMetadataEdit(args: string[], flags: LabelFlags, field: MetadataField): Promise<number> {
  const { objects, changes } = splitArgs(args, field);
  const bySelection = flags.all || flags.selector !== undefined;
  const conn = await connect(flags);
  try {
    let targets: Named[];
    if (bySelection) {
      if (objects.length !== 1 || objects[0].includes('/')) throw new Error(`with -l or --all give only the kind: skiff ${field === 'labels' ? 'label' : 'annotate'} pods -l app=web key=value`);
      const type = resolveKind(objects[0], conn.registry);
      const list = await conn.client.resource(type).list(type.namespaced ? conn.namespace : undefined, { labelSelector: flags.selector });
      targets = list.items.map((o) => ({ type, name: o.metadata?.name ?? '' }));
      if (!targets.length) process.stderr.write('No resources found\n');
    } else {
      targets = parseTargets(objects, conn.registry);
    }
    return await eachTarget(targets, async (t) => printOut(`${kindName(t.type)}/${t.name} ${await editOne(conn, t, changes, flags.overwrite ?? false, field)}`));
  } finally {
    conn.client.close();
  }
}

async function editOne(conn: Connection, t: Named, changes: MetadataChanges, overwrite: boolean, field: MetadataField): Promise<string> {
  const client = conn.client.resource(t.type);
  const ns = t.type.namespaced ? conn.namespace : undefined;
  const done = field === 'labels' ? 'labeled' : 'annotated';
  for (let attempt = 0; ; attempt++) {
    const obj: KubeObject = await client.get(ns, t.name);
    const plan = planEdit(obj.metadata?.[field], changes, overwrite, field, obj.metadata?.resourceVersion);
    if (plan.kind === 'refused') throw new Error(`${kindName(t.type)}/${t.name}: ${plan.message}`);
    for (const key of plan.missing) process.stderr.write(`${field === 'labels' ? 'label' : 'annotation'} "${key}" not found.\n`);
    if (plan.kind === 'unchanged') return `not ${done}`;
    try {
      await client.patch(ns, t.name, 'merge', plan.patch);
      return done;
    } catch (err) {
      // Someone wrote in between: check the values again against what is there now.
      if (!isConflict(err) || attempt >= 4) throw err;
    }
  }
}
