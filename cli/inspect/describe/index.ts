// Which describer prints which kind, and the related objects each one fetches (a Deployment's
// ReplicaSets, a Service's EndpointSlices, a Node's pods, ...). Every kind without its own
// describer gets the generic one.

import type { ResourceRegistry, ResourceType } from '../../../api/resources.js';
import type {
  ConfigMap, DaemonSet, Deployment, Endpoints, EndpointSlice, Event, Job, KubeObject, LabelSelector, Lease, Namespace, Node, ObjectMeta, Pod, PodDisruptionBudget, ReplicaSet, Secret, Service, ServiceAccount,
} from '../../../api/types.js';
import type { RestClient } from '../../../client/rest.js';
import { describeEndpoints, describePodDisruptionBudget, describeServiceAccount } from './cluster.js';
import { describeConfigMap, describeSecret } from './config.js';
import { describeGeneric } from './generic.js';
import { describeNamespace } from './namespace.js';
import { describeNode } from './node.js';
import { describePod } from './pod.js';
import { describeService } from './service.js';
import { describeDaemonSet, describeDeployment, describeJob, describeReplicaSet } from './workloads.js';
import { formatSelector } from './writer.js';

export interface DescribeContext {
  client: RestClient;
  registry: ResourceRegistry;
  now: Date;
  showEvents: boolean;
}

type Describer = (ctx: DescribeContext, obj: KubeObject, events: Event[] | undefined) => Promise<string>;

function list<T extends KubeObject>(ctx: DescribeContext, group: string, resource: string, namespace: string | undefined, query: { labelSelector?: string; fieldSelector?: string }): Promise<T[]> {
  const type = ctx.registry.all().find((t) => t.group === group && t.resource === resource);
  if (!type) return Promise.resolve([]);
  return ctx.client
    .resource<T>(type)
    .list(namespace, query)
    .then((l) => l.items);
}

/** The pods a ReplicaSet or DaemonSet selects (countPodPhases keeps those it controls). */
const podsOf = (ctx: DescribeContext, obj: { metadata?: ObjectMeta; spec?: { selector?: LabelSelector } }) =>
  list<Pod>(ctx, '', 'pods', obj.metadata?.namespace, { labelSelector: formatSelector(obj.spec?.selector) });

const DESCRIBERS: Record<string, Describer> = {
  '/Pod': async (ctx, obj, events) => describePod(obj as Pod, events, ctx.now),
  'apps/Deployment': async (ctx, obj, events) => {
    const rss = await list<ReplicaSet>(ctx, 'apps', 'replicasets', obj.metadata?.namespace, {});
    const owned = rss.filter((rs) => rs.metadata?.ownerReferences?.some((r) => r.controller && r.uid === obj.metadata?.uid));
    return describeDeployment(obj as Deployment, owned, events, ctx.now);
  },
  'apps/ReplicaSet': async (ctx, obj, events) => describeReplicaSet(obj as ReplicaSet, await podsOf(ctx, obj as ReplicaSet), events, ctx.now),
  'apps/DaemonSet': async (ctx, obj, events) => describeDaemonSet(obj as DaemonSet, await podsOf(ctx, obj as DaemonSet), events, ctx.now),
  'batch/Job': async (ctx, obj, events) => describeJob(obj as Job, events, ctx.now),
  '/Service': async (ctx, obj, events) => {
    const slices = await list<EndpointSlice>(ctx, 'discovery.k8s.io', 'endpointslices', obj.metadata?.namespace, { labelSelector: `kubernetes.io/service-name=${obj.metadata?.name ?? ''}` });
    return describeService(obj as Service, slices, events, ctx.now);
  },
  '/Node': async (ctx, obj, events) => {
    const name = obj.metadata?.name ?? '';
    const pods = await list<Pod>(ctx, '', 'pods', undefined, { fieldSelector: `spec.nodeName=${name},status.phase!=Failed,status.phase!=Succeeded` });
    const leases = ctx.registry.all().find((t) => t.group === 'coordination.k8s.io' && t.resource === 'leases');
    const lease = leases ? await ctx.client.resource<Lease>(leases).get('kube-node-lease', name).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))) : undefined;
    return describeNode(obj as Node, lease, pods, events, ctx.now);
  },
  '/ConfigMap': async (ctx, obj, events) => describeConfigMap(obj as ConfigMap, events, ctx.now),
  '/Endpoints': async (ctx, obj, events) => describeEndpoints(obj as Endpoints, events, ctx.now),
  '/ServiceAccount': async (ctx, obj, events) => {
    const secrets = await list<Secret>(ctx, '', 'secrets', obj.metadata?.namespace, {}).then(
      (items) => new Set(items.map((s) => s.metadata?.name ?? '')),
      () => undefined,
    );
    return describeServiceAccount(obj as ServiceAccount, secrets, events, ctx.now);
  },
  'policy/PodDisruptionBudget': async (ctx, obj, events) => describePodDisruptionBudget(obj as PodDisruptionBudget, events, ctx.now),
  // kubectl shows no events for a Secret or a Namespace.
  '/Secret': async (_ctx, obj) => describeSecret(obj as Secret),
  '/Namespace': async (_ctx, obj) => describeNamespace(obj as Namespace),
};

/** The events about `obj`: found by name, namespace and kind, kept when the uid matches (or is unset). */
export async function eventsFor(ctx: DescribeContext, type: ResourceType, obj: KubeObject): Promise<Event[]> {
  const meta = obj.metadata ?? {};
  const selector = [`involvedObject.name=${meta.name ?? ''}`, `involvedObject.kind=${type.kind}`, ...(type.namespaced ? [`involvedObject.namespace=${meta.namespace ?? ''}`] : [])].join(',');
  const events = await list<Event>(ctx, '', 'events', type.namespaced ? meta.namespace : undefined, { fieldSelector: selector });
  // The kubelet records node events with the node's name as uid; both count as this object.
  return events.filter((e) => !e.involvedObject.uid || e.involvedObject.uid === meta.uid || e.involvedObject.uid === meta.name);
}

export async function describeObject(ctx: DescribeContext, type: ResourceType, obj: KubeObject): Promise<string> {
  const describer = DESCRIBERS[`${type.group}/${type.kind}`];
  const events = ctx.showEvents && !['Namespace', 'Secret'].includes(type.kind) ? await eventsFor(ctx, type, obj).catch(() => undefined) : undefined;
  return describer ? describer(ctx, obj, events) : describeGeneric(obj, events, ctx.now);
}
