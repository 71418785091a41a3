// Endpoints, ServiceAccounts and PodDisruptionBudgets as kubectl describes them.

import type { Endpoints, Event, PodDisruptionBudget, ServiceAccount } from '../../../api/types.js';
import { writeEvents } from './events.js';
import { DescribeWriter, formatSelector, writeAnnotations, writeLabels } from './writer.js';

export function describeEndpoints(ep: Endpoints, events: Event[] | undefined, now: Date): string {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${ep.metadata?.name ?? ''}\n`);
  w.write(0, `Namespace:\t${ep.metadata?.namespace ?? ''}\n`);
  writeLabels(w, 'Labels', ep.metadata?.labels);
  writeAnnotations(w, 'Annotations', ep.metadata?.annotations);
  w.write(0, 'Subsets:\n');
  for (const subset of ep.subsets ?? []) {
    w.write(1, `Addresses:\t${(subset.addresses ?? []).map((a) => a.ip).join(',') || '<none>'}\n`);
    w.write(1, `NotReadyAddresses:\t${(subset.notReadyAddresses ?? []).map((a) => a.ip).join(',') || '<none>'}\n`);
    if (subset.ports?.length) {
      w.write(1, 'Ports:\n');
      w.write(2, 'Name\tPort\tProtocol\n');
      w.write(2, '----\t----\t--------\n');
      for (const p of subset.ports) w.write(2, `${p.name || '<unset>'}\t${p.port}\t${p.protocol ?? 'TCP'}\n`);
    }
    w.write(0, '\n');
  }
  writeEvents(w, events, now);
  return w.toString();
}

/** `secrets`: the names of the Secrets in the namespace; a referenced one missing is marked `(not found)`. */
export function describeServiceAccount(sa: ServiceAccount, secrets: Set<string> | undefined, events: Event[] | undefined, now: Date): string {
  const named = (name: string | undefined) => (secrets && !secrets.has(name ?? '') ? `${name ?? ''} (not found)` : (name ?? ''));
  const w = new DescribeWriter();
  w.write(0, `Name:\t${sa.metadata?.name ?? ''}\n`);
  w.write(0, `Namespace:\t${sa.metadata?.namespace ?? ''}\n`);
  writeLabels(w, 'Labels', sa.metadata?.labels);
  writeAnnotations(w, 'Annotations', sa.metadata?.annotations);
  // kubectl 1.32's three lists, names under one another below each heading.
  const lists: [string, string[]][] = [
    ['Image pull secrets:', (sa.imagePullSecrets ?? []).map((s) => named(s.name))],
    ['Mountable secrets: ', (sa.secrets ?? []).map((s) => named(s.name))],
    ['Tokens:            ', []],
  ];
  for (const [heading, names] of lists) {
    if (names.length === 0) w.write(0, `${heading}\t<none>\n`);
    names.forEach((name, i) => w.write(0, `${i ? ' '.repeat(heading.length) : heading}\t${name}\n`));
  }
  writeEvents(w, events, now);
  return w.toString();
}

export function describePodDisruptionBudget(pdb: PodDisruptionBudget, events: Event[] | undefined, now: Date): string {
  const w = new DescribeWriter();
  const spec = pdb.spec ?? {};
  const status = pdb.status;
  w.write(0, `Name:\t${pdb.metadata?.name ?? ''}\n`);
  w.write(0, `Namespace:\t${pdb.metadata?.namespace ?? ''}\n`);
  if (spec.minAvailable !== undefined) w.write(0, `Min available:\t${String(spec.minAvailable)}\n`);
  else if (spec.maxUnavailable !== undefined) w.write(0, `Max unavailable:\t${String(spec.maxUnavailable)}\n`);
  w.write(0, `Selector:\t${spec.selector ? formatSelector(spec.selector) || '<none>' : '<unset>'}\n`);
  w.write(0, 'Status:\n');
  w.write(2, `Allowed disruptions:\t${status?.disruptionsAllowed ?? 0}\n`);
  w.write(2, `Current:\t${status?.currentHealthy ?? 0}\n`);
  w.write(2, `Desired:\t${status?.desiredHealthy ?? 0}\n`);
  w.write(2, `Total:\t${status?.expectedPods ?? 0}\n`);
  writeEvents(w, events, now);
  return w.toString();
}
