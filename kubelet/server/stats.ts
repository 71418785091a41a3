// The Summary API (/stats/summary) and cAdvisor-style metrics (/metrics/cadvisor) from CRI
// stats: per pod and container cpu (usageNanoCores, usageCoreNanoSeconds) and memory
// (workingSetBytes, rssBytes, usageBytes), pod network rx/tx, and node totals from /proc.

import { readFileSync } from 'node:fs';
import { Counter, Gauge, Registry } from 'prom-client';
import type { CriClient } from '../cri/client.js';
import type { ContainerStats, CpuUsage, MemoryUsage, PodSandboxStats } from '../cri/types.js';
import { fsInfo, readMeminfo } from '../node/host-info.js';
import { CONTAINER_NAME, MANAGED_BY, MANAGED_BY_VALUE, POD_NAME, POD_NAMESPACE, POD_UID } from '../pod/labels.js';
import { nsToMs } from '../pod/runtime-state.js';

const u = (v: { value: string } | null | undefined): number | undefined => (v ? Number(v.value) : undefined);
const time = (ns: string | undefined): string => new Date(nsToMs(ns) || Date.now()).toISOString();

export function cpuStats(c: CpuUsage | null | undefined): object | undefined {
  if (!c) return undefined;
  return { time: time(c.timestamp), usageNanoCores: u(c.usage_nano_cores) ?? 0, usageCoreNanoSeconds: u(c.usage_core_nano_seconds) ?? 0 };
}

export function memoryStats(m: MemoryUsage | null | undefined): object | undefined {
  if (!m) return undefined;
  return {
    time: time(m.timestamp),
    availableBytes: u(m.available_bytes),
    usageBytes: u(m.usage_bytes) ?? 0,
    workingSetBytes: u(m.working_set_bytes) ?? 0,
    rssBytes: u(m.rss_bytes) ?? 0,
    pageFaults: u(m.page_faults) ?? 0,
    majorPageFaults: u(m.major_page_faults) ?? 0,
  };
}

interface NodeCpuSample {
  atMs: number;
  coreNs: number;
}

/** Cumulative busy CPU time of the host from /proc/stat (ticks of 1/100 s). */
export function hostCpuCoreNs(stat = readFileSync('/proc/stat', 'utf8')): number {
  const f = (stat.split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = f;
  return ((user + nice + system + irq + softirq + (steal ?? 0)) * 1e9) / 100;
}

export interface PodStatsRow {
  uid: string;
  name: string;
  namespace: string;
  sandbox: PodSandboxStats;
  containers: ContainerStats[];
}

export class StatsProvider {
  private lastCpu?: NodeCpuSample;

  constructor(
    private readonly cri: CriClient,
    private readonly nodeName: string,
    private readonly rootDir: string,
    private readonly startTime = new Date(),
  ) {}

  async podStats(): Promise<PodStatsRow[]> {
    const selector = { [MANAGED_BY]: MANAGED_BY_VALUE };
    const [sandboxes, containers] = await Promise.all([this.cri.listPodSandboxStats({ label_selector: selector }), this.cri.listContainerStats({ label_selector: selector })]);
    const byUid = new Map<string, ContainerStats[]>();
    for (const c of containers) {
      const uid = c.attributes?.labels[POD_UID];
      if (uid) byUid.set(uid, [...(byUid.get(uid) ?? []), c]);
    }
    return sandboxes
      .filter((s) => s.attributes?.labels[POD_UID])
      .map((s) => {
        const l = s.attributes?.labels ?? {};
        return { uid: l[POD_UID], name: l[POD_NAME] ?? '', namespace: l[POD_NAMESPACE] ?? '', sandbox: s, containers: byUid.get(l[POD_UID]) ?? [] };
      });
  }

  private nodeCpu(): object {
    const now = Date.now();
    const coreNs = hostCpuCoreNs();
    const prev = this.lastCpu;
    this.lastCpu = { atMs: now, coreNs };
    const usageNanoCores = prev && now > prev.atMs ? Math.round(((coreNs - prev.coreNs) / (now - prev.atMs)) * 1e6) : 0;
    return { time: new Date(now).toISOString(), usageNanoCores, usageCoreNanoSeconds: Math.round(coreNs) };
  }

  async summary(): Promise<object> {
    const [rows, imageFs] = await Promise.all([this.podStats(), this.cri.imageFsInfo()]);
    const mem = readMeminfo();
    const meminfo = readFileSync('/proc/meminfo', 'utf8');
    const kb = (k: string): number => Number(new RegExp(`^${k.replace(/[()]/g, '\\$&')}:\\s+(\\d+)`, 'm').exec(meminfo)?.[1] ?? 0) * 1024;
    const usage = mem.totalBytes - kb('MemFree');
    const fs = fsInfo(this.rootDir);
    const now = new Date().toISOString();
    const imgFs = imageFs.image_filesystems[0];
    let imageFsStats: object | undefined;
    if (imgFs?.fs_id?.mountpoint) {
      const f = fsInfo(imgFs.fs_id.mountpoint);
      imageFsStats = { time: now, availableBytes: f.availableBytes, capacityBytes: f.capacityBytes, usedBytes: u(imgFs.used_bytes) ?? 0, inodesFree: f.inodesFree, inodes: f.inodes, inodesUsed: u(imgFs.inodes_used) ?? 0 };
    }
    return {
      node: {
        nodeName: this.nodeName,
        startTime: this.startTime.toISOString(),
        cpu: this.nodeCpu(),
        memory: { time: now, availableBytes: mem.availableBytes, usageBytes: usage, workingSetBytes: usage - kb('Inactive(file)'), rssBytes: kb('AnonPages'), pageFaults: 0, majorPageFaults: 0 },
        fs: { time: now, availableBytes: fs.availableBytes, capacityBytes: fs.capacityBytes, usedBytes: fs.capacityBytes - fs.availableBytes, inodesFree: fs.inodesFree, inodes: fs.inodes, inodesUsed: fs.inodes - fs.inodesFree },
        runtime: imageFsStats ? { imageFs: imageFsStats } : {},
      },
      pods: rows.map((r) => {
        const net = r.sandbox.linux?.network;
        const iface = (i: { name: string; rx_bytes: { value: string } | null; tx_bytes: { value: string } | null; rx_errors: { value: string } | null; tx_errors: { value: string } | null }) => ({
          name: i.name,
          rxBytes: u(i.rx_bytes) ?? 0,
          rxErrors: u(i.rx_errors) ?? 0,
          txBytes: u(i.tx_bytes) ?? 0,
          txErrors: u(i.tx_errors) ?? 0,
        });
        return {
          podRef: { name: r.name, namespace: r.namespace, uid: r.uid },
          startTime: time(undefined),
          containers: r.containers.map((c) => ({
            name: c.attributes?.labels[CONTAINER_NAME] ?? c.attributes?.metadata?.name ?? '',
            startTime: time(c.cpu?.timestamp),
            cpu: cpuStats(c.cpu),
            memory: memoryStats(c.memory),
            rootfs: c.writable_layer ? { time: time(c.writable_layer.timestamp), usedBytes: u(c.writable_layer.used_bytes) ?? 0, inodesUsed: u(c.writable_layer.inodes_used) ?? 0 } : undefined,
          })),
          cpu: cpuStats(r.sandbox.linux?.cpu),
          memory: memoryStats(r.sandbox.linux?.memory),
          network: net?.default_interface ? { time: time(net.timestamp), ...iface(net.default_interface), interfaces: [net.default_interface, ...net.interfaces].map(iface) } : undefined,
        };
      }),
    };
  }

  /** cAdvisor metric names and labels, over the same CRI stats. */
  async cadvisorMetrics(): Promise<{ contentType: string; body: string }> {
    const rows = await this.podStats();
    const reg = new Registry();
    const labelNames = ['container', 'pod', 'namespace', 'id', 'image', 'name'] as const;
    const cpu = new Counter({ name: 'container_cpu_usage_seconds_total', help: 'Cumulative cpu time consumed in seconds.', labelNames, registers: [reg] });
    const ws = new Gauge({ name: 'container_memory_working_set_bytes', help: 'Current working set in bytes.', labelNames, registers: [reg] });
    const rss = new Gauge({ name: 'container_memory_rss', help: 'Size of RSS in bytes.', labelNames, registers: [reg] });
    const usage = new Gauge({ name: 'container_memory_usage_bytes', help: 'Current memory usage in bytes, including all memory regardless of when it was accessed', labelNames, registers: [reg] });
    const netLabels = [...labelNames, 'interface'] as const;
    const rx = new Counter({ name: 'container_network_receive_bytes_total', help: 'Cumulative count of bytes received', labelNames: netLabels, registers: [reg] });
    const tx = new Counter({ name: 'container_network_transmit_bytes_total', help: 'Cumulative count of bytes transmitted', labelNames: netLabels, registers: [reg] });
    for (const r of rows) {
      for (const c of r.containers) {
        const labels = { container: c.attributes?.labels[CONTAINER_NAME] ?? '', pod: r.name, namespace: r.namespace, id: c.attributes?.id ?? '', image: '', name: c.attributes?.id ?? '' };
        cpu.inc(labels, (u(c.cpu?.usage_core_nano_seconds) ?? 0) / 1e9);
        ws.set(labels, u(c.memory?.working_set_bytes) ?? 0);
        rss.set(labels, u(c.memory?.rss_bytes) ?? 0);
        usage.set(labels, u(c.memory?.usage_bytes) ?? 0);
      }
      const podLabels = { container: '', pod: r.name, namespace: r.namespace, id: r.sandbox.attributes?.id ?? '', image: '', name: r.sandbox.attributes?.id ?? '' };
      const net = r.sandbox.linux?.network;
      for (const i of net ? [net.default_interface, ...net.interfaces] : []) {
        if (!i) continue;
        rx.inc({ ...podLabels, interface: i.name }, u(i.rx_bytes) ?? 0);
        tx.inc({ ...podLabels, interface: i.name }, u(i.tx_bytes) ?? 0);
      }
      if (r.sandbox.linux?.cpu) cpu.inc(podLabels, (u(r.sandbox.linux.cpu.usage_core_nano_seconds) ?? 0) / 1e9);
      if (r.sandbox.linux?.memory) ws.set(podLabels, u(r.sandbox.linux.memory.working_set_bytes) ?? 0);
    }
    return { contentType: reg.contentType, body: await reg.metrics() };
  }
}
