// Pod container → CRI ContainerConfig: image, command and args with $(VAR) expansion,
// working dir, env, mounts, resources, the labels that tie it to its pod, and annotations the
// kubelet reads back after a restart (spec hash, restart count, init or not).

import { createHash } from 'node:crypto';
import type { Container, Pod } from '../../api/types.js';
import type { ContainerConfig, Mount } from '../cri/types.js';
import { envList, expandVars } from './env.js';
import { CONTAINER_HASH, CONTAINER_INIT, CONTAINER_RESTART_COUNT, CONTAINER_TERMINATION_MESSAGE_PATH, POD_TERMINATION_GRACE_PERIOD, containerLabels } from './labels.js';
import { containerLogPath } from './paths.js';
import { linuxResources } from './resources.js';
import { podIdentity } from './sandbox-config.js';

/**
 * A hash of the fields that, when changed, mean the running container no longer matches its
 * spec (only `image` is mutable on a pod, but hashing the runtime-relevant fields is robust).
 */
export function containerHash(c: Container): string {
  const relevant = { image: c.image, command: c.command, args: c.args, env: c.env, workingDir: c.workingDir, volumeMounts: c.volumeMounts, ports: c.ports, resources: c.resources };
  return createHash('sha256').update(JSON.stringify(relevant)).digest('hex').slice(0, 16);
}

/**
 * A reference CRI can resolve: short names are docker.io names (CRI would normalise them the
 * same way; doing it here keeps ImageStatus, PullImage and the status' `image` consistent).
 */
export function normalizeImage(image: string): string {
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  const hasDomain = slash > 0 && (/[.:]/.test(first) || first === 'localhost');
  let ref = hasDomain ? image : `docker.io/${slash < 0 ? `library/${image}` : image}`;
  const lastSlash = ref.lastIndexOf('/');
  if (!ref.includes('@') && ref.lastIndexOf(':') < lastSlash) ref = `${ref}:latest`;
  return ref;
}

export interface ContainerConfigInput {
  pod: Pod;
  container: Container;
  attempt: number;
  init: boolean;
  env: Map<string, string>;
  mounts: Mount[];
  nodeMemoryBytes: number;
}

export function buildContainerConfig(input: ContainerConfigInput): ContainerConfig {
  const { pod, container: c, attempt, env } = input;
  const id = podIdentity(pod);
  const sc = c.securityContext;
  return {
    metadata: { name: c.name, attempt },
    image: { image: normalizeImage(c.image ?? ''), user_specified_image: c.image ?? '' },
    command: (c.command ?? []).map((s) => expandVars(s, env)),
    args: (c.args ?? []).map((s) => expandVars(s, env)),
    working_dir: c.workingDir ?? '',
    envs: envList(env),
    mounts: input.mounts,
    labels: containerLabels(id, c.name),
    annotations: {
      [CONTAINER_HASH]: containerHash(c),
      [CONTAINER_RESTART_COUNT]: String(attempt),
      [CONTAINER_INIT]: String(input.init),
      [CONTAINER_TERMINATION_MESSAGE_PATH]: c.terminationMessagePath ?? '/dev/termination-log',
      [POD_TERMINATION_GRACE_PERIOD]: String(pod.spec?.terminationGracePeriodSeconds ?? 30),
    },
    log_path: containerLogPath(c.name, attempt),
    stdin: !!c.stdin,
    stdin_once: !!c.stdinOnce,
    tty: !!c.tty,
    linux: {
      resources: linuxResources(pod, c, input.nodeMemoryBytes),
      security_context: {
        namespace_options: {
          network: pod.spec?.hostNetwork ? 'NODE' : 'POD',
          pid: pod.spec?.hostPID ? 'NODE' : pod.spec?.shareProcessNamespace ? 'POD' : 'CONTAINER',
          ipc: pod.spec?.hostIPC ? 'NODE' : 'POD',
        },
        privileged: !!sc?.privileged,
        readonly_rootfs: !!sc?.readOnlyRootFilesystem,
        ...(sc?.runAsUser !== undefined ? { run_as_user: { value: sc.runAsUser } } : pod.spec?.securityContext?.runAsUser !== undefined ? { run_as_user: { value: pod.spec.securityContext.runAsUser } } : {}),
        ...(sc?.runAsGroup !== undefined ? { run_as_group: { value: sc.runAsGroup } } : {}),
        ...(sc?.capabilities ? { capabilities: { add_capabilities: sc.capabilities.add ?? [], drop_capabilities: sc.capabilities.drop ?? [] } } : {}),
        no_new_privs: sc?.allowPrivilegeEscalation === false,
      },
    },
  };
}
