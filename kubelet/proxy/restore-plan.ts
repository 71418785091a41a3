// Turns "what is there" and "what we want" into one iptables-restore input (applied with
// --noflush, atomically per table): changed or new chains are declared (which creates or
// flushes them) and refilled, chains we own that are no longer wanted are declared and
// deleted. Unchanged chains are not mentioned at all — the partial sync that keeps a change
// at 5,000 services cheap.

import type { Chains, DesiredRules, Table } from './rules.js';

/** What the last successful sync wrote, per table (chain → rules). Empty means "unknown: write everything". */
export type Written = Record<Table, Chains>;

export function emptyWritten(): Written {
  return { nat: new Map(), filter: new Map() };
}

export interface PlanInput {
  desired: DesiredRules;
  /** What we believe is in the kernel. */
  written: Written;
  /** Owned chains present in the kernel (from iptables-save) on a full sync; else the written ones. */
  existing?: Record<Table, Set<string>>;
  /** Rewrite every desired chain, changed or not. */
  full: boolean;
}

export interface Plan {
  text: string;
  changedChains: number;
  deletedChains: number;
}

function sameRules(a: string[] | undefined, b: string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((r, i) => r === b[i]);
}

export function restorePlan(input: PlanInput): Plan {
  const lines: string[] = [];
  let changedChains = 0;
  let deletedChains = 0;
  for (const table of ['nat', 'filter'] as const) {
    const desired = input.desired[table];
    const written = input.written[table];
    const changed = [...desired.entries()].filter(([chain, rules]) => input.full || !sameRules(written.get(chain), rules));
    const present = input.existing?.[table] ?? new Set(written.keys());
    const stale = [...present].filter((chain) => !desired.has(chain)).sort();
    if (changed.length === 0 && stale.length === 0) continue;
    lines.push(`*${table}`);
    for (const [chain] of changed) lines.push(`:${chain} - [0:0]`);
    for (const chain of stale) lines.push(`:${chain} - [0:0]`);
    for (const [chain, rules] of changed) for (const rule of rules) lines.push(`-A ${chain} ${rule}`);
    for (const chain of stale) lines.push(`-X ${chain}`);
    lines.push('COMMIT');
    changedChains += changed.length;
    deletedChains += stale.length;
  }
  return { text: lines.length ? `${lines.join('\n')}\n` : '', changedChains, deletedChains };
}
