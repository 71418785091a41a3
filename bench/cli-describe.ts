// How long `skiff describe` spends printing (the Go-tabwriter alignment included) for the
// biggest descriptions: a node with 110 and with 1,000 pods, a pod with 50 events, and the
// generic describer on a large custom object. Run: npx tsx bench/cli-describe.ts

import type { Event, Pod } from '../api/types.js';
import { describeGeneric } from '../cli/inspect/describe/generic.js';
import { describeNode } from '../cli/inspect/describe/node.js';
import { describePod } from '../cli/inspect/describe/pod.js';
import * as f from '../cli/inspect/describe/fixtures.js';

function pods(n: number): Pod[] {
  return Array.from({ length: n }, (_, i) => ({ ...f.pods[0], metadata: { ...f.pods[0].metadata, name: `web-7d9f8c6b5-${String(i).padStart(5, '0')}` } }));
}

const events: Event[] = Array.from({ length: 50 }, (_, i) => ({ ...f.podEvents[i % f.podEvents.length], metadata: { name: `e${i}` } }));
const bigCustom = { ...f.custom, spec: { items: Array.from({ length: 2000 }, (_, i) => ({ name: `item-${i}`, size: i, tags: ['a', 'b'] })) } };

function measure(label: string, run: () => string): void {
  let out = run();
  const rounds = 20;
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) out = run();
  const ms = Number(process.hrtime.bigint() - start) / 1e6 / rounds;
  console.log(`${label.padEnd(44)} ${ms.toFixed(2).padStart(8)} ms   ${String(out.split('\n').length).padStart(6)} lines`);
}

const node110 = pods(110);
const node1000 = pods(1000);
measure('describe node, 110 pods', () => describeNode(f.node, f.lease, node110, f.nodeEvents, f.NOW));
measure('describe node, 1,000 pods', () => describeNode(f.node, f.lease, node1000, f.nodeEvents, f.NOW));
measure('describe pod, 50 events', () => describePod(f.pods[0], events, f.NOW));
measure('describe custom object, 2,000 list items', () => describeGeneric(bigCustom, [], f.NOW));
