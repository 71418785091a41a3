// Status conditions as the apps and batch kinds keep them: one entry per type. Setting a
// condition with the same status and reason changes nothing (so a steady state writes nothing);
// a new reason with the same status keeps the original lastTransitionTime.

export interface StatusCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
  lastProbeTime?: string;
}

export function findCondition<C extends StatusCondition>(conditions: C[] | undefined, type: string): C | undefined {
  return conditions?.find((c) => c.type === type);
}

/** Returns the conditions with `cond` set (a new array); timestamps default to `now`. */
export function setCondition<C extends StatusCondition>(conditions: C[] | undefined, cond: C, now: string, opts: { withUpdateTime?: boolean } = {}): C[] {
  const list = conditions ?? [];
  const current = findCondition(list, cond.type);
  if (current && current.status === cond.status && current.reason === cond.reason) return list;
  const next: C = { ...cond, lastTransitionTime: current && current.status === cond.status ? current.lastTransitionTime : now };
  if (opts.withUpdateTime) next.lastUpdateTime = now;
  return [...list.filter((c) => c.type !== cond.type), next];
}

export function removeCondition<C extends StatusCondition>(conditions: C[] | undefined, type: string): C[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}
