// A typed, promisified CRI v1 client over gRPC on a unix socket. Every call has a deadline
// and fails with a CriError naming the call and the object it was about. The proto is our
// own subset (proto/cri.proto), loaded at run time.

import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';
import { CriError } from './errors.js';
import type {
  AttachRequest,
  Container,
  ContainerConfig,
  ContainerFilter,
  ContainerStats,
  ContainerStatusResponse,
  ExecRequest,
  ExecSyncResponse,
  Image,
  ImageFsInfoResponse,
  LinuxContainerResources,
  PodSandbox,
  PodSandboxConfig,
  PodSandboxFilter,
  PodSandboxStats,
  PodSandboxStatusResponse,
  StatusResponse,
  VersionResponse,
} from './types.js';

const PROTO_PATH = fileURLToPath(new URL('../../proto/cri.proto', import.meta.url));

type Callback<Res> = (err: grpc.ServiceError | null, res?: Res) => void;
type Method = (req: unknown, opts: grpc.CallOptions, cb: Callback<unknown>) => grpc.ClientUnaryCall;

interface ServiceCtor {
  new (address: string, creds: grpc.ChannelCredentials, opts?: grpc.ClientOptions): grpc.Client;
}

let services: { runtime: ServiceCtor; image: ServiceCtor } | undefined;

function loadServices(): { runtime: ServiceCtor; image: ServiceCtor } {
  if (services) return services;
  const def = protoLoader.loadSync(PROTO_PATH, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { runtime: { v1: { RuntimeService: ServiceCtor; ImageService: ServiceCtor } } };
  services = { runtime: pkg.runtime.v1.RuntimeService, image: pkg.runtime.v1.ImageService };
  return services;
}

export interface CriClientOptions {
  /** Deadline for ordinary calls (ms). */
  timeoutMs?: number;
  /** Deadline for PullImage (ms): pulls move whole layers. */
  pullTimeoutMs?: number;
}

/** Normalises `unix:///path` or a bare path to the address grpc-js wants. */
export function criAddress(endpoint: string): string {
  if (endpoint.startsWith('unix://')) return `unix://${endpoint.slice('unix://'.length)}`;
  if (endpoint.startsWith('/')) return `unix://${endpoint}`;
  return endpoint;
}

export class CriClient {
  private readonly runtime: grpc.Client;
  private readonly image: grpc.Client;
  private readonly timeoutMs: number;
  private readonly pullTimeoutMs: number;

  constructor(endpoint: string, opts: CriClientOptions = {}) {
    const { runtime, image } = loadServices();
    const address = criAddress(endpoint);
    // Messages such as ListContainerStats with many pods exceed the 4 MB default.
    const channelOpts: grpc.ClientOptions = { 'grpc.max_receive_message_length': 16 * 1024 * 1024 };
    this.runtime = new runtime(address, grpc.credentials.createInsecure(), channelOpts);
    this.image = new image(address, grpc.credentials.createInsecure(), channelOpts);
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.pullTimeoutMs = opts.pullTimeoutMs ?? 600_000;
  }

  close(): void {
    this.runtime.close();
    this.image.close();
  }

  private call<Res>(client: grpc.Client, name: string, id: string, req: object, timeoutMs = this.timeoutMs): Promise<Res> {
    const method = (client as unknown as Record<string, Method>)[name];
    return new Promise<Res>((resolve, reject) => {
      method.call(client, req, { deadline: Date.now() + timeoutMs }, (err, res) => {
        if (err) reject(new CriError(name, id, err.code, err.details || err.message));
        else resolve(res as Res);
      });
    });
  }

  // ---- runtime ----

  version(): Promise<VersionResponse> {
    return this.call(this.runtime, 'Version', '', { version: 'v1' });
  }

  status(verbose = false): Promise<StatusResponse> {
    return this.call(this.runtime, 'Status', '', { verbose });
  }

  async runPodSandbox(config: PodSandboxConfig, runtimeHandler = ''): Promise<string> {
    const id = `${config.metadata.namespace}/${config.metadata.name}`;
    const res = await this.call<{ pod_sandbox_id: string }>(this.runtime, 'RunPodSandbox', id, { config, runtime_handler: runtimeHandler });
    return res.pod_sandbox_id;
  }

  async stopPodSandbox(podSandboxId: string): Promise<void> {
    await this.call(this.runtime, 'StopPodSandbox', podSandboxId, { pod_sandbox_id: podSandboxId });
  }

  async removePodSandbox(podSandboxId: string): Promise<void> {
    await this.call(this.runtime, 'RemovePodSandbox', podSandboxId, { pod_sandbox_id: podSandboxId });
  }

  podSandboxStatus(podSandboxId: string, verbose = false): Promise<PodSandboxStatusResponse> {
    return this.call(this.runtime, 'PodSandboxStatus', podSandboxId, { pod_sandbox_id: podSandboxId, verbose });
  }

  async listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]> {
    const res = await this.call<{ items: PodSandbox[] }>(this.runtime, 'ListPodSandbox', '', { filter });
    return res.items;
  }

  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    const res = await this.call<{ container_id: string }>(this.runtime, 'CreateContainer', `${podSandboxId}/${config.metadata.name}`, {
      pod_sandbox_id: podSandboxId,
      config,
      // containerd 1.6.20 dereferences this without a nil check: never omit it.
      sandbox_config: sandboxConfig,
    });
    return res.container_id;
  }

  async startContainer(containerId: string): Promise<void> {
    await this.call(this.runtime, 'StartContainer', containerId, { container_id: containerId });
  }

  /** `timeoutSeconds` is the grace period before SIGKILL; the call's deadline allows for it. */
  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    await this.call(this.runtime, 'StopContainer', containerId, { container_id: containerId, timeout: timeoutSeconds }, this.timeoutMs + timeoutSeconds * 1000);
  }

  async removeContainer(containerId: string): Promise<void> {
    await this.call(this.runtime, 'RemoveContainer', containerId, { container_id: containerId });
  }

  async listContainers(filter?: ContainerFilter): Promise<Container[]> {
    const res = await this.call<{ containers: Container[] }>(this.runtime, 'ListContainers', filter?.pod_sandbox_id ?? '', { filter });
    return res.containers;
  }

  containerStatus(containerId: string, verbose = false): Promise<ContainerStatusResponse> {
    return this.call(this.runtime, 'ContainerStatus', containerId, { container_id: containerId, verbose });
  }

  async updateContainerResources(containerId: string, linux: LinuxContainerResources): Promise<void> {
    await this.call(this.runtime, 'UpdateContainerResources', containerId, { container_id: containerId, linux });
  }

  async reopenContainerLog(containerId: string): Promise<void> {
    await this.call(this.runtime, 'ReopenContainerLog', containerId, { container_id: containerId });
  }

  /** Runs `cmd` to completion; `timeoutSeconds` 0 means no runtime-side limit. */
  execSync(containerId: string, cmd: string[], timeoutSeconds = 0): Promise<ExecSyncResponse> {
    const deadline = timeoutSeconds > 0 ? timeoutSeconds * 1000 + 5_000 : this.timeoutMs;
    return this.call(this.runtime, 'ExecSync', containerId, { container_id: containerId, cmd, timeout: timeoutSeconds }, deadline);
  }

  /** A single-use streaming URL on the runtime's stream server. */
  async exec(req: ExecRequest): Promise<string> {
    const res = await this.call<{ url: string }>(this.runtime, 'Exec', req.container_id, req);
    return res.url;
  }

  async attach(req: AttachRequest): Promise<string> {
    const res = await this.call<{ url: string }>(this.runtime, 'Attach', req.container_id, req);
    return res.url;
  }

  async portForward(podSandboxId: string, ports: number[] = []): Promise<string> {
    const res = await this.call<{ url: string }>(this.runtime, 'PortForward', podSandboxId, { pod_sandbox_id: podSandboxId, port: ports });
    return res.url;
  }

  async containerStats(containerId: string): Promise<ContainerStats | null> {
    const res = await this.call<{ stats: ContainerStats | null }>(this.runtime, 'ContainerStats', containerId, { container_id: containerId });
    return res.stats;
  }

  async listContainerStats(filter?: { id?: string; pod_sandbox_id?: string; label_selector?: Record<string, string> }): Promise<ContainerStats[]> {
    const res = await this.call<{ stats: ContainerStats[] }>(this.runtime, 'ListContainerStats', filter?.pod_sandbox_id ?? '', { filter });
    return res.stats;
  }

  async podSandboxStats(podSandboxId: string): Promise<PodSandboxStats | null> {
    const res = await this.call<{ stats: PodSandboxStats | null }>(this.runtime, 'PodSandboxStats', podSandboxId, { pod_sandbox_id: podSandboxId });
    return res.stats;
  }

  async listPodSandboxStats(filter?: { id?: string; label_selector?: Record<string, string> }): Promise<PodSandboxStats[]> {
    const res = await this.call<{ stats: PodSandboxStats[] }>(this.runtime, 'ListPodSandboxStats', '', { filter });
    return res.stats;
  }

  // ---- images ----

  async listImages(): Promise<Image[]> {
    const res = await this.call<{ images: Image[] }>(this.image, 'ListImages', '', {});
    return res.images;
  }

  /** The image, or null when it is not present on the node. */
  async imageStatus(image: string): Promise<Image | null> {
    const res = await this.call<{ image: Image | null }>(this.image, 'ImageStatus', image, { image: { image } });
    return res.image;
  }

  /** Pulls `image` and returns its reference (`sha256:<config digest>`). */
  async pullImage(image: string, sandboxConfig?: PodSandboxConfig): Promise<string> {
    const res = await this.call<{ image_ref: string }>(this.image, 'PullImage', image, { image: { image }, sandbox_config: sandboxConfig }, this.pullTimeoutMs);
    return res.image_ref;
  }

  async removeImage(image: string): Promise<void> {
    await this.call(this.image, 'RemoveImage', image, { image: { image } });
  }

  imageFsInfo(): Promise<ImageFsInfoResponse> {
    return this.call(this.image, 'ImageFsInfo', '', {});
  }
}
