// V8 heap settings for skiff's long-running services (API server, controller-manager,
// scheduler, kubelet).
//
// Left to its defaults V8 lets the old generation grow to up to four times what survived the
// last full GC before collecting again, and gives the young generation semi-spaces of up to
// 16 MB: an API server holding 10,000 pods (about 45 MB live) sat at 260 MB RSS, most of it
// garbage waiting for a collection. Measured on the API server bench (10,000 pod creates,
// same minute, same load; CPU per create rises and falls with the machine's load):
//   defaults                                   RSS 246-268 MB, 0.63-0.73 ms CPU per create
//   2 MB semi-spaces + 50% heap growth         RSS 144-145 MB, 0.76-0.96 ms CPU per create
//   later, with managedFields on every write:
//   2 MB semi-spaces + 50% heap growth         RSS 144 MB,     0.95-1.00 ms CPU per create
//   2 MB semi-spaces + 35% heap growth         RSS 138-141 MB, 0.96-1.03 ms CPU per create
//
// The semi-space size is fixed when the heap is set up, so it only takes effect as a node
// flag on the command line (the services' shebang lines, `skiff up`, the benchmarks);
// setting it at run time is silently ignored. The growth factor is read at every GC, so the
// services set it themselves at start.

import { setFlagsFromString } from 'node:v8';

/** Node flags the services are started with (`node ${SERVICE_NODE_FLAGS} dist/apiserver/main.js`). */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];

/** Let the old generation grow by a third of what survived the last full GC, not up to 4x. */
export const HEAP_GROWING_PERCENT = 35;

/** Applies the run-time part of the heap settings; call first thing in a service's main. */
export function limitHeapGrowth(percent = HEAP_GROWING_PERCENT): void {
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
