// Taking a node of the local cluster down: kubelet first (so it recreates nothing), then
// containerd, then what outlives containerd (containers and shims, mounts, pod cgroups), and
// last its network namespace, which takes its veth, pod bridge and iptables rules with it.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { containerdPaths } from '../../deploy/containerd/config.js';
import { killRuncContainers, killShims, removeCgroupTree, unmountUnder } from '../../deploy/containerd/cleanup.js';
import type { ClusterLayout } from './layout.js';
import { removeNodeNamespace, type LabNode } from './network.js';
import { stopProcess } from './processes.js';

export async function nodeDown(layout: ClusterLayout, node: LabNode): Promise<string> {
  await stopProcess(layout.pidOf(`kubelet-${node.name}`));
  const dir = layout.nodeDir(node.name);
  const paths = containerdPaths(join(dir, 'containerd'));
  await stopProcess(layout.pidOf(`containerd-${node.name}`));
  const containers = killRuncContainers(paths.runcRoot);
  const shims = killShims(paths.socket);
  const mounts = existsSync(dir) ? unmountUnder(dir) : 0;
  removeCgroupTree(`skiff/${node.name}`);
  removeCgroupTree('skiff', false);
  removeNodeNamespace(node);
  return `${containers} containers, ${shims} shims, ${mounts} mounts removed`;
}
