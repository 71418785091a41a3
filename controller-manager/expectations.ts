// client-go's ControllerExpectations: after a controller creates or deletes pods it records how
// many it expects to see through its informer, and does not act on that owner again until they
// have all been observed (or the expectation has expired). Without this, a second reconcile
// that runs before the watch delivers the new pods would count too few and create more.

/** Expectations older than this are treated as satisfied, so a lost watch event cannot wedge an owner. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

interface Expectation {
  add: number;
  del: number;
  setAt: number;
}

export class ControllerExpectations {
  private readonly byKey = new Map<string, Expectation>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly timeoutMs = EXPECTATIONS_TIMEOUT_MS,
  ) {}

  /** True when the owner may be synced: nothing pending, everything observed, or expired. */
  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.now() - e.setAt > this.timeoutMs;
  }

  /** Replaces the owner's expectations (called right before a batch of creates or deletes). */
  expect(key: string, add: number, del: number): void {
    this.byKey.set(key, { add, del, setAt: this.now() });
  }

  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e) e.add--;
  }

  deletionObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e) e.del--;
  }

  /** A create that failed or was skipped will never be observed: stop waiting for it. */
  creationSkipped(key: string): void {
    this.creationObserved(key);
  }

  deletionSkipped(key: string): void {
    this.deletionObserved(key);
  }

  forget(key: string): void {
    this.byKey.delete(key);
  }
}

/**
 * Deletion expectations keyed by pod: a pod deleted by the controller counts as observed only
 * once, whether its informer shows it gone or marked for deletion (client-go's UIDTrackingControllerExpectations).
 */
export class UidTrackingExpectations extends ControllerExpectations {
  private readonly pendingDeletes = new Map<string, Set<string>>();

  expectDeletions(key: string, podKeys: string[]): void {
    this.pendingDeletes.set(key, new Set(podKeys));
    this.expect(key, 0, podKeys.length);
  }

  /** Call when a pod is seen deleted or with deletionTimestamp set; counts once per pod. */
  podDeletionObserved(key: string, podKey: string): void {
    const pending = this.pendingDeletes.get(key);
    if (pending?.delete(podKey)) this.deletionObserved(key);
  }

  override forget(key: string): void {
    super.forget(key);
    this.pendingDeletes.delete(key);
  }
}
