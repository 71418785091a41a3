// Getting one named object for describe, logs and exec, with a not-found message that says
// where skiff looked and what is there instead ("did you mean").

import type { ResourceType } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { ApiStatusError } from '../../client/errors.js';
import type { RestClient } from '../../client/rest.js';
import { resourceName } from '../resources/connection.js';

/** Edit distance counting a swap of neighbours as one edit, to suggest `web` for `wbe`. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The not-found message: `pods "wbe" not found in namespace default; did you mean "web"?`. */
export function notFoundMessage(type: ResourceType, namespace: string | undefined, name: string, existing: string[]): string {
  const where = type.namespaced ? ` in namespace ${namespace}` : '';
  let text = `${resourceName(type)} "${name}" not found${where}`;
  const close = existing.filter((n) => n.startsWith(name) || name.startsWith(n) || editDistance(n, name) <= Math.max(1, Math.floor(name.length / 3)));
  if (close.length) text += `; did you mean ${close.slice(0, 3).map((n) => `"${n}"`).join(' or ')}?`;
  else if (existing.length === 0) text += `; there are no ${type.resource}${where}`;
  else if (existing.length <= 8) text += `; ${type.resource}${where}: ${existing.join(', ')}`;
  return text;
}

export async function getNamed<T extends KubeObject>(client: RestClient, type: ResourceType, namespace: string | undefined, name: string): Promise<T> {
  const ns = type.namespaced ? namespace : undefined;
  try {
    return (await client.resource<T>(type).get(ns, name)) as T;
  } catch (err) {
    if (!(err instanceof ApiStatusError) || err.code !== 404) throw err;
    let existing: string[] = [];
    try {
      existing = (await client.resource(type).list(ns, { limit: 500 })).items.map((o) => o.metadata?.name ?? '').sort();
    } catch {
      // The hint is a courtesy; the not-found error stands without it.
    }
    throw new ApiStatusError(404, 'NotFound', notFoundMessage(type, ns, name, existing), err.details);
  }
}
