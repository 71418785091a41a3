// The processes of a local cluster: started detached with their output in a log file and
// their PID recorded, found again by a later `skiff` run, and stopped by that PID. A record
// also keeps the process's start time, so a reused PID is never mistaken for ours.

import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface ProcessRecord {
  name: string;
  pid: number;
  /** Field 22 of /proc/PID/stat: clock ticks since boot when the process started. */
  startTicks: string;
  command: string[];
  log: string;
}

export interface StartSpec {
  name: string;
  command: string;
  args: string[];
  log: string;
  pidFile: string;
  /** Run inside this network namespace (`nsenter --net=`: only the netns changes). */
  netnsPath?: string;
  env?: NodeJS.ProcessEnv;
}

function startTicksOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; fields after it are space-separated.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export function readRecord(pidFile: string): ProcessRecord | undefined {
  if (!existsSync(pidFile)) return undefined;
  try {
    return JSON.parse(readFileSync(pidFile, 'utf8')) as ProcessRecord;
  } catch {
    return undefined;
  }
}

/** The recorded process if it is still the one we started. */
export function runningProcess(pidFile: string): ProcessRecord | undefined {
  const rec = readRecord(pidFile);
  if (!rec) return undefined;
  return startTicksOf(rec.pid) === rec.startTicks ? rec : undefined;
}

export function startProcess(spec: StartSpec): ProcessRecord {
  mkdirSync(dirname(spec.log), { recursive: true });
  mkdirSync(dirname(spec.pidFile), { recursive: true });
  const command = spec.netnsPath ? ['nsenter', `--net=${spec.netnsPath}`, spec.command, ...spec.args] : [spec.command, ...spec.args];
  const logFd = openSync(spec.log, 'a');
  try {
    const child = spawn(command[0], command.slice(1), {
      detached: true,
      stdio: ['ignore', logFd, logFd],
      env: spec.env ?? process.env,
    });
    if (child.pid === undefined) throw new Error(`could not start ${spec.name} (${command.join(' ')})`);
    child.unref();
    const record: ProcessRecord = {
      name: spec.name,
      pid: child.pid,
      startTicks: startTicksOf(child.pid) ?? '',
      command,
      log: spec.log,
    };
    writeFileSync(spec.pidFile, JSON.stringify(record, null, 2));
    return record;
  } finally {
    closeSync(logFd);
  }
}

function alive(rec: ProcessRecord): boolean {
  return startTicksOf(rec.pid) === rec.startTicks;
}

/** SIGTERM, then SIGKILL after `graceMs`; removes the PID file. Resolves once the process is gone. */
export async function stopProcess(pidFile: string, graceMs = 10_000): Promise<'stopped' | 'not running'> {
  const rec = runningProcess(pidFile);
  if (!rec) {
    rmSync(pidFile, { force: true });
    return 'not running';
  }
  process.kill(rec.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive(rec) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive(rec)) {
    process.kill(rec.pid, 'SIGKILL');
    while (alive(rec)) await new Promise((r) => setTimeout(r, 50));
  }
  rmSync(pidFile, { force: true });
  return 'stopped';
}

/** The last lines of a log file, for error messages that point at the cause. */
export function tailOf(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
