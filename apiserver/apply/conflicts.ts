// The 409 an apply gets when it would change fields another manager owns, worded as upstream
// words it: one cause per field (`reason: FieldManagerConflict`), and a message kubectl prints.

import type { StatusCause } from '../../api/types.js';
import { ApiError } from '../errors.js';
import { formatPath } from './fieldset.js';
import type { Manager } from './managers.js';

export interface Conflict {
  manager: Manager;
  path: string[];
}

/** `"kubectl"`, `"kubectl" with subresource "scale" using apps/v1`: who a conflict is with. */
export function describeManager(m: Manager): string {
  let out = JSON.stringify(m.manager);
  if (m.subresource) out += ` with subresource ${JSON.stringify(m.subresource)}`;
  if (m.operation === 'Update') out += ` using ${m.apiVersion}`;
  return out;
}

export function conflictError(conflicts: readonly Conflict[]): ApiError {
  const causes: StatusCause[] = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${describeManager(c.manager)}`,
    field: formatPath(c.path),
  }));
  return new ApiError(409, 'Conflict', conflictMessage(conflicts), { causes });
}

function conflictMessage(conflicts: readonly Conflict[]): string {
  if (conflicts.length === 1) {
    const c = conflicts[0]!;
    return `Apply failed with 1 conflict: conflict with ${describeManager(c.manager)}: ${formatPath(c.path)}`;
  }
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) {
    const who = describeManager(c.manager);
    byManager.set(who, [...(byManager.get(who) ?? []), formatPath(c.path)]);
  }
  const lines: string[] = [];
  for (const who of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${who}:`);
    for (const path of byManager.get(who)!) lines.push(`- ${path}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}
