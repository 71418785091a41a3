// What a pod asks of a node, summed the way Kubernetes sums it: app containers run together,
// init containers one at a time (restartable "sidecar" init containers keep running), and the
// pod's overhead comes on top. effective = max(sum(app) + sidecars, max(init step)) + overhead.
// The filter uses api/meta's podRequests; scoring needs the same sum over requests where an
// unset cpu/memory counts as a small default, computed here.

import { podRequests as apiPodRequests } from '../api/meta.js';
import { cpuToMillis, quantityToBytes } from '../api/quantity.js';
import type { Container, Pod } from '../api/types.js';

type Quantity = string | number | undefined;
const cpuMillis = (q: Quantity): number => (q === undefined ? 0 : cpuToMillis(q));
const quantityUnits = (q: Quantity): number => (q === undefined ? 0 : quantityToBytes(q));

export interface Resources {
  milliCPU: number;
  memory: number;
}

// Scoring treats a pod with no requests as if it asked for this much, so empty pods still
// spread (kube-scheduler's DefaultMilliCPURequest / DefaultMemoryRequest).
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

// A request left unset defaults to the limit (API defaulting), so read both.
function containerQuantity(c: Container, name: 'cpu' | 'memory'): Quantity {
  return (c.resources?.requests?.[name] ?? c.resources?.limits?.[name]) as Quantity;
}

function nonZeroRequests(c: Container): Resources {
  const cpu = containerQuantity(c, 'cpu');
  const mem = containerQuantity(c, 'memory');
  return {
    milliCPU: cpu === undefined ? DEFAULT_MILLI_CPU_REQUEST : cpuMillis(cpu),
    memory: mem === undefined ? DEFAULT_MEMORY_REQUEST : quantityUnits(mem),
  };
}

function effective(pod: Pod, perContainer: (c: Container) => Resources): Resources {
  const spec = pod.spec;
  const app: Resources = { milliCPU: 0, memory: 0 };
  for (const c of spec?.containers ?? []) add(app, perContainer(c));
  const sidecars: Resources = { milliCPU: 0, memory: 0 };
  const initPeak: Resources = { milliCPU: 0, memory: 0 };
  for (const c of spec?.initContainers ?? []) {
    const r = perContainer(c);
    if (c.restartPolicy === 'Always') {
      add(sidecars, r);
      max(initPeak, sidecars);
    } else {
      max(initPeak, { milliCPU: r.milliCPU + sidecars.milliCPU, memory: r.memory + sidecars.memory });
    }
  }
  const out = { milliCPU: app.milliCPU + sidecars.milliCPU, memory: app.memory + sidecars.memory };
  max(out, initPeak);
  const overhead = spec?.overhead;
  if (overhead) add(out, { milliCPU: cpuMillis(overhead.cpu), memory: quantityUnits(overhead.memory) });
  return out;
}

/** The pod's effective requests, as NodeResourcesFit filters on them (api/meta's podRequests). */
export function podRequests(pod: Pod): Resources {
  const r = apiPodRequests(pod);
  return { milliCPU: r.cpuMillis, memory: r.memoryBytes };
}

/** The pod's effective requests with each container's unset cpu/memory replaced by the scoring defaults. */
export function podNonZeroRequests(pod: Pod): Resources {
  return effective(pod, nonZeroRequests);
}

export function add(into: Resources, r: Resources): void {
  into.milliCPU += r.milliCPU;
  into.memory += r.memory;
}

export function subtract(from: Resources, r: Resources): void {
  from.milliCPU -= r.milliCPU;
  from.memory -= r.memory;
}

function max(into: Resources, r: Resources): void {
  into.milliCPU = Math.max(into.milliCPU, r.milliCPU);
  into.memory = Math.max(into.memory, r.memory);
}

/** Resources other than cpu and memory (ephemeral-storage, hugepages-*, extended resources such as example.com/gpu). */
export type ScalarResources = ReadonlyMap<string, number>;

/**
 * The pod's effective request of every other resource, in whole units (bytes for storage),
 * summed with the same init/sidecar/overhead rule. Requests unset but limited default to the
 * limit. Empty for most pods.
 */
export function podScalarRequests(pod: Pod): ScalarResources {
  const spec = pod.spec;
  const names = new Set<string>();
  const scan = (c: Container) => {
    for (const n of Object.keys({ ...c.resources?.limits, ...c.resources?.requests })) if (n !== 'cpu' && n !== 'memory') names.add(n);
  };
  (spec?.containers ?? []).forEach(scan);
  (spec?.initContainers ?? []).forEach(scan);
  const out = new Map<string, number>();
  for (const name of names) {
    const of = (c: Container) => quantityUnits((c.resources?.requests?.[name] ?? c.resources?.limits?.[name]) as Quantity);
    let app = 0;
    for (const c of spec?.containers ?? []) app += of(c);
    let sidecars = 0;
    let initPeak = 0;
    for (const c of spec?.initContainers ?? []) {
      if (c.restartPolicy === 'Always') {
        sidecars += of(c);
        initPeak = Math.max(initPeak, sidecars);
      } else {
        initPeak = Math.max(initPeak, of(c) + sidecars);
      }
    }
    const total = Math.max(app + sidecars, initPeak) + quantityUnits(spec?.overhead?.[name] as Quantity);
    if (total > 0) out.set(name, total);
  }
  return out;
}
