// TypeScript shapes of the runtime.v1 messages skiff uses (proto/cri.proto), as
// @grpc/proto-loader decodes them with {keepCase, longs: String, enums: String, defaults}:
// int64 fields are decimal strings (nanosecond timestamps exceed 2^53), enums are their
// names, and every scalar in a response is present (zero value when unset). Messages are
// optional in responses (a missing sub-message decodes as null).

export type Int64 = string;
export type Int64In = string | number;

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';
export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';
export type MountPropagation = 'PROPAGATION_PRIVATE' | 'PROPAGATION_HOST_TO_CONTAINER' | 'PROPAGATION_BIDIRECTIONAL';

export interface ValueOf<T> {
  value: T;
}

export interface VersionResponse {
  version: string;
  runtime_name: string;
  runtime_version: string;
  runtime_api_version: string;
}

export interface RuntimeCondition {
  type: string;
  status: boolean;
  reason: string;
  message: string;
}

export interface StatusResponse {
  status: { conditions: RuntimeCondition[] } | null;
  info: Record<string, string>;
}

// ---- requests (what the kubelet sends; unset fields take their proto3 defaults) ----

export interface DNSConfig {
  servers?: string[];
  searches?: string[];
  options?: string[];
}

export interface PortMapping {
  protocol?: Protocol;
  container_port: number;
  host_port?: number;
  host_ip?: string;
}

export interface NamespaceOption {
  network?: NamespaceMode;
  pid?: NamespaceMode;
  ipc?: NamespaceMode;
  target_id?: string;
}

export interface LinuxContainerResources {
  cpu_period?: Int64In;
  cpu_quota?: Int64In;
  cpu_shares?: Int64In;
  memory_limit_in_bytes?: Int64In;
  oom_score_adj?: Int64In;
  cpuset_cpus?: string;
  cpuset_mems?: string;
  unified?: Record<string, string>;
  memory_swap_limit_in_bytes?: Int64In;
}

export interface PodSandboxMetadata {
  name: string;
  uid: string;
  namespace: string;
  attempt: number;
}

export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname?: string;
  log_directory?: string;
  dns_config?: DNSConfig;
  port_mappings?: PortMapping[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  linux?: {
    cgroup_parent?: string;
    security_context?: {
      namespace_options?: NamespaceOption;
      run_as_user?: ValueOf<Int64In>;
      run_as_group?: ValueOf<Int64In>;
      readonly_rootfs?: boolean;
      supplemental_groups?: Int64In[];
      privileged?: boolean;
    };
    sysctls?: Record<string, string>;
  };
}

export interface Mount {
  container_path: string;
  host_path: string;
  readonly?: boolean;
  selinux_relabel?: boolean;
  propagation?: MountPropagation;
}

export interface KeyValue {
  key: string;
  value: string;
}

export interface ContainerMetadata {
  name: string;
  attempt: number;
}

export interface ImageSpec {
  image: string;
  annotations?: Record<string, string>;
  user_specified_image?: string;
}

export interface ContainerConfig {
  metadata: ContainerMetadata;
  image: ImageSpec;
  command?: string[];
  args?: string[];
  working_dir?: string;
  envs?: KeyValue[];
  mounts?: Mount[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  log_path?: string;
  stdin?: boolean;
  stdin_once?: boolean;
  tty?: boolean;
  linux?: {
    resources?: LinuxContainerResources;
    security_context?: {
      capabilities?: { add_capabilities?: string[]; drop_capabilities?: string[] };
      privileged?: boolean;
      namespace_options?: NamespaceOption;
      run_as_user?: ValueOf<Int64In>;
      run_as_username?: string;
      run_as_group?: ValueOf<Int64In>;
      readonly_rootfs?: boolean;
      supplemental_groups?: Int64In[];
      no_new_privs?: boolean;
    };
  };
}

export interface PodSandboxFilter {
  id?: string;
  state?: { state: PodSandboxState };
  label_selector?: Record<string, string>;
}

export interface ContainerFilter {
  id?: string;
  state?: { state: ContainerState };
  pod_sandbox_id?: string;
  label_selector?: Record<string, string>;
}

export interface ExecRequest {
  container_id: string;
  cmd: string[];
  tty?: boolean;
  stdin?: boolean;
  stdout?: boolean;
  stderr?: boolean;
}

export interface AttachRequest {
  container_id: string;
  stdin?: boolean;
  tty?: boolean;
  stdout?: boolean;
  stderr?: boolean;
}

// ---- responses ----

export interface PodSandboxMetadataOut {
  name: string;
  uid: string;
  namespace: string;
  attempt: number;
}

export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadataOut | null;
  state: PodSandboxState;
  created_at: Int64;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  runtime_handler: string;
}

export interface PodSandboxStatus {
  id: string;
  metadata: PodSandboxMetadataOut | null;
  state: PodSandboxState;
  created_at: Int64;
  network: { ip: string; additional_ips: { ip: string }[] } | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  runtime_handler: string;
}

export interface PodSandboxStatusResponse {
  status: PodSandboxStatus | null;
  info: Record<string, string>;
}

export interface ImageSpecOut {
  image: string;
  annotations: Record<string, string>;
  user_specified_image: string;
}

export interface Container {
  id: string;
  pod_sandbox_id: string;
  metadata: ContainerMetadata | null;
  image: ImageSpecOut | null;
  image_ref: string;
  state: ContainerState;
  created_at: Int64;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  image_id: string;
}

export interface LinuxContainerResourcesOut {
  cpu_period: Int64;
  cpu_quota: Int64;
  cpu_shares: Int64;
  memory_limit_in_bytes: Int64;
  oom_score_adj: Int64;
  memory_swap_limit_in_bytes: Int64;
}

export interface ContainerStatus {
  id: string;
  metadata: ContainerMetadata | null;
  state: ContainerState;
  created_at: Int64;
  started_at: Int64;
  finished_at: Int64;
  exit_code: number;
  image: ImageSpecOut | null;
  image_ref: string;
  reason: string;
  message: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  log_path: string;
  resources: { linux: LinuxContainerResourcesOut | null } | null;
  image_id: string;
}

export interface ContainerStatusResponse {
  status: ContainerStatus | null;
  info: Record<string, string>;
}

export interface ExecSyncResponse {
  stdout: Buffer;
  stderr: Buffer;
  exit_code: number;
}

export interface UInt64 {
  value: Int64;
}

export interface CpuUsage {
  timestamp: Int64;
  usage_core_nano_seconds: UInt64 | null;
  usage_nano_cores: UInt64 | null;
}

export interface MemoryUsage {
  timestamp: Int64;
  working_set_bytes: UInt64 | null;
  available_bytes: UInt64 | null;
  usage_bytes: UInt64 | null;
  rss_bytes: UInt64 | null;
  page_faults: UInt64 | null;
  major_page_faults: UInt64 | null;
}

export interface FilesystemUsage {
  timestamp: Int64;
  fs_id: { mountpoint: string } | null;
  used_bytes: UInt64 | null;
  inodes_used: UInt64 | null;
}

export interface ContainerStats {
  attributes: { id: string; metadata: ContainerMetadata | null; labels: Record<string, string>; annotations: Record<string, string> } | null;
  cpu: CpuUsage | null;
  memory: MemoryUsage | null;
  writable_layer: FilesystemUsage | null;
}

export interface NetworkInterfaceUsage {
  name: string;
  rx_bytes: UInt64 | null;
  rx_errors: UInt64 | null;
  tx_bytes: UInt64 | null;
  tx_errors: UInt64 | null;
}

export interface PodSandboxStats {
  attributes: { id: string; metadata: PodSandboxMetadataOut | null; labels: Record<string, string>; annotations: Record<string, string> } | null;
  linux: {
    cpu: CpuUsage | null;
    memory: MemoryUsage | null;
    network: { timestamp: Int64; default_interface: NetworkInterfaceUsage | null; interfaces: NetworkInterfaceUsage[] } | null;
    process: { timestamp: Int64; process_count: UInt64 | null } | null;
    containers: ContainerStats[];
  } | null;
}

export interface Image {
  id: string;
  repo_tags: string[];
  repo_digests: string[];
  size: Int64;
  uid: { value: Int64 } | null;
  username: string;
  pinned: boolean;
}

export interface ImageFsInfoResponse {
  image_filesystems: FilesystemUsage[];
  container_filesystems: FilesystemUsage[];
}
