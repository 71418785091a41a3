// The Endpoints controller: one Endpoints object per Service with a selector, named as the
// Service, listing its pods' addresses (ready under `addresses`, not ready under
// `notReadyAddresses`) and resolved ports. Writes only when the content changed; the object
// goes when the Service goes.

import type { Endpoints, Pod, Service } from '../types.js';
import type { Informer, ResourceClient } from '../../client/interfaces.js';
import { isNotFound } from '../../client/errors.js';
import { Controller, splitKey, type ControllerContext, type ReconcileResult } from '../controller.js';
import { canonicalJson } from '../deployment/hash.js';
import { desiredSubsets, managesEndpoints } from './desired.js';
import { selectedPods, watchServicesAndPods } from './services.js';

export class EndpointsController extends Controller {
  private readonly services: Informer<Service>;
  private readonly pods: Informer<Pod>;
  private readonly endpoints: Informer<Endpoints>;
  private readonly client: ResourceClient<Endpoints>;

  constructor(ctx: ControllerContext) {
    super('endpoint', ctx);
    this.client = ctx.client.for<Endpoints>('endpoints');
    this.services = this.uses(ctx.informers.informerFor<Service>('services'));
    this.pods = this.uses(ctx.informers.informerFor<Pod>('pods'));
    this.endpoints = this.uses(ctx.informers.informerFor<Endpoints>('endpoints'));
    watchServicesAndPods(this.services, this.pods, (k) => this.queue.add(k));
    // Someone else deleting or editing our Endpoints: put it back.
    this.endpoints.addEventHandler({
      onDelete: (ep) => this.enqueueIfService(ep),
      onUpdate: (_o, ep) => this.enqueueIfService(ep),
    });
  }

  private enqueueIfService(ep: Endpoints): void {
    const svc = this.services.lister.get(`${ep.metadata?.namespace}/${ep.metadata?.name}`);
    if (svc && managesEndpoints(svc)) this.enqueue(svc);
  }

  async reconcile(key: string): Promise<ReconcileResult> {
    const { namespace, name } = splitKey(key);
    const svc = this.services.lister.get(key);
    const current = this.endpoints.lister.get(key);
    if (!svc) {
      if (current) await this.client.delete(namespace, name).catch((err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)));
      return;
    }
    if (!managesEndpoints(svc)) return;
    const subsets = desiredSubsets(svc, selectedPods(this.pods.lister, svc));
    const labels = { ...(svc.metadata?.labels ?? {}) };
    if (!svc.spec?.clusterIP || svc.spec.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
    if (current && canonicalJson(current.subsets ?? []) === canonicalJson(subsets) && canonicalJson(current.metadata?.labels ?? {}) === canonicalJson(labels)) return;
    const body: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { ...(current?.metadata ?? { name, namespace }), labels }, subsets };
    try {
      if (current) await this.client.update(body);
      else await this.client.create(namespace, body);
    } catch (err) {
      // Deleted under us: the informer's delete event brings the Service back here.
      if (!isNotFound(err)) throw err;
    }
  }
}
