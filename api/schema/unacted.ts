// Fields Kubernetes defines that skiff stores but does not act on. A valid manifest is never
// refused for them and they are never dropped; the writer gets one Warning per field found,
// so nobody believes a pod is confined by an SELinux label skiff never applied.
//
// Checked against the code, not guessed: the kubelet mounts emptyDir, hostPath, configMap and
// secret volumes only (kubelet/pod/volumes.ts) and sets privileged, readOnlyRootFilesystem,
// runAsUser/Group, capabilities and allowPrivilegeEscalation from a securityContext
// (kubelet/pod/container-config.ts, sandbox-config.ts), and a mount's subPath but not its
// subPathExpr; nothing reads runtimeClassName, readinessGates, hostAliases, imagePullSecrets,
// setHostnameAsFQDN, resource claims (no dynamic resource allocation), resizePolicy (no in-place
// resize) or volumeDevices (no block volumes). topologySpreadConstraints and pod
// (anti-)affinity are honoured (scheduler/plugins/), so they are not listed; neither is
// preemptionPolicy, which priority admission fills in on every pod (a warning on each update of
// every pod would say nothing).

import type { Container, PodSpec, Volume } from 'kubernetes-types/core/v1.js';
import type { ResourceType } from '../resources.js';

const MOUNTED_VOLUMES = new Set(['name', 'emptyDir', 'hostPath', 'configMap', 'secret']);

/** Security settings no CRI call of skiff's carries. */
const POD_SECURITY = ['seLinuxOptions', 'seccompProfile', 'appArmorProfile', 'windowsOptions'] as const;
const CONTAINER_SECURITY = ['seLinuxOptions', 'seccompProfile', 'appArmorProfile', 'windowsOptions', 'procMount'] as const;

const POD_FIELDS = ['runtimeClassName', 'readinessGates', 'hostAliases', 'imagePullSecrets', 'setHostnameAsFQDN', 'resourceClaims'] as const;
const CONTAINER_FIELDS = ['resizePolicy', 'volumeDevices'] as const;

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
    if (c === null || typeof c !== 'object') return;
    const here = `${path}[${i}]`;
    const record = c as unknown as Record<string, unknown>;
    for (const f of CONTAINER_FIELDS) if (isSet(record[f])) out.push(`${here}.${f}`);
    if (isSet(c.resources?.claims)) out.push(`${here}.resources.claims`);
    const sc = c.securityContext as Record<string, unknown> | undefined;
    for (const f of CONTAINER_SECURITY) if (isSet(sc?.[f])) out.push(`${here}.securityContext.${f}`);
    c.volumeMounts?.forEach((m, j) => {
      if (isSet(m?.subPathExpr)) out.push(`${here}.volumeMounts[${j}].subPathExpr`);
    });
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

/** A CRD schema's CEL rules (`x-kubernetes-validations`): kept, but skiff never evaluates them. */
function celRules(node: unknown, path: string, out: string[]): void {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
  const s = node as Record<string, unknown>;
  if (isSet(s['x-kubernetes-validations'])) out.push(`${path}.x-kubernetes-validations`);
  const props = s.properties;
  if (props !== null && typeof props === 'object') for (const [name, child] of Object.entries(props)) celRules(child, `${path}.properties[${name}]`, out);
  for (const key of ['items', 'additionalProperties', 'not'] as const) celRules(s[key], `${path}.${key}`, out);
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) if (Array.isArray(s[key])) (s[key] as unknown[]).forEach((b, i) => celRules(b, `${path}.${key}[${i}]`, out));
}

function crdFields(obj: unknown): string[] {
  const versions = (obj as { spec?: { versions?: unknown } } | null)?.spec?.versions;
  const out: string[] = [];
  if (Array.isArray(versions)) versions.forEach((v, i) => celRules((v as { schema?: { openAPIV3Schema?: unknown } } | null)?.schema?.openAPIV3Schema, `spec.versions[${i}].schema.openAPIV3Schema`, out));
  return out;
}

/** The paths of fields in `obj` skiff keeps but does not act on, in a stable order. */
export function unactedFields(type: Pick<ResourceType, 'group' | 'kind'>, obj: unknown): string[] {
  if (type.group === 'apiextensions.k8s.io' && type.kind === 'CustomResourceDefinition') return crdFields(obj);
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
