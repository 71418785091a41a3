// The lab's LoadBalancer: a cluster without a cloud has no balancer to ask for, so a
// `type: LoadBalancer` Service is reached on its node ports, and its `status.loadBalancer`
// lists the InternalIPs of the Ready, schedulable nodes — where clients can actually reach
// it (the service proxy on every node answers on those addresses). Services of other types
// get an empty status. Written through /status only when it changes.

import type { Node, Service } from './types.js';
import type { Informer } from '../client/interfaces.js';
import { isConflict, isNotFound } from '../client/errors.js';
import { Controller, type ControllerContext, type ReconcileResult } from './controller.js';

type Ingress = { ip: string; ipMode: 'VIP' }[];

/** Addresses of the nodes that serve node ports now, sorted so the status is stable. */
export function balancerAddresses(nodes: Node[]): Ingress {
  return nodes
    .filter((n) => !n.metadata?.deletionTimestamp && !n.spec?.unschedulable)
    .filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
    .map((n) => n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address)
    .filter((ip): ip is string => !!ip)
    .sort()
    .map((ip) => ({ ip, ipMode: 'VIP' as const }));
}

export class ServiceLoadBalancerController extends Controller {
  private readonly services: Informer<Service>;
  private readonly nodes: Informer<Node>;

  constructor(ctx: ControllerContext) {
    super('service-lb-controller', ctx);
    this.services = this.uses(ctx.informers.informerFor<Service>('services'));
    this.nodes = this.uses(ctx.informers.informerFor<Node>('nodes'));
    this.services.addEventHandler({ onAdd: (s) => this.enqueue(s), onUpdate: (_o, s) => this.enqueue(s) });
    // A node coming, going or changing readiness changes every balancer's addresses.
    const allBalancers = () => {
      for (const s of this.services.lister.list()) if (s.spec?.type === 'LoadBalancer') this.enqueue(s);
    };
    this.nodes.addEventHandler({ onAdd: allBalancers, onUpdate: allBalancers, onDelete: allBalancers });
  }

  async reconcile(key: string): Promise<ReconcileResult> {
    const svc = this.services.lister.get(key);
    if (!svc || svc.metadata?.deletionTimestamp) return;
    const want = svc.spec?.type === 'LoadBalancer' ? balancerAddresses(this.nodes.lister.list()) : [];
    const have = svc.status?.loadBalancer?.ingress ?? [];
    if (JSON.stringify(have) === JSON.stringify(want)) return;
    if (svc.spec?.type !== 'LoadBalancer' && have.length === 0) return;
    try {
      await this.ctx.client.for<Service>('services').updateStatus({ ...svc, status: { ...svc.status, loadBalancer: want.length ? { ingress: want } : {} } });
    } catch (err) {
      // Gone meanwhile, or changed under us: the informer brings the new state back here.
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }
}
