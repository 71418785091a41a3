// The node agent, wired: registers the Node and keeps its status and Lease, writes the CNI
// config once the pod CIDR is known and routes to the other nodes, and runs this node's pods —
// one serialized worker per pod uid fed by the pod watch (spec.nodeName=<node>), the PLEG
// relist and back-off timers — reporting each pod's status through /status when it changes.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import type { ConfigMap, Node, Pod, PodStatus, Secret, Service } from '../api/types.js';
import { isConflict, isNotFound } from '../client/errors.js';
import { createInformer } from '../client/informer.js';
import type { ApiClient, EventRecorder, Informer } from '../client/interfaces.js';
import { createLogger, type Logger } from '../client/log.js';
import { createWorkQueue } from '../client/workqueue.js';
import { CriClient } from './cri/client.js';
import { CriError } from './cri/errors.js';
import { ImageGc } from './images/gc.js';
import { writeCniConfig } from './network/cni-config.js';
import { desiredRoutes, syncRoutes } from './network/routes.js';
import { NodeLease } from './node/lease.js';
import { NodeStatusReporter } from './node/node-status.js';
import { Backoff } from './pod/backoff.js';
import type { EnvSources } from './pod/env.js';
import { ImagePuller } from './pod/images.js';
import { Pleg } from './pod/pleg.js';
import { parseResolvConf } from './pod/sandbox-config.js';
import { PodSyncer } from './pod/sync.js';
import { ProbeManager } from './prober/manager.js';
import { KubeletMetrics } from './server/metrics.js';
import { hostInfo } from './node/host-info.js';
import { createCA, issueServingCert } from '../client/pki.js';
import { startKubeletServer, type KubeletServer } from './server/server.js';
import { StatsProvider } from './server/stats.js';

export interface KubeletConfig {
  nodeName: string;
  nodeIp: string;
  rootDir: string;
  runtimeEndpoint: string;
  podCidr?: string;
  clusterDns: string[];
  clusterDomain: string;
  resolvConf: string;
  cniConfDir: string;
  port: number;
  maxPods: number;
  nodeStatusUpdateFrequencyMs: number;
  nodeStatusReportFrequencyMs: number;
  nodeLeaseRenewIntervalMs: number;
  plegRelistPeriodMs: number;
  syncFrequencyMs: number;
  restartBackoffBaseMs: number;
  restartBackoffMaxMs: number;
  imageGcHighThresholdPercent: number;
  imageGcLowThresholdPercent: number;
  imageGcPeriodMs: number;
  sandboxImage: string;
  /** Manage routes to other nodes' pod CIDRs in this network namespace. */
  manageRoutes: boolean;
  podWorkers: number;
  nodeLabels?: Record<string, string>;
  /** Serve the kubelet API on `address:port` (port 0: a free one); off when undefined. */
  serve?: { address: string; certPem?: string; keyPem?: string; clientCaPem?: string };
}

export const DEFAULTS: Omit<KubeletConfig, 'nodeName' | 'nodeIp' | 'rootDir' | 'runtimeEndpoint'> = {
  clusterDns: [],
  clusterDomain: 'cluster.local',
  resolvConf: '/etc/resolv.conf',
  cniConfDir: '/etc/cni/net.d',
  port: 10250,
  maxPods: 110,
  nodeStatusUpdateFrequencyMs: 10_000,
  nodeStatusReportFrequencyMs: 60_000,
  nodeLeaseRenewIntervalMs: 10_000,
  plegRelistPeriodMs: 1_000,
  syncFrequencyMs: 60_000,
  restartBackoffBaseMs: 10_000,
  restartBackoffMaxMs: 300_000,
  imageGcHighThresholdPercent: 85,
  imageGcLowThresholdPercent: 80,
  imageGcPeriodMs: 300_000,
  sandboxImage: 'registry.k8s.io/pause:3.10',
  manageRoutes: true,
  podWorkers: 10,
};

/** Whether an update changed anything but status (and the bookkeeping fields every write moves). */
export function podChanged(a: Pod, b: Pod): boolean {
  const strip = (p: Pod): string => {
    const { resourceVersion: _rv, managedFields: _mf, ...meta } = p.metadata ?? {};
    return JSON.stringify([meta, p.spec]);
  };
  return strip(a) !== strip(b);
}

export class Kubelet {
  readonly cri: CriClient;
  readonly log: Logger;
  readonly metrics: KubeletMetrics;
  readonly probes: ProbeManager;
  readonly syncer: PodSyncer;
  readonly pleg: Pleg;
  private readonly queue = createWorkQueue<string>({ name: 'kubelet_pods' });
  private readonly podsByUid = new Map<string, Pod>();
  /** The status last written per pod uid, so an unchanged one is not written again. */
  private readonly written = new Map<string, string>();
  /** When each pod was first seen (for the startup latency metric). */
  private readonly firstSeen = new Map<string, number>();
  private podInformer?: Informer<Pod>;
  private nodeInformer?: Informer<Node>;
  private serviceInformer?: Informer<Service>;
  private nodeStatus?: NodeStatusReporter;
  private lease?: NodeLease;
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;
  private podCidr?: string;
  private imageGc: ImageGc;
  private readonly registry: Registry;
  readonly stats: StatsProvider;
  server?: KubeletServer;

  constructor(
    readonly config: KubeletConfig,
    private readonly client: ApiClient,
    private readonly recorder?: EventRecorder,
    registry: Registry = new Registry(),
  ) {
    this.log = createLogger('kubelet');
    this.cri = new CriClient(config.runtimeEndpoint);
    this.registry = registry;
    this.metrics = new KubeletMetrics(registry);
    this.stats = new StatsProvider(this.cri, config.nodeName, config.rootDir);
    const host = hostInfo();
    this.probes = new ProbeManager({
      cri: this.cri,
      onChange: (uid, container, kind, ok, output) => {
        const pod = this.podsByUid.get(uid);
        if (pod && !ok) this.recorder?.event(pod, 'Warning', 'Unhealthy', `${kind[0].toUpperCase()}${kind.slice(1)} probe failed: ${output}`.slice(0, 1024));
        this.log.debug({ uid, container, kind, ok }, 'probe result');
        this.queue.add(uid);
      },
    });
    const restartBackoff = new Backoff(config.restartBackoffBaseMs, config.restartBackoffMaxMs);
    const sources: EnvSources = {
      configMap: (ns, name) => this.getOptional<ConfigMap>('configmaps', ns, name),
      secret: (ns, name) => this.getOptional<Secret>('secrets', ns, name),
      services: async () => this.serviceInformer?.lister.list() ?? [],
    };
    let hostDns = { servers: [] as string[], searches: [] as string[], options: [] as string[] };
    try {
      hostDns = { servers: [], searches: [], options: [], ...parseResolvConf(readFileSync(config.resolvConf, 'utf8')) };
    } catch {
      // no resolv.conf: pods with dnsPolicy Default get an empty resolver
    }
    this.syncer = new PodSyncer({
      cri: this.cri,
      nodeIp: config.nodeIp,
      sandbox: { nodeName: config.nodeName, rootDir: config.rootDir, clusterDns: config.clusterDns, clusterDomain: config.clusterDomain, hostDns },
      nodeMemoryBytes: host.memory.totalBytes,
      nodeAllocatable: { cpuMillis: host.cpus * 1000, memoryBytes: host.memory.totalBytes },
      sources,
      images: new ImagePuller(this.cri, new Backoff(config.restartBackoffBaseMs, config.restartBackoffMaxMs)),
      restartBackoff,
      probes: this.probes,
      recorder,
      log: this.log,
    });
    this.pleg = new Pleg(this.cri, config.plegRelistPeriodMs, (uid) => this.queue.add(uid), this.log);
    this.imageGc = new ImageGc({ cri: this.cri, highThresholdPercent: config.imageGcHighThresholdPercent, lowThresholdPercent: config.imageGcLowThresholdPercent, pinned: [config.sandboxImage], log: this.log });
  }

  private async getOptional<T extends ConfigMap | Secret>(resource: string, ns: string, name: string): Promise<T | undefined> {
    try {
      return await this.client.for<T>(resource).get(ns, name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Pods this kubelet knows from the API, by uid. */
  pods(): Pod[] {
    return [...this.podsByUid.values()];
  }

  podByName(namespace: string, name: string): Pod | undefined {
    return this.pods().find((p) => p.metadata?.namespace === namespace && p.metadata?.name === name);
  }

  private async waitForRuntime(): Promise<void> {
    for (let i = 0; ; i++) {
      try {
        await this.cri.version();
        return;
      } catch (err) {
        if (this.stopped) throw err;
        if (i % 20 === 0) this.log.warn({ err: (err as Error).message }, 'waiting for the container runtime');
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  private onNode(node: Node): void {
    const cidr = node.spec?.podCIDR ?? this.config.podCidr;
    if (cidr && cidr !== this.podCidr) {
      this.podCidr = cidr;
      const changed = writeCniConfig(this.config.cniConfDir, { podCidr: cidr, ipamDataDir: join(this.config.rootDir, 'cni', 'ipam') });
      if (changed) this.log.info({ podCidr: cidr }, 'CNI config written');
    }
  }

  private async syncNodeRoutes(): Promise<void> {
    if (!this.config.manageRoutes || !this.nodeInformer) return;
    try {
      const { added, removed } = await syncRoutes(desiredRoutes(this.nodeInformer.lister.list(), this.config.nodeName));
      if (added.length || removed.length) this.log.info({ added, removed }, 'pod CIDR routes');
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'route sync failed');
    }
  }

  async start(): Promise<void> {
    const c = this.config;
    await this.waitForRuntime();
    this.nodeStatus = new NodeStatusReporter({
      client: this.client,
      cri: this.cri,
      id: { name: c.nodeName, nodeIp: c.nodeIp, kubeletPort: c.port, maxPods: c.maxPods, podCidr: c.podCidr, labels: c.nodeLabels },
      rootDir: c.rootDir,
      updateFrequencyMs: c.nodeStatusUpdateFrequencyMs,
      reportFrequencyMs: c.nodeStatusReportFrequencyMs,
      log: this.log,
      onNode: (n) => this.onNode(n),
    });
    if (c.podCidr) this.onNode({ spec: { podCIDR: c.podCidr } });
    await this.nodeStatus.register();
    this.nodeStatus.start();
    this.lease = new NodeLease({ client: this.client, nodeName: c.nodeName, renewIntervalMs: c.nodeLeaseRenewIntervalMs, log: this.log });
    this.lease.start();

    this.serviceInformer = createInformer<Service>(this.client, this.client.for('services').type, { logger: this.log });
    this.nodeInformer = createInformer<Node>(this.client, this.client.for('nodes').type, { logger: this.log });
    this.nodeInformer.addEventHandler({
      onAdd: (n) => {
        if (n.metadata?.name === c.nodeName) this.onNode(n);
        void this.syncNodeRoutes();
      },
      onUpdate: (_o, n) => {
        if (n.metadata?.name === c.nodeName) this.onNode(n);
        void this.syncNodeRoutes();
      },
      onDelete: () => void this.syncNodeRoutes(),
    });
    this.podInformer = createInformer<Pod>(this.client, this.client.for('pods').type, { fieldSelector: `spec.nodeName=${c.nodeName}`, logger: this.log });
    this.podInformer.addEventHandler({
      onAdd: (p) => this.observe(p),
      onUpdate: (o, p) => this.observe(p, o),
      onDelete: (p) => {
        const uid = p.metadata?.uid ?? '';
        this.podsByUid.delete(uid);
        this.queue.add(uid);
      },
    });
    this.serviceInformer.start();
    this.nodeInformer.start();
    this.podInformer.start();
    await Promise.all([this.serviceInformer.waitForSync(), this.podInformer.waitForSync(), this.nodeInformer.waitForSync()]);

    for (let i = 0; i < c.podWorkers; i++) void this.worker();
    // Only after the pod list is in: the first relist then finds pods deleted while we were down.
    // It completes before the server answers, so /healthz is true from the first request.
    await this.pleg.relist().catch((err: unknown) => this.log.warn({ err: (err as Error).message }, 'first relist failed'));
    this.pleg.start();
    this.every(c.syncFrequencyMs, () => {
      for (const uid of this.podsByUid.keys()) this.queue.add(uid);
    });
    this.every(c.imageGcPeriodMs, () => {
      void this.imageGc.run().catch((err: unknown) => this.log.warn({ err: (err as Error).message }, 'image gc failed'));
    });
    if (c.serve) await this.startServer(c.serve);
    this.log.info({ node: c.nodeName, pods: this.podsByUid.size, url: this.server?.url }, 'kubelet started');
  }

  private async startServer(serve: NonNullable<KubeletConfig['serve']>): Promise<void> {
    let cert = serve.certPem;
    let key = serve.keyPem;
    if (!cert || !key) {
      // No certificate given: a self-signed one for the node's names, as the kubelet does.
      const ca = await createCA(`${this.config.nodeName}-ca`);
      const pair = await issueServingCert(ca, { commonName: this.config.nodeName, hosts: [this.config.nodeIp, this.config.nodeName, '127.0.0.1', 'localhost'] });
      cert = pair.certPem;
      key = pair.keyPem;
    }
    this.server = await startKubeletServer(
      {
        cri: this.cri,
        podByName: (ns, name) => this.podByName(ns, name),
        pods: () => this.pods(),
        registry: this.registry,
        stats: this.stats,
        healthy: async () => this.pleg.healthy() && (await this.cri.version().then(() => true, () => false)),
        log: this.log,
      },
      { address: serve.address, port: this.config.port, cert, key, clientCa: serve.clientCaPem },
    );
  }

  private every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref();
    this.timers.push(t);
  }

  private observe(p: Pod, old?: Pod): void {
    const uid = p.metadata?.uid ?? '';
    if (!this.firstSeen.has(uid)) this.firstSeen.set(uid, Date.now());
    this.podsByUid.set(uid, p);
    // Our own status writes come back as updates: only a change of spec or metadata is work.
    if (!old || podChanged(old, p)) this.queue.add(uid);
  }

  private async worker(): Promise<void> {
    for (;;) {
      const uid = await this.queue.get();
      if (uid === undefined) return;
      const started = Date.now();
      try {
        await this.syncUid(uid);
        this.queue.forget(uid);
      } catch (err) {
        if (!this.stopped) {
          // While the runtime is down every pod fails the same way: the node's Ready condition says so once.
          const level = err instanceof CriError && err.unavailable ? 'debug' : 'warn';
          this.log[level]({ uid, err: (err as Error).message }, 'pod sync failed');
          this.queue.addRateLimited(uid);
        }
      } finally {
        this.metrics.syncDuration.observe((Date.now() - started) / 1000);
        this.queue.done(uid);
      }
    }
  }

  private async syncUid(uid: string): Promise<void> {
    const pod = this.podsByUid.get(uid);
    if (!pod) {
      // Gone from the API (force-deleted, or deleted while we were down): clean up what the runtime holds.
      const ref = this.pleg.runtimePods().get(uid);
      if (ref) await this.syncer.terminatePod(ref, 0);
      this.written.delete(uid);
      this.firstSeen.delete(uid);
      return;
    }
    const meta = pod.metadata ?? {};
    if (meta.deletionTimestamp) {
      const grace = meta.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
      await this.syncer.terminatePod(pod, grace);
      try {
        await this.client.for<Pod>('pods').delete(meta.namespace, meta.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid } });
      } catch (err) {
        if (!isNotFound(err) && !isConflict(err)) throw err;
      }
      return;
    }
    const res = await this.syncer.syncPod(pod);
    this.pleg.observed(uid, res.runtime.sandboxes, res.runtime.containers);
    await this.writeStatus(pod, res.status);
    if (res.retryAfterMs > 0) this.queue.addAfter(uid, res.retryAfterMs);
  }

  private async writeStatus(pod: Pod, status: PodStatus): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    const text = JSON.stringify(status);
    if (text === this.written.get(uid) || text === JSON.stringify(pod.status ?? {})) return;
    await this.client.for<Pod>('pods').patch(pod.metadata?.namespace, pod.metadata?.name ?? '', 'merge', { status }, { subresource: 'status' });
    this.written.set(uid, text);
    if (status.phase === 'Running' && pod.status?.phase !== 'Running') {
      const seen = this.firstSeen.get(uid);
      if (seen) this.metrics.podStartDuration.observe((Date.now() - seen) / 1000);
    }
  }

  /** Stops every loop; pods keep running (a restarted kubelet adopts them). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.pleg.stop();
    this.probes.stop();
    this.nodeStatus?.stop();
    this.lease?.stop();
    this.podInformer?.stop();
    this.nodeInformer?.stop();
    this.serviceInformer?.stop();
    this.queue.shutDown();
    await this.server?.close();
    this.cri.close();
  }
}
