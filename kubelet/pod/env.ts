// A container's environment, resolved as the kubelet does: service variables for the
// namespace's services (KUBERNETES_SERVICE_* from default/kubernetes), then envFrom, then
// env with valueFrom (configMapKeyRef, secretKeyRef, fieldRef, resourceFieldRef) and $(VAR)
// expansion against what is defined so far. A missing non-optional reference is an error the
// pod worker reports as CreateContainerConfigError.

import type { ConfigMap, Container, Pod, Secret, Service } from '../../api/types.js';
import { cpuToMillis, quantityToBytes } from '../../api/quantity.js';
import type { KeyValue } from '../cri/types.js';

export class ContainerConfigError extends Error {
  override readonly name = 'ContainerConfigError';
}

/** Where referenced objects come from (the API server, through the kubelet's client). */
export interface EnvSources {
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  secret(namespace: string, name: string): Promise<Secret | undefined>;
  /** Services whose variables the container gets (the pod's namespace, plus default/kubernetes). */
  services(namespace: string): Promise<Service[]>;
}

/** Expands `$(VAR)` from `vars`; `$$(VAR)` is an escaped literal `$(VAR)`; unknown names stay as written. */
export function expandVars(input: string, vars: ReadonlyMap<string, string>): string {
  return input.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name: string | undefined) => {
    if (m === '$$') return '$';
    return name !== undefined && vars.has(name) ? (vars.get(name) as string) : m;
  });
}

function envName(serviceName: string): string {
  return serviceName.toUpperCase().replace(/-/g, '_');
}

/** `<NAME>_SERVICE_HOST`, `_SERVICE_PORT`, `_SERVICE_PORT_<PORTNAME>` and the docker-link style `_PORT*` variables. */
export function serviceEnv(services: Service[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const svc of services) {
    const ip = svc.spec?.clusterIP;
    if (!ip || ip === 'None' || !svc.spec?.ports?.length) continue;
    const n = envName(svc.metadata?.name ?? '');
    const first = svc.spec.ports[0];
    out.set(`${n}_SERVICE_HOST`, ip);
    out.set(`${n}_SERVICE_PORT`, String(first.port));
    for (const p of svc.spec.ports) if (p.name) out.set(`${n}_SERVICE_PORT_${envName(p.name)}`, String(p.port));
    const proto = (first.protocol ?? 'TCP').toLowerCase();
    out.set(`${n}_PORT`, `${proto}://${ip}:${first.port}`);
    for (const p of svc.spec.ports) {
      const pr = (p.protocol ?? 'TCP').toLowerCase();
      const prefix = `${n}_PORT_${p.port}_${pr.toUpperCase()}`;
      out.set(prefix, `${pr}://${ip}:${p.port}`);
      out.set(`${prefix}_PROTO`, pr);
      out.set(`${prefix}_PORT`, String(p.port));
      out.set(`${prefix}_ADDR`, ip);
    }
  }
  return out;
}

function fieldValue(pod: Pod, path: string, hostIp: string): string {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return (m[1] === 'labels' ? pod.metadata?.labels : pod.metadata?.annotations)?.[m[2]] ?? '';
  switch (path) {
    case 'metadata.name':
      return pod.metadata?.name ?? '';
    case 'metadata.namespace':
      return pod.metadata?.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata?.uid ?? '';
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.podIP':
      return pod.status?.podIP ?? '';
    case 'status.podIPs':
      return (pod.status?.podIPs ?? []).map((p) => p.ip).join(',');
    case 'status.hostIP':
      return pod.status?.hostIP ?? hostIp;
    default:
      throw new ContainerConfigError(`unsupported fieldRef path ${JSON.stringify(path)}`);
  }
}

function resourceValue(c: Container, resource: string, divisor: string | undefined, nodeAllocatable: { cpuMillis: number; memoryBytes: number }): string {
  const [kind, name] = resource.split('.');
  const q = (kind === 'limits' ? c.resources?.limits : c.resources?.requests)?.[name] as string | number | undefined;
  if (name === 'cpu') {
    const millis = q !== undefined ? cpuToMillis(q) : kind === 'limits' ? nodeAllocatable.cpuMillis : 0;
    const div = divisor ? cpuToMillis(divisor) : 1000;
    return String(Math.ceil(millis / div));
  }
  if (name === 'memory') {
    const bytes = q !== undefined ? quantityToBytes(q) : kind === 'limits' ? nodeAllocatable.memoryBytes : 0;
    const div = divisor ? quantityToBytes(divisor) : 1;
    return String(Math.ceil(bytes / div));
  }
  throw new ContainerConfigError(`unsupported resourceFieldRef ${JSON.stringify(resource)}`);
}

function decodeSecret(secret: Secret, key: string): string | undefined {
  const b64 = secret.data?.[key];
  if (b64 !== undefined) return Buffer.from(b64, 'base64').toString('utf8');
  return secret.stringData?.[key];
}

export interface EnvContext {
  pod: Pod;
  container: Container;
  sources: EnvSources;
  hostIp: string;
  nodeAllocatable: { cpuMillis: number; memoryBytes: number };
}

/** The container's environment, in definition order, later definitions replacing earlier ones. */
export async function resolveEnv(ctx: EnvContext): Promise<Map<string, string>> {
  const { pod, container, sources } = ctx;
  const ns = pod.metadata?.namespace ?? 'default';
  const vars = new Map<string, string>();

  const enableLinks = pod.spec?.enableServiceLinks ?? true;
  const services = await sources.services(ns);
  const visible = services.filter((s) => (s.metadata?.namespace === ns && enableLinks) || (s.metadata?.namespace === 'default' && s.metadata?.name === 'kubernetes'));
  for (const [k, v] of serviceEnv(visible)) vars.set(k, v);

  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const cm = await sources.configMap(ns, from.configMapRef.name ?? '');
      if (!cm) {
        if (from.configMapRef.optional) continue;
        throw new ContainerConfigError(`configmap "${from.configMapRef.name}" not found`);
      }
      for (const [k, v] of Object.entries(cm.data ?? {})) vars.set(prefix + k, v);
    } else if (from.secretRef) {
      const s = await sources.secret(ns, from.secretRef.name ?? '');
      if (!s) {
        if (from.secretRef.optional) continue;
        throw new ContainerConfigError(`secret "${from.secretRef.name}" not found`);
      }
      for (const k of Object.keys({ ...(s.stringData ?? {}), ...(s.data ?? {}) })) vars.set(prefix + k, decodeSecret(s, k) ?? '');
    }
  }

  for (const e of container.env ?? []) {
    const vf = e.valueFrom;
    if (!vf) {
      vars.set(e.name, expandVars(e.value ?? '', vars));
      continue;
    }
    if (vf.fieldRef) {
      vars.set(e.name, fieldValue(pod, vf.fieldRef.fieldPath, ctx.hostIp));
    } else if (vf.resourceFieldRef) {
      const target = vf.resourceFieldRef.containerName ? (pod.spec?.containers.find((c) => c.name === vf.resourceFieldRef?.containerName) ?? container) : container;
      vars.set(e.name, resourceValue(target, vf.resourceFieldRef.resource, vf.resourceFieldRef.divisor as string | undefined, ctx.nodeAllocatable));
    } else if (vf.configMapKeyRef) {
      const ref = vf.configMapKeyRef;
      const value = (await sources.configMap(ns, ref.name ?? ''))?.data?.[ref.key];
      if (value === undefined) {
        if (ref.optional) continue;
        throw new ContainerConfigError(`couldn't find key ${ref.key} in ConfigMap ${ns}/${ref.name}`);
      }
      vars.set(e.name, value);
    } else if (vf.secretKeyRef) {
      const ref = vf.secretKeyRef;
      const s = await sources.secret(ns, ref.name ?? '');
      const value = s ? decodeSecret(s, ref.key) : undefined;
      if (value === undefined) {
        if (ref.optional) continue;
        throw new ContainerConfigError(`couldn't find key ${ref.key} in Secret ${ns}/${ref.name}`);
      }
      vars.set(e.name, value);
    }
  }
  return vars;
}

export function envList(vars: Map<string, string>): KeyValue[] {
  return [...vars].map(([key, value]) => ({ key, value }));
}
