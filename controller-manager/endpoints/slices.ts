// The EndpointSlice controller: the same pods as Endpoints, as discovery.k8s.io/v1 slices of
// at most 100 endpoints, one port list per slice, labelled with the service name and managed
// by `endpointslice-controller.k8s.io`, owned by the Service (so the garbage collector removes
// them with it). Existing slices are reused in name order; nothing is written when unchanged.

import type { EndpointSlice, Pod, Service } from '../types.js';
import type { Informer, ResourceClient } from '../../client/interfaces.js';
import { isNotFound } from '../../client/errors.js';
import { Controller, splitKey, type ControllerContext, type ReconcileResult } from '../controller.js';
import { canonicalJson } from '../deployment/hash.js';
import { newControllerRef } from '../ownership.js';
import { desiredSliceGroups, managesEndpoints, type SliceGroup } from './desired.js';
import { selectedPods, watchServicesAndPods } from './services.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const MANAGED_BY = 'endpointslice-controller.k8s.io';
export const MAX_ENDPOINTS_PER_SLICE = 100;

export class EndpointSliceController extends Controller {
  private readonly services: Informer<Service>;
  private readonly pods: Informer<Pod>;
  private readonly slices: Informer<EndpointSlice>;
  private readonly client: ResourceClient<EndpointSlice>;

  constructor(
    ctx: ControllerContext,
    private readonly maxPerSlice = MAX_ENDPOINTS_PER_SLICE,
  ) {
    super('endpointslice', ctx);
    this.client = ctx.client.for<EndpointSlice>('endpointslices');
    this.services = this.uses(ctx.informers.informerFor<Service>('services'));
    this.pods = this.uses(ctx.informers.informerFor<Pod>('pods'));
    this.slices = this.uses(ctx.informers.informerFor<EndpointSlice>('endpointslices'));
    this.slices.addIndex('service', (s) => (s.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY && s.metadata.labels[SERVICE_NAME_LABEL] ? [`${s.metadata.namespace}/${s.metadata.labels[SERVICE_NAME_LABEL]}`] : []));
    watchServicesAndPods(this.services, this.pods, (k) => this.queue.add(k));
    const mine = (s: EndpointSlice): void => {
      const svc = s.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY ? s.metadata.labels[SERVICE_NAME_LABEL] : undefined;
      if (svc) this.queue.add(`${s.metadata?.namespace}/${svc}`);
    };
    this.slices.addEventHandler({ onDelete: mine, onUpdate: (_o, s) => mine(s) });
  }

  async reconcile(key: string): Promise<ReconcileResult> {
    const { namespace } = splitKey(key);
    const svc = this.services.lister.get(key);
    const existing = this.slices.lister.byIndex('service', key).sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
    if (!svc || !managesEndpoints(svc)) {
      for (const s of existing) await this.remove(s);
      return;
    }
    const wanted = chunk(desiredSliceGroups(svc, selectedPods(this.pods.lister, svc)), this.maxPerSlice);
    // A service without endpoints keeps one empty placeholder slice, as upstream.
    if (wanted.length === 0) wanted.push({ ports: [], endpoints: [] });
    const unused = [...existing];
    const toCreate: SliceGroup[] = [];
    for (const group of wanted) {
      // Prefer a slice that already has exactly this content, then one with the same ports.
      let i = unused.findIndex((s) => sameContent(s, group));
      if (i < 0) i = unused.findIndex((s) => canonicalJson(s.ports ?? []) === canonicalJson(group.ports));
      if (i < 0) {
        toCreate.push(group);
        continue;
      }
      const [slice] = unused.splice(i, 1);
      if (!sameContent(slice, group) || !sameLabels(slice, svc)) await this.client.update(this.build(svc, group, slice));
    }
    for (const group of toCreate) {
      const reuse = unused.shift();
      if (reuse) await this.client.update(this.build(svc, group, reuse));
      else await this.client.create(namespace, this.build(svc, group));
    }
    for (const s of unused) await this.remove(s);
  }

  private build(svc: Service, group: SliceGroup, current?: EndpointSlice): EndpointSlice {
    return {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: current
        ? { ...current.metadata, labels: sliceLabels(svc) }
        : { generateName: `${svc.metadata?.name}-`, namespace: svc.metadata?.namespace, labels: sliceLabels(svc), ownerReferences: [newControllerRef(svc, 'v1', 'Service')] },
      addressType: 'IPv4',
      endpoints: group.endpoints,
      ports: group.ports,
    };
  }

  private async remove(s: EndpointSlice): Promise<void> {
    try {
      await this.client.delete(s.metadata?.namespace, s.metadata!.name!, { preconditions: { uid: s.metadata?.uid } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

function sliceLabels(svc: Service): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata?.labels ?? {}), [SERVICE_NAME_LABEL]: svc.metadata!.name!, [MANAGED_BY_LABEL]: MANAGED_BY };
  if (!svc.spec?.clusterIP || svc.spec.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
  return labels;
}

function sameContent(s: EndpointSlice, g: SliceGroup): boolean {
  return canonicalJson(s.ports ?? []) === canonicalJson(g.ports) && canonicalJson(s.endpoints ?? []) === canonicalJson(g.endpoints);
}

function sameLabels(s: EndpointSlice, svc: Service): boolean {
  return canonicalJson(s.metadata?.labels ?? {}) === canonicalJson(sliceLabels(svc));
}

function chunk(groups: SliceGroup[], max: number): SliceGroup[] {
  const out: SliceGroup[] = [];
  for (const g of groups) for (let i = 0; i < g.endpoints.length; i += max) out.push({ ports: g.ports, endpoints: g.endpoints.slice(i, i + max) });
  return out;
}
