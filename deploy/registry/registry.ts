// The cluster image registry: Debian's docker-registry (distribution 2.8) with a generated
// config — filesystem storage under a data dir, no auth, listening on the address given.
// Started as a child process whose PID the caller keeps; stopped by that PID.

import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

export interface RegistryOptions {
  /** Storage and config live here. */
  dataDir: string;
  /** host:port to listen on (an address of the root namespace the nodes can reach). */
  listen: string;
  binary?: string;
}

export interface RegistryProcess {
  pid: number;
  /** `http://host:port` */
  url: string;
  stop(): Promise<void>;
}

export function registryConfig(dataDir: string, listen: string): string {
  return stringify({
    version: 0.1,
    log: { level: 'warn', accesslog: { disabled: true } },
    storage: { filesystem: { rootdirectory: join(dataDir, 'storage') }, delete: { enabled: true }, cache: { blobdescriptor: 'inmemory' } },
    http: { addr: listen, headers: { 'X-Content-Type-Options': ['nosniff'] } },
  });
}

async function waitReady(url: string, pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    try {
      process.kill(pid, 0);
    } catch {
      throw new Error(`docker-registry (pid ${pid}) exited before serving ${url}`);
    }
    if (Date.now() > deadline) throw new Error(`docker-registry did not answer on ${url} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function stopPid(pid: number, timeoutMs = 10_000): Promise<void> {
  const alive = (): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  if (alive()) process.kill(pid, 'SIGKILL');
}

export async function startRegistry(opts: RegistryOptions): Promise<RegistryProcess> {
  mkdirSync(opts.dataDir, { recursive: true });
  const configPath = join(opts.dataDir, 'config.yml');
  writeFileSync(configPath, registryConfig(opts.dataDir, opts.listen));
  const log = openSync(join(opts.dataDir, 'registry.log'), 'a');
  const child = spawn(opts.binary ?? 'docker-registry', ['serve', configPath], { stdio: ['ignore', log, log], detached: true });
  closeSync(log);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error('docker-registry did not start');
  const url = `http://${opts.listen}`;
  try {
    await waitReady(url, pid, 15_000);
  } catch (err) {
    await stopPid(pid);
    throw err;
  }
  return { pid, url, stop: () => stopPid(pid) };
}
