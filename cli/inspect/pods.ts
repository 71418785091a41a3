// Which pod and container `logs` and `exec` talk to: a pod by name, or one pod of a workload
// (`deploy/web`) picked as kubectl picks it, and the container (`-c`, else the pod's default
// container, saying which others exist).

import type { ResourceRegistry } from '../../api/resources.js';
import type { KubeObject, LabelSelector, Pod } from '../../api/types.js';
import type { RestClient } from '../../client/rest.js';
import { resolveKind } from '../resources/connection.js';
import { formatSelector } from './describe/writer.js';
import { getNamed } from './lookup.js';

const DEFAULT_CONTAINER = 'kubectl.kubernetes.io/default-container';

/**
 * kubectl's order for picking a workload's pod for logs: on a node, running, ready, most
 * restarts, oldest first.
 */
export function byLogPreference(a: Pod, b: Pod): number {
  const key = (p: Pod): number[] => [
    p.spec?.nodeName ? 0 : 1,
    p.status?.phase === 'Running' ? 0 : 1,
    p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? 0 : 1,
    -(p.status?.containerStatuses ?? []).reduce((n, s) => n + s.restartCount, 0),
    new Date(p.metadata?.creationTimestamp ?? 0).getTime(),
  ];
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
  return 0;
}

function selectorOf(obj: KubeObject): string {
  const spec = (obj as { spec?: { selector?: LabelSelector | Record<string, string> } }).spec;
  const sel = spec?.selector;
  if (!sel) return '';
  // A Service's selector is a plain label map; workloads have a LabelSelector.
  if (!('matchLabels' in sel) && !('matchExpressions' in sel)) return formatSelector({ matchLabels: sel as Record<string, string> });
  return formatSelector(sel as LabelSelector);
}

export interface PodTarget {
  pod: Pod;
  /** Set when a workload was named and several pods matched: kubectl says which it used. */
  note?: string;
}

/** `web`, `pod/web`, or `deploy/web` (any kind with a selector: rs, ds, job, svc). */
export async function resolvePod(client: RestClient, registry: ResourceRegistry, namespace: string, ref: string): Promise<PodTarget> {
  const slash = ref.indexOf('/');
  const pods = resolveKind('pods', registry);
  if (slash < 0) return { pod: await getNamed<Pod>(client, pods, namespace, ref) };
  const type = resolveKind(ref.slice(0, slash), registry);
  const name = ref.slice(slash + 1);
  if (type.group === '' && type.resource === 'pods') return { pod: await getNamed<Pod>(client, pods, namespace, name) };
  const owner = await getNamed(client, type, namespace, name);
  const selector = selectorOf(owner);
  if (!selector) throw new Error(`${type.resource} "${name}" has no pod selector; name a pod instead`);
  const candidates = (await client.resource<Pod>(pods).list(namespace, { labelSelector: selector })).items.sort(byLogPreference);
  if (candidates.length === 0) throw new Error(`no pods of ${type.singular} "${name}" (selector ${selector}) in namespace ${namespace}`);
  const pod = candidates[0];
  return { pod, note: candidates.length > 1 ? `Found ${candidates.length} pods, using pod/${pod.metadata?.name ?? ''}` : undefined };
}

export interface ContainerChoice {
  name: string;
  /** kubectl's `Defaulted container "web" out of: web, sidecar, init (init)` when it chose. */
  note?: string;
}

/** The container asked for, or the pod's default; an unknown name lists the pod's containers. */
export function chooseContainer(pod: Pod, asked: string | undefined): ContainerChoice {
  const app = (pod.spec?.containers ?? []).map((c) => c.name);
  const init = (pod.spec?.initContainers ?? []).map((c) => c.name);
  const ephemeral = (pod.spec?.ephemeralContainers ?? []).map((c) => c.name);
  const all = [...app.map((n) => n), ...init.map((n) => `${n} (init)`), ...ephemeral.map((n) => `${n} (ephem)`)];
  const podName = pod.metadata?.name ?? '';
  if (asked) {
    if ([...app, ...init, ...ephemeral].includes(asked)) return { name: asked };
    throw new Error(`container ${asked} is not valid for pod ${podName}; its containers are: ${all.join(', ')}`);
  }
  const annotated = pod.metadata?.annotations?.[DEFAULT_CONTAINER];
  const name = annotated && app.includes(annotated) ? annotated : app[0];
  if (!name) throw new Error(`pod ${podName} has no containers`);
  return { name, note: all.length > 1 && !annotated ? `Defaulted container "${name}" out of: ${all.join(', ')}` : undefined };
}
