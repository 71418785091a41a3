// Taking a node's runtime down without leaving anything behind. Stopping containerd is not
// enough: shims and the containers under them survive it (by design), overlay and netns
// mounts stay under its state dir, and the pod cgroups stay in every hierarchy. Used by
// `skiff down` and by the test harness.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';

function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Every mount point at or under `dir`, deepest first. */
export function mountsUnder(dir: string): string[] {
  const points = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((p): p is string => !!p && (p === dir || p.startsWith(`${dir}/`)));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/** Lazily unmounts everything under `dir` (container rootfs, pod netns and shm mounts). */
export function unmountUnder(dir: string): number {
  let n = 0;
  for (const m of mountsUnder(dir)) {
    try {
      sh('umount', ['-l', m]);
      n++;
    } catch {
      // already unmounted
    }
  }
  return n;
}

/** Kills the shims of the containerd listening on `socket` (their argv names it). */
export function killShims(socket: string): number {
  let n = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (argv[0].includes('containerd-shim') && argv.includes(socket)) {
        process.kill(Number(pid), 'SIGKILL');
        n++;
      }
    } catch {
      // gone meanwhile
    }
  }
  return n;
}

/** Force-deletes every container runc knows under `runcRoot` (one subdirectory per containerd namespace). */
export function killRuncContainers(runcRoot: string): number {
  if (!existsSync(runcRoot)) return 0;
  let n = 0;
  for (const ns of readdirSync(runcRoot)) {
    const root = join(runcRoot, ns);
    let list: { id: string }[] = [];
    try {
      list = JSON.parse(sh('runc', ['--root', root, 'list', '--format', 'json']) || '[]') ?? [];
    } catch {
      continue;
    }
    for (const { id } of list) {
      try {
        sh('runc', ['--root', root, 'delete', '--force', id]);
        n++;
      } catch {
        // already gone
      }
    }
  }
  return n;
}

/** rmdir `/sys/fs/cgroup/<ctrl>/<rel>` (and below it when `recursive`) in every hierarchy, v1 or v2. */
export function removeCgroupTree(rel: string, recursive = true): void {
  const base = '/sys/fs/cgroup';
  const hierarchies = existsSync(join(base, 'cgroup.controllers')) ? [base] : readdirSync(base).map((c) => join(base, c));
  const rmTree = (dir: string): void => {
    if (!existsSync(dir)) return;
    if (recursive) for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) rmTree(join(dir, e.name));
    try {
      rmdirSync(dir);
    } catch {
      // busy (a process is still in it) or not a cgroup directory
    }
  };
  for (const h of hierarchies) rmTree(join(h, rel));
}
