// Making a container's image present per its pull policy: IfNotPresent and Never look first
// (ImageStatus; CRI's PullImage always goes to the registry), Always — the default for
// `:latest` and untagged images — pulls every time. Failures become the waiting reasons the
// kubelet shows: ErrImagePull on a failed pull, ImagePullBackOff while the retry waits,
// ErrImageNeverPull when the policy forbids pulling an absent image.

import type { Container } from '../../api/types.js';
import type { CriClient } from '../cri/client.js';
import type { PodSandboxConfig } from '../cri/types.js';
import type { Backoff } from './backoff.js';
import { normalizeImage } from './container-config.js';

export class ImagePullError extends Error {
  override readonly name = 'ImagePullError';
  constructor(
    readonly reason: 'ErrImagePull' | 'ImagePullBackOff' | 'ErrImageNeverPull' | 'InvalidImageName',
    message: string,
    /** For ImagePullBackOff: ms until the next attempt. */
    readonly retryAfterMs = 0,
  ) {
    super(message);
  }
}

export function pullPolicy(c: Container): 'Always' | 'IfNotPresent' | 'Never' {
  if (c.imagePullPolicy) return c.imagePullPolicy as 'Always' | 'IfNotPresent' | 'Never';
  const ref = normalizeImage(c.image ?? '');
  const tagged = !ref.endsWith(':latest') || ref.includes('@');
  return tagged ? 'IfNotPresent' : 'Always';
}

/** Pulls images for containers, with a back-off per pod container after failures. */
export class ImagePuller {
  /** When each key's last pull failed: the back-off counts from there. */
  private readonly lastFailure = new Map<string, number>();

  constructor(
    private readonly cri: CriClient,
    private readonly backoff: Backoff,
    private readonly now: () => number = Date.now,
  ) {}

  /** Ensures the image is present and returns its reference (image id). */
  async ensure(c: Container, sandboxConfig: PodSandboxConfig, key: string): Promise<string> {
    if (!c.image) throw new ImagePullError('InvalidImageName', `container ${c.name} has no image`);
    const image = normalizeImage(c.image);
    const policy = pullPolicy(c);
    if (policy !== 'Always') {
      const present = await this.cri.imageStatus(image);
      if (present) return present.id;
      if (policy === 'Never') throw new ImagePullError('ErrImageNeverPull', `Container image "${c.image}" is not present with pull policy of Never`);
    }
    const failedAt = this.lastFailure.get(key);
    const wait = failedAt === undefined ? 0 : this.backoff.remaining(key, failedAt);
    if (wait > 0) throw new ImagePullError('ImagePullBackOff', `Back-off pulling image "${c.image}"`, wait);
    try {
      const ref = await this.cri.pullImage(image, sandboxConfig);
      this.backoff.reset(key);
      this.lastFailure.delete(key);
      return ref;
    } catch (err) {
      const delay = this.backoff.next(key);
      this.lastFailure.set(key, this.now());
      throw new ImagePullError('ErrImagePull', `Failed to pull image "${c.image}": ${(err as Error).message}`, delay);
    }
  }

  forget(prefix: string): void {
    for (const k of this.lastFailure.keys()) if (k.startsWith(prefix)) this.lastFailure.delete(k);
  }
}
