// Registering the Node and reporting its status: the node is created (or, when it exists,
// its labels, addresses and capacity are brought up to date), then its status is patched
// whenever it changes — checked every --node-status-update-frequency — and at least every
// --node-status-report-frequency as a heartbeat. Ready is False with the reason when the CRI
// Status call fails or the runtime or network is not ready.

import type { Node, NodeStatus } from '../../api/types.js';
import { isAlreadyExists, isNotFound } from '../../client/errors.js';
import type { ApiClient } from '../../client/interfaces.js';
import type { Logger } from '../../client/log.js';
import type { CriClient } from '../cri/client.js';
import { fsInfo, hostInfo, pidMax, processCount, readMeminfo, type HostInfo } from './host-info.js';
import { newNode, nodeLabels, nodeStatus, statusChanged, type Health, type NodeIdentity } from './node-object.js';

export interface NodeStatusOptions {
  client: ApiClient;
  cri: CriClient;
  id: NodeIdentity;
  rootDir: string;
  updateFrequencyMs: number;
  reportFrequencyMs: number;
  /** Memory available below this is MemoryPressure (eviction-hard memory.available). */
  memoryAvailableMinBytes?: number;
  /** Free space fraction of the root-dir filesystem below this is DiskPressure (nodefs.available). */
  diskAvailableMinFraction?: number;
  log: Logger;
  /** Called with every Node this reporter writes or reads (e.g. to learn spec.podCIDR). */
  onNode?(node: Node): void;
}

export class NodeStatusReporter {
  private host: HostInfo = hostInfo();
  private lastReported?: NodeStatus;
  private lastReportAt = 0;
  private runtimeVersion = '';
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly o: NodeStatusOptions) {}

  private async health(): Promise<Health> {
    let runtimeProblem: string | undefined;
    try {
      const st = await this.o.cri.status();
      if (!this.runtimeVersion) this.runtimeVersion = (await this.o.cri.version()).runtime_version;
      const bad = (st.status?.conditions ?? []).filter((c) => (c.type === 'RuntimeReady' || c.type === 'NetworkReady') && !c.status);
      if (bad.length) runtimeProblem = bad.map((c) => `container runtime ${c.type === 'NetworkReady' ? 'network' : 'status'} check may not have completed yet: ${c.type}=false reason:${c.reason} message:${c.message}`).join('; ');
    } catch (err) {
      runtimeProblem = `container runtime is down: ${(err as Error).message}`;
    }
    const mem = readMeminfo();
    const fs = fsInfo(this.o.rootDir);
    return {
      runtimeProblem,
      memoryPressure: mem.availableBytes < (this.o.memoryAvailableMinBytes ?? 100 * 1024 * 1024),
      diskPressure: fs.availableBytes < fs.capacityBytes * (this.o.diskAvailableMinFraction ?? 0.1),
      pidPressure: processCount() > pidMax() * 0.9,
    };
  }

  private async desired(old: NodeStatus | undefined): Promise<NodeStatus> {
    this.host = { ...this.host, memory: readMeminfo() };
    const health = await this.health();
    return nodeStatus({ id: this.o.id, host: this.host, fs: fsInfo(this.o.rootDir), runtimeVersion: this.runtimeVersion || 'unknown', health, old, now: new Date() });
  }

  /** Creates the Node, or updates labels and status of the one already there. */
  async register(): Promise<Node> {
    const nodes = this.o.client.for<Node>('nodes');
    const status = await this.desired(undefined);
    try {
      const created = await nodes.create(undefined, newNode(this.o.id, this.host, status));
      this.o.log.info({ node: this.o.id.name }, 'node registered');
      this.o.onNode?.(created);
      // The API server may drop status on create: report it through /status.
      return await this.report(true, created);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
    const existing = await nodes.get(undefined, this.o.id.name);
    const labels = { ...(existing.metadata?.labels ?? {}), ...nodeLabels(this.o.id, this.host) };
    const patched = await nodes.patch(undefined, this.o.id.name, 'merge', { metadata: { labels }, ...(this.o.id.podCidr && !existing.spec?.podCIDR ? { spec: { podCIDR: this.o.id.podCidr, podCIDRs: [this.o.id.podCidr] } } : {}) });
    this.o.onNode?.(patched);
    return await this.report(true, patched);
  }

  /** Patches the status when it changed or the report is due; returns the Node as written or read. */
  async report(force = false, current?: Node): Promise<Node> {
    const nodes = this.o.client.for<Node>('nodes');
    const node = current ?? (await nodes.get(undefined, this.o.id.name));
    this.o.onNode?.(node);
    const next = await this.desired(this.lastReported ?? node.status);
    const due = Date.now() - this.lastReportAt >= this.o.reportFrequencyMs;
    if (!force && !due && !statusChanged(this.lastReported ?? node.status, next)) return node;
    const written = await nodes.patch(undefined, this.o.id.name, 'merge', { status: next }, { subresource: 'status' });
    this.lastReported = written.status ?? next;
    this.lastReportAt = Date.now();
    this.o.onNode?.(written);
    return written;
  }

  start(): void {
    const loop = async (): Promise<void> => {
      if (this.stopped) return;
      try {
        await this.report();
      } catch (err) {
        if (isNotFound(err)) {
          // Someone deleted our Node: register again, as the kubelet does.
          await this.register().catch((e: unknown) => this.o.log.warn({ err: (e as Error).message }, 're-registration failed'));
        } else {
          this.o.log.warn({ err: (err as Error).message }, 'node status update failed');
        }
      }
      if (!this.stopped) this.timer = setTimeout(() => void loop(), this.o.updateFrequencyMs);
    };
    this.timer = setTimeout(() => void loop(), this.o.updateFrequencyMs);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
