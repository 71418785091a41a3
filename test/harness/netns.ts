// Network namespaces a test makes for itself, removed again afterwards (also when the test
// fails: call remove() from afterAll). Commands run inside with `nsenter --net=`, not
// `ip netns exec`, which would remount /sys and hide the cgroup mounts runc needs.

import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export interface NetNs {
  name: string;
  /** `/run/netns/NAME`, for nsenter and for processes that should live inside. */
  path: string;
  /** Runs a command inside and returns its stdout; throws with stderr on failure. */
  exec(cmd: string, args: string[], input?: string): string;
  /** Starts a long-running process inside (the caller stops it by PID). */
  spawn(cmd: string, args: string[], opts?: SpawnOptions): ChildProcess;
  remove(): void;
}

function run(cmd: string, args: string[], input?: string): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.stderr?.trim() || e.message}`);
  }
}

/** Creates a namespace `skt-<prefix>-<random>` with loopback up. */
export function createNetNs(prefix: string): NetNs {
  const name = `skt-${prefix}-${randomBytes(3).toString('hex')}`.slice(0, 15);
  run('ip', ['netns', 'add', name]);
  const path = `/run/netns/${name}`;
  run('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  return {
    name,
    path,
    exec: (cmd, args, input) => run('nsenter', [`--net=${path}`, cmd, ...args], input),
    spawn: (cmd, args, opts = {}) => spawn('nsenter', [`--net=${path}`, cmd, ...args], opts),
    remove: () => {
      try {
        run('ip', ['netns', 'delete', name]);
      } catch {
        // already gone
      }
    },
  };
}

/**
 * Joins a namespace to the root namespace with a veth pair and gives both ends an address in
 * a /30 of the caller's choice (e.g. hostAddr 10.201.0.1, nsAddr 10.201.0.2). Removing the
 * namespace removes the pair.
 */
export function linkToRoot(ns: NetNs, hostIf: string, hostAddr: string, nsAddr: string, prefixLen = 30): void {
  run('ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns.name]);
  run('ip', ['addr', 'add', `${hostAddr}/${prefixLen}`, 'dev', hostIf]);
  run('ip', ['link', 'set', hostIf, 'up']);
  ns.exec('ip', ['addr', 'add', `${nsAddr}/${prefixLen}`, 'dev', 'eth0']);
  ns.exec('ip', ['link', 'set', 'eth0', 'up']);
}
