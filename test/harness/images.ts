// The node images for tests, built once per content (pause.c, the busybox binary, the image
// builder) and cached for the test run in the dir the global setup makes and removes at the
// end, so every test file reuses the same archives; and a cluster registry started for a test
// with those images pushed under their usual names.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUSYBOX_BINARY, BUSYBOX_IMAGE, PAUSE_IMAGE, PAUSE_SOURCE, buildBusyboxImage, buildPauseImage } from '../../deploy/images/build.js';
import type { OciImage } from '../../deploy/images/oci.js';
import { pushImage } from '../../deploy/registry/push.js';
import { startRegistry, type RegistryProcess } from '../../deploy/registry/registry.js';

export interface NodeImages {
  pause: OciImage;
  busybox: OciImage;
}

function contentKey(): string {
  const h = createHash('sha256');
  for (const f of [PAUSE_SOURCE, BUSYBOX_BINARY, fileURLToPath(new URL('../../deploy/images/oci.ts', import.meta.url)), fileURLToPath(new URL('../../deploy/images/build.ts', import.meta.url))]) {
    h.update(f).update(existsSync(f) ? readFileSync(f) : '');
  }
  return h.digest('hex').slice(0, 16);
}

/** Builds (or reuses) the pause and busybox images. Safe to call from parallel test files. */
export function nodeImages(): NodeImages {
  const cacheDir = join(process.env.SKIFF_TEST_IMAGE_CACHE ?? tmpdir(), `skiff-images-${contentKey()}`);
  const meta = join(cacheDir, 'images.json');
  if (existsSync(meta)) return JSON.parse(readFileSync(meta, 'utf8')) as NodeImages;
  // Build aside and rename into place: a concurrent builder either wins or finds it done.
  const work = mkdtempSync(join(tmpdir(), 'skiff-images-build-'));
  try {
    const staged = join(work, 'out');
    mkdirSync(staged);
    const built = { pause: buildPauseImage(join(staged, 'pause')), busybox: buildBusyboxImage(join(staged, 'busybox')) };
    const relocate = (img: OciImage, sub: string): OciImage => ({ ...img, layoutDir: join(cacheDir, sub, 'layout'), archive: join(cacheDir, sub, 'image.tar') });
    const images: NodeImages = { pause: relocate(built.pause, 'pause'), busybox: relocate(built.busybox, 'busybox') };
    writeFileSync(join(staged, 'images.json'), JSON.stringify(images));
    try {
      renameSync(staged, cacheDir);
    } catch {
      if (!existsSync(meta)) throw new Error(`could not place image cache at ${cacheDir}`);
    }
    return images;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface TestRegistry extends RegistryProcess {
  images: NodeImages;
  dataDir: string;
  /** stop() and remove the data dir. */
  remove(): Promise<void>;
}

/** Starts docker-registry on `listen` (host:port) and pushes the node images into it. */
export async function startTestRegistry(listen: string): Promise<TestRegistry> {
  const images = nodeImages();
  const dataDir = mkdtempSync(join(tmpdir(), 'skiff-registry-'));
  let reg: RegistryProcess | undefined;
  try {
    reg = await startRegistry({ dataDir, listen });
    await pushImage(reg.url, images.pause);
    await pushImage(reg.url, images.busybox);
  } catch (err) {
    await reg?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const r = reg;
  return {
    ...r,
    images,
    dataDir,
    remove: async () => {
      await r.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export { BUSYBOX_IMAGE, PAUSE_IMAGE };
