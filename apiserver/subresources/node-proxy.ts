// `nodes/{name}/proxy/{path}`: any request relayed to that node's kubelet at `/{path}`
// (metrics, stats, healthz, ...), the answer passed back as the kubelet gave it.

import type { Request, Response } from 'express';
import type { RequestContext, SubresourceHandler } from '../context.js';
import { nodeProxyPath } from './kubelet-location.js';
import { kubeletTarget, proxyToKubelet } from './kubelet-proxy.js';

export const nodeProxyHandler: SubresourceHandler = {
  path: 'nodes/proxy',
  methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  async handle(ctx: RequestContext, req: Request, res: Response): Promise<void> {
    const nodeName = ctx.name!;
    // Fails with 404 before any connection when the node does not exist.
    const target = await kubeletTarget(ctx, nodeName, nodeProxyPath(req.originalUrl ?? req.url, nodeName));
    await proxyToKubelet(ctx, target, req, res);
  },
};
