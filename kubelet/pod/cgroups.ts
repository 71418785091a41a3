// Removing a pod's cgroup once its sandbox is gone: containerd leaves the cgroup_parent
// directory behind in every hierarchy (cgroup v1: each controller and name=systemd), so the
// kubelet rmdirs it, deepest first.

import { existsSync, readdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';

const CGROUP_ROOT = '/sys/fs/cgroup';

function hierarchies(root: string): string[] {
  if (existsSync(join(root, 'cgroup.controllers'))) return [root];
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => join(root, e.name));
}

/** rmdir `<hierarchy>/<cgroupPath>` with its children in every hierarchy; returns the dirs that stayed (busy). */
export function removeCgroup(cgroupPath: string, root = CGROUP_ROOT): string[] {
  const left: string[] = [];
  const rel = cgroupPath.replace(/^\/+/, '');
  if (!rel) throw new Error('refusing to remove the root cgroup');
  const rmTree = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) rmTree(join(dir, e.name));
    try {
      rmdirSync(dir);
    } catch {
      left.push(dir);
    }
  };
  for (const h of hierarchies(root)) rmTree(join(h, rel));
  return left;
}
