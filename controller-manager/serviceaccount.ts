// The ServiceAccounts controller: every active namespace has a `default` ServiceAccount;
// one that is deleted comes back.

import type { Namespace, ServiceAccount } from './types.js';
import type { Informer } from '../client/interfaces.js';
import { isAlreadyExists, isForbidden, isNotFound } from '../client/errors.js';
import { Controller, type ControllerContext, type ReconcileResult } from './controller.js';

export const DEFAULT_SERVICE_ACCOUNTS = ['default'];

export class ServiceAccountController extends Controller {
  private readonly namespaces: Informer<Namespace>;
  private readonly accounts: Informer<ServiceAccount>;

  constructor(ctx: ControllerContext) {
    super('serviceaccount', ctx);
    this.namespaces = this.uses(ctx.informers.informerFor<Namespace>('namespaces'));
    this.accounts = this.uses(ctx.informers.informerFor<ServiceAccount>('serviceaccounts'));
    this.namespaces.addEventHandler({ onAdd: (ns) => this.enqueue(ns), onUpdate: (_o, ns) => this.enqueue(ns) });
    this.accounts.addEventHandler({
      onDelete: (sa) => {
        if (sa.metadata?.namespace && DEFAULT_SERVICE_ACCOUNTS.includes(sa.metadata.name ?? '')) this.queue.add(sa.metadata.namespace);
      },
    });
  }

  async reconcile(namespace: string): Promise<ReconcileResult> {
    const ns = this.namespaces.lister.get(namespace);
    if (!ns || ns.metadata?.deletionTimestamp || ns.status?.phase === 'Terminating') return;
    const client = this.ctx.client.for<ServiceAccount>('serviceaccounts');
    for (const name of DEFAULT_SERVICE_ACCOUNTS) {
      if (this.accounts.lister.get(`${namespace}/${name}`)) continue;
      try {
        await client.create(namespace, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });
      } catch (err) {
        // Already there (cache lag), or the namespace started terminating meanwhile.
        if (!isAlreadyExists(err) && !isForbidden(err) && !isNotFound(err)) throw err;
      }
    }
  }
}
