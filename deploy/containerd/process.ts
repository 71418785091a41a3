// Starts a node's containerd inside the node's network namespace and stops it by PID.
// `nsenter --net=` changes only the network namespace; `ip netns exec` would also remount
// /sys and hide the cgroup hierarchies runc needs.

import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { ContainerdPaths } from './config.js';

export interface ContainerdProcess {
  pid: number;
  socket: string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Starts containerd with `paths.configPath`, in `netnsPath` when given; resolves once the socket accepts. */
export async function startContainerd(paths: ContainerdPaths, netnsPath?: string, timeoutMs = 20_000): Promise<ContainerdProcess> {
  rmSync(paths.socket, { force: true });
  const log = openSync(paths.log, 'a');
  const argv = ['containerd', '--config', paths.configPath];
  const [cmd, ...args] = netnsPath ? ['nsenter', `--net=${netnsPath}`, ...argv] : argv;
  // nsenter execs containerd, so the PID is containerd's own.
  const child = spawn(cmd, args, { stdio: ['ignore', log, log], detached: true });
  closeSync(log);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error('containerd did not start');
  writeFileSync(paths.pidFile, String(pid));
  const proc: ContainerdProcess = { pid, socket: paths.socket, stop: (signal) => stopContainerd(paths, pid, signal) };
  const deadline = Date.now() + timeoutMs;
  while (!(existsSync(paths.socket) && (await socketAnswers(paths.socket)))) {
    if (!alive(pid)) throw new Error(`containerd (pid ${pid}) exited during start; see ${paths.log}`);
    if (Date.now() > deadline) {
      await proc.stop();
      throw new Error(`containerd socket ${paths.socket} not ready within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return proc;
}

/** Stops containerd by PID (shims and their containers keep running, as on a real node). */
export async function stopContainerd(paths: ContainerdPaths, pid?: number, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<void> {
  const target = pid ?? (existsSync(paths.pidFile) ? Number(readFileSync(paths.pidFile, 'utf8')) : 0);
  if (target > 0 && alive(target)) {
    process.kill(target, signal);
    const deadline = Date.now() + timeoutMs;
    while (alive(target) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    if (alive(target)) process.kill(target, 'SIGKILL');
    while (alive(target)) await new Promise((r) => setTimeout(r, 10));
  }
  rmSync(paths.pidFile, { force: true });
  rmSync(paths.socket, { force: true });
  // containerd leaves its ttrpc socket behind on shutdown.
  rmSync(`${paths.socket}.ttrpc`, { force: true });
}
