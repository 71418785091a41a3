// A pod's volumes on the node: emptyDir and configMap/secret contents under
// `<root>/pod-volumes/<uid>/<kind>/<name>`, hostPath as given (created for
// DirectoryOrCreate/FileOrCreate), and the CRI mounts each container gets from its
// volumeMounts. configMap and secret files are rewritten atomically when the source changes.

import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ConfigMap, Container, KeyToPath, Pod, Secret } from '../../api/types.js';
import type { Mount } from '../cri/types.js';
import { writeAtomicDir, type Payload } from './atomic-dir.js';
import { ContainerConfigError, type EnvSources } from './env.js';
import { podVolumesDir } from './paths.js';

export type VolumePaths = Map<string, string>;

function payloadFrom(data: Record<string, Buffer>, items: KeyToPath[] | undefined, defaultMode: number, what: string, optional: boolean): Payload[] {
  if (!items?.length) return Object.entries(data).map(([k, v]) => ({ path: k, content: v, mode: defaultMode }));
  const out: Payload[] = [];
  for (const it of items) {
    const v = data[it.key];
    if (v === undefined) {
      if (optional) continue;
      throw new ContainerConfigError(`${what}: key ${it.key} not found`);
    }
    out.push({ path: it.path, content: v, mode: it.mode ?? defaultMode });
  }
  return out;
}

function configMapData(cm: ConfigMap): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(cm.data ?? {})) out[k] = Buffer.from(v, 'utf8');
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) out[k] = Buffer.from(v, 'base64');
  return out;
}

function secretData(s: Secret): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(s.stringData ?? {})) out[k] = Buffer.from(v, 'utf8');
  for (const [k, v] of Object.entries(s.data ?? {})) out[k] = Buffer.from(v, 'base64');
  return out;
}

/** Prepares every volume of the pod and returns volume name → host path. */
export async function setUpVolumes(pod: Pod, rootDir: string, sources: Pick<EnvSources, 'configMap' | 'secret'>): Promise<VolumePaths> {
  const uid = pod.metadata?.uid ?? '';
  const ns = pod.metadata?.namespace ?? 'default';
  const base = podVolumesDir(rootDir, uid);
  const paths: VolumePaths = new Map();
  for (const v of pod.spec?.volumes ?? []) {
    if (v.emptyDir) {
      const dir = join(base, 'empty-dir', v.name);
      mkdirSync(dir, { recursive: true, mode: 0o777 });
      paths.set(v.name, dir);
    } else if (v.hostPath) {
      const p = v.hostPath.path;
      const type = v.hostPath.type ?? '';
      if (type === 'DirectoryOrCreate' && !existsSync(p)) mkdirSync(p, { recursive: true, mode: 0o755 });
      if (type === 'FileOrCreate' && !existsSync(p)) {
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(p, '', { mode: 0o644 });
      }
      if (type === 'Directory' && !(existsSync(p) && statSync(p).isDirectory())) throw new ContainerConfigError(`hostPath type check failed: ${p} is not a directory`);
      if (type === 'File' && !(existsSync(p) && statSync(p).isFile())) throw new ContainerConfigError(`hostPath type check failed: ${p} is not a file`);
      paths.set(v.name, p);
    } else if (v.configMap) {
      const src = v.configMap;
      const cm = await sources.configMap(ns, src.name ?? '');
      if (!cm && !src.optional) throw new ContainerConfigError(`configmap "${src.name}" not found`);
      const dir = join(base, 'configmap', v.name);
      writeAtomicDir(dir, cm ? payloadFrom(configMapData(cm), src.items, src.defaultMode ?? 0o644, `configmap ${src.name}`, !!src.optional) : []);
      paths.set(v.name, dir);
    } else if (v.secret) {
      const src = v.secret;
      const s = await sources.secret(ns, src.secretName ?? '');
      if (!s && !src.optional) throw new ContainerConfigError(`secret "${src.secretName}" not found`);
      const dir = join(base, 'secret', v.name);
      writeAtomicDir(dir, s ? payloadFrom(secretData(s), src.items, src.defaultMode ?? 0o644, `secret ${src.secretName}`, !!src.optional) : []);
      paths.set(v.name, dir);
    }
    // Other volume kinds are stored by the API server but not set up here (see DESIGN.md).
  }
  return paths;
}

export function containerMounts(container: Container, volumes: VolumePaths): Mount[] {
  const mounts: Mount[] = [];
  for (const vm of container.volumeMounts ?? []) {
    const host = volumes.get(vm.name);
    if (host === undefined) throw new ContainerConfigError(`volume ${JSON.stringify(vm.name)} of mount ${vm.mountPath} is not set up`);
    let hostPath = host;
    if (vm.subPath) {
      if (vm.subPath.split('/').includes('..') || vm.subPath.startsWith('/')) throw new ContainerConfigError(`invalid subPath ${JSON.stringify(vm.subPath)}`);
      hostPath = join(host, vm.subPath);
      if (!existsSync(hostPath)) mkdirSync(hostPath, { recursive: true });
    }
    const propagation = vm.mountPropagation === 'Bidirectional' ? 'PROPAGATION_BIDIRECTIONAL' : vm.mountPropagation === 'HostToContainer' ? 'PROPAGATION_HOST_TO_CONTAINER' : 'PROPAGATION_PRIVATE';
    mounts.push({ container_path: vm.mountPath, host_path: hostPath, readonly: !!vm.readOnly, propagation });
  }
  return mounts;
}
