// `pods/{name}/log`: the container's log from the pod's kubelet
// (`/containerLogs/{ns}/{pod}/{container}`), streamed as it comes, `follow` included.

import type { Request, Response } from 'express';
import type { Pod } from '../../api/types.js';
import type { RequestContext, SubresourceHandler } from '../context.js';
import { logPath, podNode, resolveContainer } from './kubelet-location.js';
import { kubeletTarget, streamFromKubelet } from './kubelet-proxy.js';

export const logHandler: SubresourceHandler = {
  path: 'pods/log',
  methods: ['GET'],
  async handle(ctx: RequestContext, _req: Request, res: Response): Promise<void> {
    const pod = (await ctx.store.get(ctx.type, ctx.namespace, ctx.name!)) as Pod;
    const container = resolveContainer(pod, ctx.query.get('container'));
    const node = podNode(pod);
    await streamFromKubelet(ctx, await kubeletTarget(ctx, node, logPath(pod, container, ctx.query)), res);
  },
};
