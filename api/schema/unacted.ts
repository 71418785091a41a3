// Fields Kubernetes defines that skiff stores but does not act on. A valid manifest is never
// refused for them and they are never dropped; the writer gets one Warning per field found,
// so nobody believes a pod is confined by an SELinux label skiff never applied.
//
// Checked against the code, not guessed: the kubelet mounts emptyDir, hostPath, configMap and
// secret volumes only (kubelet/pod/volumes.ts) and sets privileged, readOnlyRootFilesystem,
// runAsUser/Group, capabilities and allowPrivilegeEscalation from a securityContext
// (kubelet/pod/container-config.ts, sandbox-config.ts); nothing reads runtimeClassName,
// readinessGates, hostAliases or imagePullSecrets. topologySpreadConstraints are honoured
// (scheduler/plugins/pod-topology-spread.ts), so they are not listed.

import type { Container, PodSpec, Volume } from 'kubernetes-types/core/v1.js';
import type { ResourceType } from '../resources.js';

const MOUNTED_VOLUMES = new Set(['name', 'emptyDir', 'hostPath', 'configMap', 'secret']);

/** Security settings no CRI call of skiff's carries. */
const POD_SECURITY = ['seLinuxOptions', 'seccompProfile', 'appArmorProfile', 'windowsOptions'] as const;
const CONTAINER_SECURITY = ['seLinuxOptions', 'seccompProfile', 'appArmorProfile', 'windowsOptions', 'procMount'] as const;

const POD_FIELDS = ['runtimeClassName', 'readinessGates', 'hostAliases', 'imagePullSecrets'] as const;

/** Where a kind keeps its pod spec: the pod itself, or the template of a workload. */
const POD_SPEC_PATH: Record<string, string> = {
  '/Pod': 'spec',
  'apps/Deployment': 'spec.template.spec',
  'apps/ReplicaSet': 'spec.template.spec',
  'apps/DaemonSet': 'spec.template.spec',
  'batch/Job': 'spec.template.spec',
};

function isSet(v: unknown): boolean {
  return v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
}

function containerFields(list: Container[] | undefined, path: string, out: string[]): void {
  list?.forEach((c, i) => {
    const sc = c?.securityContext as Record<string, unknown> | undefined;
    for (const f of CONTAINER_SECURITY) if (isSet(sc?.[f])) out.push(`${path}[${i}].securityContext.${f}`);
  });
}

function podSpecFields(spec: PodSpec, path: string): string[] {
  const out: string[] = [];
  const record = spec as unknown as Record<string, unknown>;
  for (const f of POD_FIELDS) if (isSet(record[f])) out.push(`${path}.${f}`);
  const sc = spec.securityContext as Record<string, unknown> | undefined;
  for (const f of POD_SECURITY) if (isSet(sc?.[f])) out.push(`${path}.securityContext.${f}`);
  (spec.volumes ?? []).forEach((v: Volume, i) => {
    for (const source of Object.keys(v ?? {})) if (!MOUNTED_VOLUMES.has(source)) out.push(`${path}.volumes[${i}].${source}`);
  });
  containerFields(spec.initContainers, `${path}.initContainers`, out);
  containerFields(spec.containers, `${path}.containers`, out);
  return out;
}

/** The paths of fields in `obj` skiff keeps but does not act on, in a stable order. */
export function unactedFields(type: Pick<ResourceType, 'group' | 'kind'>, obj: unknown): string[] {
  const path = POD_SPEC_PATH[`${type.group}/${type.kind}`];
  if (path === undefined) return [];
  let spec: unknown = obj;
  for (const step of path.split('.')) spec = spec !== null && typeof spec === 'object' ? (spec as Record<string, unknown>)[step] : undefined;
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return [];
  return podSpecFields(spec as PodSpec, path);
}

/** The Warning text for one such field. */
export function unactedWarning(path: string): string {
  return `${path}: stored, but skiff does not act on this field`;
}
