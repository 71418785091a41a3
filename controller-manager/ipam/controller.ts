// Node IPAM (the range allocator): gives every node a pod subnet from --cluster-cidr in
// `spec.podCIDR` / `spec.podCIDRs`. Subnets already on nodes are marked taken as the informer
// delivers them, and workers only start once the cache is synced, so a restart rebuilds the
// allocation before handing out anything. A deleted node's subnet is released.

import type { Node } from '../types.js';
import type { Informer } from '../../client/interfaces.js';
import { isNotFound } from '../../client/errors.js';
import { Controller, type ControllerContext, type ReconcileResult } from '../controller.js';
import { CidrSet } from './cidrset.js';

export interface NodeIpamOptions {
  clusterCidr: string;
  nodeCidrMaskSize: number;
}

export class NodeIpamController extends Controller {
  private readonly nodes: Informer<Node>;
  readonly cidrs: CidrSet;

  constructor(ctx: ControllerContext, opts: NodeIpamOptions) {
    super('nodeipam', ctx);
    this.cidrs = new CidrSet(opts.clusterCidr, opts.nodeCidrMaskSize);
    this.nodes = this.uses(ctx.informers.informerFor<Node>('nodes'));
    this.nodes.addEventHandler({
      onAdd: (node) => this.observe(node),
      onUpdate: (_old, node) => this.observe(node),
      onDelete: (node) => {
        for (const cidr of podCidrsOf(node)) this.cidrs.release(cidr);
      },
    });
  }

  private observe(node: Node): void {
    const cidrs = podCidrsOf(node);
    for (const cidr of cidrs) this.cidrs.occupy(cidr);
    if (cidrs.length === 0) this.enqueue(node);
  }

  async reconcile(name: string): Promise<ReconcileResult> {
    const node = this.nodes.lister.get(name);
    if (!node || podCidrsOf(node).length > 0 || node.metadata?.deletionTimestamp) return;
    // Taken synchronously before any await, so two workers never get the same subnet.
    const cidr = this.cidrs.allocateNext();
    if (!cidr) {
      this.ctx.recorder.event(node, 'Warning', 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`);
      throw new Error(`no pod subnet left in ${this.cidrs.toString()} for node ${name}`);
    }
    try {
      await this.ctx.client.for<Node>('nodes').patch(undefined, name, 'merge', { spec: { podCIDR: cidr, podCIDRs: [cidr] } });
      this.ctx.log.debug({ node: name, podCIDR: cidr }, 'pod subnet assigned');
    } catch (err) {
      this.cidrs.release(cidr);
      if (isNotFound(err)) return;
      throw err;
    }
  }
}

function podCidrsOf(node: Node): string[] {
  const list = node.spec?.podCIDRs ?? [];
  return list.length > 0 ? list : node.spec?.podCIDR ? [node.spec.podCIDR] : [];
}
