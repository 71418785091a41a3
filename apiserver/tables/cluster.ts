// Rows for the coordination, discovery, policy and scheduling kinds: Lease, EndpointSlice,
// PodDisruptionBudget, PriorityClass.

import type { EndpointSlice, Lease, PodDisruptionBudget, PriorityClass } from '../../api/types.js';
import { age } from './humanize.js';
import { ageColumn, column, nameColumn, printer } from './printer.js';

export const leasePrinter = printer<Lease>(
  [nameColumn, column('Holder', 'The identity of the lease\'s holder.'), ageColumn],
  (lease, now) => [lease.metadata?.name ?? '', lease.spec?.holderIdentity ?? '', age(lease.metadata?.creationTimestamp, now)],
);

const MAX_LISTED = 3;

/** At most three items, then `+ N more...`; `<unset>` when there are none. */
function listWithMore(items: string[]): string {
  const shown = items.slice(0, MAX_LISTED).join(',');
  if (items.length > MAX_LISTED) return `${shown} + ${items.length - MAX_LISTED} more...`;
  return shown || '<unset>';
}

export const endpointSlicePrinter = printer<EndpointSlice>(
  [
    nameColumn,
    column('AddressType', 'The kind of addresses in the slice: IPv4, IPv6 or FQDN.'),
    column('Ports', 'The ports of the endpoints.'),
    column('Endpoints', 'The addresses of the endpoints.'),
    ageColumn,
  ],
  (slice, now) => [
    slice.metadata?.name ?? '',
    slice.addressType ?? '',
    // A port without a number matches every port of the pod: `*`, or its name when it has one.
    listWithMore((slice.ports ?? []).map((p) => (p.port !== undefined && p.port !== null ? String(p.port) : p.name ? p.name : '*'))),
    listWithMore((slice.endpoints ?? []).flatMap((e) => e.addresses ?? [])),
    age(slice.metadata?.creationTimestamp, now),
  ],
);

export const podDisruptionBudgetPrinter = printer<PodDisruptionBudget>(
  [
    nameColumn,
    column('Min Available', 'The number or percentage of pods that must stay available.'),
    column('Max Unavailable', 'The number or percentage of pods that may be unavailable.'),
    column('Allowed Disruptions', 'How many pods may be evicted now.', { type: 'integer' }),
    ageColumn,
  ],
  (pdb, now) => [
    pdb.metadata?.name ?? '',
    pdb.spec?.minAvailable !== undefined ? String(pdb.spec.minAvailable) : 'N/A',
    pdb.spec?.maxUnavailable !== undefined ? String(pdb.spec.maxUnavailable) : 'N/A',
    pdb.status?.disruptionsAllowed ?? 0,
    age(pdb.metadata?.creationTimestamp, now),
  ],
);

export const priorityClassPrinter = printer<PriorityClass>(
  [
    nameColumn,
    column('Value', 'The priority pods of this class get.', { type: 'integer' }),
    column('Global-Default', 'Whether pods without a class get this one.', { type: 'boolean' }),
    ageColumn,
    column('PreemptionPolicy', 'Whether pods of this class may preempt lower-priority pods.'),
  ],
  (pc, now) => [pc.metadata?.name ?? '', pc.value, pc.globalDefault ?? false, age(pc.metadata?.creationTimestamp, now), pc.preemptionPolicy ?? ''],
);
