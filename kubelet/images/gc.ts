// Image garbage collection by disk usage: when the image filesystem is fuller than
// --image-gc-high-threshold percent, remove unused images, least recently used first, until
// it is below --image-gc-low-threshold. An image any container refers to (running or not)
// is never removed — CRI's RemoveImage would happily delete it — nor is the sandbox image.

import type { Logger } from '../../client/log.js';
import type { CriClient } from '../cri/client.js';
import type { Image } from '../cri/types.js';
import { fsInfo, type FsInfo } from '../node/host-info.js';

export interface ImageGcOptions {
  cri: CriClient;
  highThresholdPercent: number;
  lowThresholdPercent: number;
  /** Images never removed (the sandbox image). */
  pinned?: string[];
  log: Logger;
  /** For tests: the filesystem numbers of the image fs mount point. */
  statfs?: (mountpoint: string) => FsInfo;
  now?: () => number;
}

export interface GcResult {
  usagePercent: number;
  freedBytes: number;
  removed: string[];
}

/** Which unused images to remove, oldest-unused first, to free `bytesToFree`. */
export function pickImagesToRemove(images: Image[], inUse: Set<string>, pinned: Set<string>, lastUsed: Map<string, number>, bytesToFree: number): Image[] {
  const candidates = images
    .filter((img) => !inUse.has(img.id) && !img.pinned && !img.repo_tags.some((t) => pinned.has(t)) && !pinned.has(img.id))
    .sort((a, b) => (lastUsed.get(a.id) ?? 0) - (lastUsed.get(b.id) ?? 0) || Number(b.size) - Number(a.size));
  const out: Image[] = [];
  let freed = 0;
  for (const img of candidates) {
    if (freed >= bytesToFree) break;
    out.push(img);
    freed += Number(img.size);
  }
  return out;
}

export class ImageGc {
  /** When each image was last seen in use (or first seen at all). */
  private readonly lastUsed = new Map<string, number>();

  constructor(private readonly o: ImageGcOptions) {}

  async run(): Promise<GcResult> {
    const { cri } = this.o;
    const now = (this.o.now ?? Date.now)();
    const [images, containers, fsinfo] = await Promise.all([cri.listImages(), cri.listContainers(), cri.imageFsInfo()]);
    const inUse = new Set<string>();
    for (const c of containers) {
      for (const ref of [c.image_ref, c.image_id, c.image?.image]) if (ref) inUse.add(ref);
    }
    // Container refs may be tags: map them to image ids.
    for (const img of images) if (img.repo_tags.some((t) => inUse.has(t)) || img.repo_digests.some((d) => inUse.has(d))) inUse.add(img.id);
    for (const img of images) if (inUse.has(img.id) || !this.lastUsed.has(img.id)) this.lastUsed.set(img.id, now);

    const mount = fsinfo.image_filesystems[0]?.fs_id?.mountpoint;
    if (!mount) return { usagePercent: 0, freedBytes: 0, removed: [] };
    const fs = (this.o.statfs ?? fsInfo)(mount);
    const used = fs.capacityBytes - fs.availableBytes;
    const usagePercent = (used * 100) / Math.max(1, fs.capacityBytes);
    if (usagePercent < this.o.highThresholdPercent) return { usagePercent, freedBytes: 0, removed: [] };

    const target = (fs.capacityBytes * this.o.lowThresholdPercent) / 100;
    const toFree = used - target;
    const victims = pickImagesToRemove(images, inUse, new Set(this.o.pinned ?? []), this.lastUsed, toFree);
    let freedBytes = 0;
    const removed: string[] = [];
    for (const img of victims) {
      try {
        await cri.removeImage(img.id);
        freedBytes += Number(img.size);
        removed.push(img.repo_tags[0] ?? img.id);
        this.lastUsed.delete(img.id);
      } catch (err) {
        this.o.log.warn({ image: img.id, err: (err as Error).message }, 'image removal failed');
      }
    }
    this.o.log.info({ usagePercent: Math.round(usagePercent), freedBytes, removed }, 'image garbage collection');
    return { usagePercent, freedBytes, removed };
  }
}
