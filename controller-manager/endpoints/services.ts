// The wiring both endpoint controllers share: a Service is reconciled when it changes and when
// any pod its selector matches (before or after the change) comes, goes or changes.

import type { Pod, Service } from '../types.js';
import type { Informer, Lister } from '../../client/interfaces.js';
import { selectorFromSet } from '../../api/labels.js';
import { objectKey } from '../../api/meta.js';
import { managesEndpoints } from './desired.js';

export function servicesSelecting(services: Lister<Service>, pod: Pod): Service[] {
  return services.byIndex('namespace', pod.metadata?.namespace ?? '').filter((s) => managesEndpoints(s) && selectorFromSet(s.spec?.selector).matches(pod.metadata?.labels));
}

/** Pods the service selects, from the cache. */
export function selectedPods(pods: Lister<Pod>, svc: Service): Pod[] {
  const sel = selectorFromSet(svc.spec?.selector);
  return pods.byIndex('namespace', svc.metadata?.namespace ?? '').filter((p) => sel.matches(p.metadata?.labels));
}

/** What a pod change can alter in endpoints; resyncs and other status noise are skipped. */
function endpointRelevant(old: Pod, pod: Pod): boolean {
  if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return false;
  const facts = (p: Pod): string =>
    JSON.stringify([p.status?.podIP, p.status?.phase, p.status?.conditions?.find((c) => c.type === 'Ready')?.status, p.spec?.nodeName, p.metadata?.deletionTimestamp, p.metadata?.labels, p.spec?.hostname, p.spec?.subdomain]);
  return facts(old) !== facts(pod);
}

export function watchServicesAndPods(services: Informer<Service>, pods: Informer<Pod>, enqueue: (key: string) => void): void {
  services.addEventHandler({
    onAdd: (s) => enqueue(objectKey(s)),
    onUpdate: (_o, s) => enqueue(objectKey(s)),
    onDelete: (s) => enqueue(objectKey(s)),
  });
  const touch = (pod: Pod): void => {
    for (const s of servicesSelecting(services.lister, pod)) enqueue(objectKey(s));
  };
  pods.addEventHandler({
    onAdd: touch,
    onUpdate: (old, pod) => {
      if (!endpointRelevant(old, pod)) return;
      touch(pod);
      if (JSON.stringify(old.metadata?.labels) !== JSON.stringify(pod.metadata?.labels)) touch(old);
    },
    onDelete: touch,
  });
}
