// `skiff image load`: unpack an image archive into a temp dir, name it, and push it to the
// cluster registry, which every node's containerd uses as its docker.io / registry.k8s.io mirror.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pushImage } from '../../deploy/registry/push.js';
import { readUnpackedImage, unpackArchive } from './archive.js';
import { formatImageName, isMirrored, MIRRORED_REGISTRIES, parseImageName } from './names.js';
import { ensureRegistry } from './registry.js';

export interface LoadOptions {
  archive: string;
  registryUrl: string;
  /** Overrides the name recorded in the archive. */
  name?: string;
}

export interface LoadResult {
  /** Fully-qualified name, e.g. `docker.io/library/web:v1`. */
  name: string;
  /** Manifest digest as the registry stores it. */
  digest: string;
}

export async function loadImage(opts: LoadOptions): Promise<LoadResult> {
  // Before unpacking a possibly large archive: fail fast when the cluster is down.
  await ensureRegistry(opts.registryUrl);
  const work = mkdtempSync(join(tmpdir(), 'skiff-image-'));
  try {
    const unpacked = join(work, 'archive');
    unpackArchive(opts.archive, unpacked);
    const image = readUnpackedImage(unpacked, work);
    const given = opts.name ?? image.name;
    if (!given) throw new Error(`${opts.archive} does not name its image; give one with --name NAME`);
    const parsed = parseImageName(given);
    const name = formatImageName(parsed);
    if (!isMirrored(parsed)) {
      throw new Error(`${name}: nodes pull only ${MIRRORED_REGISTRIES.join(' and ')} images through the cluster registry; load it under such a name, e.g. --name ${parsed.path.split('/').pop() ?? 'image'}:${parsed.tag}`);
    }
    // The mirror stores the name without its host (mirrorRef), as containerd asks for it.
    const digest = await pushImage(opts.registryUrl, { ...image, name });
    return { name, digest };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
