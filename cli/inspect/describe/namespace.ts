// `skiff describe namespace`: labels, annotations, phase and conditions. skiff serves no
// ResourceQuota or LimitRange, so kubectl's quota sections are left out, as kubectl leaves
// them out on such a server.

import type { Namespace } from '../../../api/types.js';
import { rfc1123z } from '../duration.js';
import { DescribeWriter, writeAnnotations, writeLabels } from './writer.js';

export function describeNamespace(ns: Namespace): string {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${ns.metadata?.name ?? ''}\n`);
  writeLabels(w, 'Labels', ns.metadata?.labels);
  writeAnnotations(w, 'Annotations', ns.metadata?.annotations);
  w.write(0, `Status:\t${ns.status?.phase ?? ''}\n`);
  if (ns.status?.conditions?.length) {
    w.write(0, 'Conditions:\n');
    w.write(1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t------------------\t------\t-------\n');
    for (const c of ns.status.conditions) w.write(1, `${c.type}\t${c.status}\t${rfc1123z(c.lastTransitionTime)}\t${c.reason ?? ''}\t${c.message ?? ''}\n`);
  }
  return w.toString();
}
