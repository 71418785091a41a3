// `skiff api-resources`: the kinds the server serves, from discovery, as kubectl lists them —
// the preferred version of each group, sorted by group then name.

import type { ResourceType } from '../../api/resources.js';
import { apiVersionOf } from '../../api/resources.js';
import { connect, resourceName, type ConnectionFlags } from '../resources/connection.js';
import { alignTabs } from './tabwriter.js';

export interface ApiResourcesFlags extends ConnectionFlags {
  namespaced?: boolean;
  output?: string;
  apiGroup?: string;
  verbs?: string[];
}

/** One row per kind, preferred versions only (discovery lists them first), filtered as asked. */
export function selectResources(types: ResourceType[], flags: ApiResourcesFlags): ResourceType[] {
  const seen = new Set<string>();
  return types
    .filter((t) => {
      const key = `${t.group}/${t.resource}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return t.verbs.length > 0;
    })
    .filter((t) => flags.namespaced === undefined || t.namespaced === flags.namespaced)
    .filter((t) => flags.apiGroup === undefined || t.group === flags.apiGroup)
    .filter((t) => (flags.verbs ?? []).every((v) => t.verbs.includes(v)))
    .sort((a, b) => (a.group === b.group ? a.resource.localeCompare(b.resource) : a.group.localeCompare(b.group)));
}

export function formatApiResources(types: ResourceType[], output: string | undefined, noHeaders = false): string {
  if (output === 'name') return types.map((t) => `${resourceName(t)}\n`).join('');
  if (output !== undefined && output !== 'wide') throw new Error(`unknown output format "${output}"; use wide or name`);
  const wide = output === 'wide';
  const header = ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(wide ? ['VERBS', 'CATEGORIES'] : [])];
  const rows = types.map((t) => [t.resource, t.shortNames.join(','), apiVersionOf(t), String(t.namespaced), t.kind, ...(wide ? [t.verbs.join(','), t.categories.join(',')] : [])]);
  const lines = noHeaders ? rows : [header, ...rows];
  return alignTabs(lines.map((r) => `${r.join('\t')}\n`).join(''), 3, 6);
}

export async function runApiResources(flags: ApiResourcesFlags & { noHeaders?: boolean }): Promise<number> {
  const conn = await connect(flags);
  try {
    const types = selectResources(conn.registry.all(), flags);
    process.stdout.write(formatApiResources(types, flags.output, flags.noHeaders));
    return 0;
  } finally {
    conn.client.close();
  }
}
