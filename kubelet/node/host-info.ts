// What the node is made of, read from the host: CPUs, memory, the root-dir filesystem,
// kernel, OS image, machine and boot ids. Feeds the Node's capacity and nodeInfo and the
// pressure conditions.

import { existsSync, readFileSync, statfsSync } from 'node:fs';
import { arch, cpus, release } from 'node:os';

export interface MemInfo {
  totalBytes: number;
  availableBytes: number;
}

export function parseMeminfo(text: string): MemInfo {
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
  return { totalBytes: kb('MemTotal'), availableBytes: kb('MemAvailable') };
}

export function readMeminfo(): MemInfo {
  return parseMeminfo(readFileSync('/proc/meminfo', 'utf8'));
}

export interface FsInfo {
  capacityBytes: number;
  availableBytes: number;
  inodes: number;
  inodesFree: number;
}

export function fsInfo(path: string): FsInfo {
  const s = statfsSync(path);
  return { capacityBytes: s.blocks * s.bsize, availableBytes: s.bavail * s.bsize, inodes: s.files, inodesFree: s.ffree };
}

function readTrim(path: string): string {
  try {
    return existsSync(path) ? readFileSync(path, 'utf8').trim() : '';
  } catch {
    return '';
  }
}

export function osImage(): string {
  const text = readTrim('/etc/os-release');
  return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text)?.[1] ?? 'Linux';
}

export function goArch(): string {
  const a = arch();
  return a === 'x64' ? 'amd64' : a === 'arm64' ? 'arm64' : a;
}

export interface HostInfo {
  cpus: number;
  memory: MemInfo;
  kernelVersion: string;
  osImage: string;
  architecture: string;
  machineID: string;
  bootID: string;
}

export function hostInfo(): HostInfo {
  return {
    cpus: cpus().length,
    memory: readMeminfo(),
    kernelVersion: release(),
    osImage: osImage(),
    architecture: goArch(),
    machineID: readTrim('/etc/machine-id'),
    bootID: readTrim('/proc/sys/kernel/random/boot_id'),
  };
}

/** Processes (threads included) on the host, for the PID pressure condition: /proc/loadavg's "running/total". */
export function processCount(): number {
  return Number(readTrim('/proc/loadavg').split(' ')[3]?.split('/')[1] ?? 0);
}

export function pidMax(): number {
  return Number(readTrim('/proc/sys/kernel/pid_max') || 32768);
}
