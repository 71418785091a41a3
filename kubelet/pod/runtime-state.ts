// What the runtime holds for one pod, read back from CRI by the pod-uid label: its sandboxes
// and every container attempt with its status. The kubelet decides from this snapshot alone,
// which is why a restarted kubelet picks up where the last one left off.

import type { CriClient } from '../cri/client.js';
import { isNotFound } from '../cri/errors.js';
import type { ContainerState, PodSandboxState } from '../cri/types.js';
import { CONTAINER_HASH, CONTAINER_INIT, CONTAINER_NAME, POD_UID } from './labels.js';

export interface SandboxRecord {
  id: string;
  attempt: number;
  state: PodSandboxState;
  createdAt: number;
  ip: string;
}

export interface ContainerRecord {
  id: string;
  sandboxId: string;
  name: string;
  attempt: number;
  init: boolean;
  hash: string;
  state: ContainerState;
  /** Milliseconds since the epoch; 0 when not set. */
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  reason: string;
  message: string;
  image: string;
  imageRef: string;
  logPath: string;
}

export interface PodRuntime {
  uid: string;
  /** Newest first. */
  sandboxes: SandboxRecord[];
  /** Newest attempt first within each name. */
  containers: ContainerRecord[];
}

/** CRI timestamps are int64 nanoseconds as decimal strings. */
export function nsToMs(ns: string | number | undefined): number {
  if (ns === undefined || ns === '' || ns === '0' || ns === 0) return 0;
  return Number(BigInt(ns) / 1_000_000n);
}

export async function readPodRuntime(cri: CriClient, uid: string): Promise<PodRuntime> {
  const [sandboxes, containers] = await Promise.all([cri.listPodSandbox({ label_selector: { [POD_UID]: uid } }), cri.listContainers({ label_selector: { [POD_UID]: uid } })]);
  const sbRecords: SandboxRecord[] = [];
  for (const sb of sandboxes) {
    let ip = '';
    if (sb.state === 'SANDBOX_READY') {
      try {
        ip = (await cri.podSandboxStatus(sb.id)).status?.network?.ip ?? '';
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    sbRecords.push({ id: sb.id, attempt: sb.metadata?.attempt ?? 0, state: sb.state, createdAt: nsToMs(sb.created_at), ip });
  }
  sbRecords.sort((a, b) => b.attempt - a.attempt || b.createdAt - a.createdAt);

  const records: ContainerRecord[] = [];
  await Promise.all(
    containers.map(async (c) => {
      try {
        const st = (await cri.containerStatus(c.id)).status;
        if (!st) return;
        records.push({
          id: c.id,
          sandboxId: c.pod_sandbox_id,
          name: c.labels[CONTAINER_NAME] ?? c.metadata?.name ?? '',
          attempt: st.metadata?.attempt ?? c.metadata?.attempt ?? 0,
          init: st.annotations[CONTAINER_INIT] === 'true',
          hash: st.annotations[CONTAINER_HASH] ?? '',
          state: st.state,
          createdAt: nsToMs(st.created_at),
          startedAt: nsToMs(st.started_at),
          finishedAt: nsToMs(st.finished_at),
          exitCode: st.exit_code,
          reason: st.reason,
          message: st.message,
          image: st.image?.image ?? '',
          imageRef: st.image_ref,
          logPath: st.log_path,
        });
      } catch (err) {
        // Removed between the list and the status call.
        if (!isNotFound(err)) throw err;
      }
    }),
  );
  records.sort((a, b) => (a.name === b.name ? b.attempt - a.attempt || b.createdAt - a.createdAt : a.name.localeCompare(b.name)));
  return { uid, sandboxes: sbRecords, containers: records };
}

/** Attempts of one container, newest first. */
export function attemptsOf(rt: PodRuntime, name: string): ContainerRecord[] {
  return rt.containers.filter((c) => c.name === name);
}

export function latestSandbox(rt: PodRuntime): SandboxRecord | undefined {
  return rt.sandboxes[0];
}
