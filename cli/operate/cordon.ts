// `skiff cordon` / `uncordon`: marks nodes (un)schedulable through `spec.unschedulable`, and
// says so when a node already is, as kubectl does.

import type { Node } from '../../api/types.js';
import type { ApiClient } from '../../client/interfaces.js';
import { connect, type ConnectionFlags } from '../resources/connection.js';
import { printOut } from '../resources/output.js';
import { eachTarget } from './target.js';

export type CordonResult = 'cordoned' | 'already cordoned' | 'uncordoned' | 'already uncordoned';

/** Sets `spec.unschedulable`; the word kubectl prints about it. */
export async function setUnschedulable(client: ApiClient, name: string, unschedulable: boolean): Promise<CordonResult> {
  const nodes = client.for<Node>('nodes');
  const node = await nodes.get(undefined, name);
  if (Boolean(node.spec?.unschedulable) === unschedulable) return unschedulable ? 'already cordoned' : 'already uncordoned';
  // null removes the field, as kubectl leaves an uncordoned node's spec.
  await nodes.patch(undefined, name, 'merge', { spec: { unschedulable: unschedulable ? true : null } });
  return unschedulable ? 'cordoned' : 'uncordoned';
}

export async function runCordon(names: string[], flags: ConnectionFlags & { selector?: string }, unschedulable: boolean): Promise<number> {
  const conn = await connect(flags);
  try {
    let targets = names;
    if (flags.selector !== undefined) {
      if (names.length) throw new Error('give node names or -l SELECTOR, not both');
      targets = (await conn.client.for<Node>('nodes').list(undefined, { labelSelector: flags.selector })).items.map((n) => n.metadata?.name ?? '');
      if (!targets.length) process.stderr.write('No resources found\n');
    } else if (!names.length) {
      throw new Error(`say which node to ${unschedulable ? 'cordon' : 'uncordon'}: a name (see \`skiff get nodes\`) or -l SELECTOR`);
    }
    return await eachTarget(targets, async (name) => printOut(`node/${name} ${await setUnschedulable(conn.client, name, unschedulable)}`));
  } finally {
    conn.client.close();
  }
}
