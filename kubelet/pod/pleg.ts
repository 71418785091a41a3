// The pod lifecycle event generator: containerd 1.6 has no event stream for CRI
// (GetContainerEvents is unimplemented), so the kubelet relists sandboxes and containers every
// --pleg-relist-period and wakes the worker of every pod whose runtime state changed —
// including pods that appear in the runtime with no API object (to be cleaned up).

import type { Logger } from '../../client/log.js';
import type { CriClient } from '../cri/client.js';
import { MANAGED_BY, MANAGED_BY_VALUE, POD_NAME, POD_NAMESPACE, POD_UID } from './labels.js';

export interface RuntimePodRef {
  uid: string;
  name: string;
  namespace: string;
}

const fingerprint = (entries: string[]): string => [...entries].sort().join(',');

export class Pleg {
  private readonly last = new Map<string, string>();
  private readonly refs = new Map<string, RuntimePodRef>();
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private lastRelist = 0;
  relistSeconds = 0;

  constructor(
    private readonly cri: CriClient,
    private readonly periodMs: number,
    private readonly onChange: (uid: string) => void,
    private readonly log: Logger,
  ) {}

  /** Pods the runtime holds, by uid, as of the last relist. */
  runtimePods(): Map<string, RuntimePodRef> {
    return new Map(this.refs);
  }

  /** Healthy while relists keep succeeding (the kubelet's PLEG health check, 3 min). */
  healthy(thresholdMs = 180_000): boolean {
    return this.lastRelist > 0 && Date.now() - this.lastRelist < thresholdMs;
  }

  /**
   * Records the state a pod worker has just read (and acted on): a relist that finds exactly
   * this does not wake the worker again for a change it made itself.
   */
  observed(uid: string, sandboxes: { id: string; state: string }[], containers: { id: string; state: string }[]): void {
    const entries = [...sandboxes.map((s) => `s:${s.id}:${s.state}`), ...containers.map((c) => `c:${c.id}:${c.state}`)];
    // Nothing in the runtime is what a relist reports by leaving the pod out.
    if (entries.length === 0) this.last.delete(uid);
    else this.last.set(uid, fingerprint(entries));
  }

  async relist(): Promise<void> {
    const started = Date.now();
    const selector = { [MANAGED_BY]: MANAGED_BY_VALUE };
    const [sandboxes, containers] = await Promise.all([this.cri.listPodSandbox({ label_selector: selector }), this.cri.listContainers({ label_selector: selector })]);
    const prints = new Map<string, string[]>();
    const add = (uid: string, s: string): void => {
      const list = prints.get(uid) ?? [];
      list.push(s);
      prints.set(uid, list);
    };
    this.refs.clear();
    for (const sb of sandboxes) {
      const uid = sb.labels[POD_UID];
      if (!uid) continue;
      this.refs.set(uid, { uid, name: sb.labels[POD_NAME] ?? '', namespace: sb.labels[POD_NAMESPACE] ?? '' });
      add(uid, `s:${sb.id}:${sb.state}`);
    }
    for (const c of containers) {
      const uid = c.labels[POD_UID];
      if (uid) add(uid, `c:${c.id}:${c.state}`);
    }
    const changed: string[] = [];
    for (const [uid, list] of prints) {
      const fp = fingerprint(list);
      if (this.last.get(uid) !== fp) changed.push(uid);
      this.last.set(uid, fp);
    }
    for (const uid of [...this.last.keys()]) {
      if (!prints.has(uid)) {
        this.last.delete(uid);
        changed.push(uid);
      }
    }
    this.lastRelist = Date.now();
    this.relistSeconds = (this.lastRelist - started) / 1000;
    for (const uid of changed) this.onChange(uid);
  }

  start(): void {
    const loop = async (): Promise<void> => {
      if (this.stopped) return;
      try {
        await this.relist();
      } catch (err) {
        this.log.debug({ err: (err as Error).message }, 'pleg relist failed');
      }
      if (!this.stopped) this.timer = setTimeout(() => void loop(), this.periodMs);
    };
    void loop();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
