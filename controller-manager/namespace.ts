// The Namespace controller: once a namespace is being deleted (deletionTimestamp set, phase
// Terminating) it deletes everything in it, kind by kind, waits until every list comes back
// empty, then removes the `kubernetes` finalizer through `namespaces/{name}/finalize` so the
// API server can let the namespace go.

import type { Namespace } from './types.js';
import type { Informer } from '../client/interfaces.js';
import { isConflict, isNotFound } from '../client/errors.js';
import { BUILTIN_RESOURCES, resourcePath, type ResourceType } from '../api/resources.js';
import { Controller, type ControllerContext, type ReconcileResult } from './controller.js';

export const KUBERNETES_FINALIZER = 'kubernetes';

export interface NamespaceControllerOptions {
  /** How soon to look again while content remains (ms). */
  recheckMs?: number;
  /** The namespaced kinds to empty; every built-in namespaced kind by default. */
  resources?: readonly ResourceType[];
}

export class NamespaceController extends Controller {
  private readonly namespaces: Informer<Namespace>;
  private readonly recheckMs: number;
  private readonly resources: readonly ResourceType[];

  constructor(ctx: ControllerContext, opts: NamespaceControllerOptions = {}) {
    super('namespace', ctx);
    this.recheckMs = opts.recheckMs ?? 1000;
    this.resources = (opts.resources ?? BUILTIN_RESOURCES).filter((t) => t.namespaced && t.verbs.includes('delete'));
    this.namespaces = this.uses(ctx.informers.informerFor<Namespace>('namespaces'));
    this.namespaces.addEventHandler({
      onAdd: (ns) => this.enqueueIfDeleting(ns),
      onUpdate: (_old, ns) => this.enqueueIfDeleting(ns),
    });
  }

  private enqueueIfDeleting(ns: Namespace): void {
    if (ns.metadata?.deletionTimestamp) this.enqueue(ns);
  }

  async reconcile(name: string): Promise<ReconcileResult> {
    const ns = this.namespaces.lister.get(name);
    if (!ns?.metadata?.deletionTimestamp) return;
    const client = this.ctx.client.for<Namespace>('namespaces');
    if (ns.status?.phase !== 'Terminating') {
      try {
        await client.updateStatus({ ...ns, status: { ...ns.status, phase: 'Terminating' } });
      } catch (err) {
        if (isNotFound(err)) return;
        if (!isConflict(err)) throw err;
      }
    }
    const remaining = await this.deleteContent(name);
    if (remaining > 0) {
      this.ctx.log.debug({ namespace: name, remaining }, 'namespace content remaining');
      return { requeueAfterMs: this.recheckMs };
    }
    await this.finalize(name);
  }

  /** Deletes every object in the namespace; returns how many still exist (deleting or not). */
  private async deleteContent(namespace: string): Promise<number> {
    let remaining = 0;
    for (const type of this.resources) {
      const rc = this.ctx.client.resource(type);
      const list = await rc.list(namespace);
      remaining += list.items.length;
      await Promise.all(
        list.items
          .filter((o) => !o.metadata?.deletionTimestamp)
          .map(async (o) => {
            try {
              await rc.delete(namespace, o.metadata!.name!, { propagationPolicy: 'Background', preconditions: { uid: o.metadata?.uid } });
            } catch (err) {
              if (!isNotFound(err) && !isConflict(err)) throw err;
            }
          }),
      );
    }
    return remaining;
  }

  private async finalize(name: string): Promise<void> {
    const client = this.ctx.client.for<Namespace>('namespaces');
    let ns: Namespace;
    try {
      ns = await client.get(undefined, name);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    const finalizers = ns.spec?.finalizers ?? [];
    if (!finalizers.includes(KUBERNETES_FINALIZER)) return;
    const type = BUILTIN_RESOURCES.find((t) => t.resource === 'namespaces')!;
    const body: Namespace = { ...ns, spec: { ...ns.spec, finalizers: finalizers.filter((f) => f !== KUBERNETES_FINALIZER) } };
    try {
      await this.ctx.client.request('PUT', resourcePath(type, undefined, name, 'finalize'), body);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
