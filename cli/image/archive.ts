// Reads an image archive into an OCI image layout the registry pusher can send. Two formats:
// an OCI archive (a tar of an image layout: oci-layout, index.json, blobs/sha256/...) and a
// docker-archive (`docker save`: manifest.json, a config JSON, uncompressed layer tars). A
// docker-archive is rewritten as an OCI layout: each layer gzipped (new blob digests) while
// the config, and so its rootfs.diff_ids, stays byte for byte.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { MEDIA_CONFIG, MEDIA_INDEX, MEDIA_LAYER, MEDIA_MANIFEST, readBlob, sha256, type Descriptor, type OciImage } from '../../deploy/images/oci.js';

const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

/** An image read from an archive; `name` is what the archive calls it (not normalised), if anything. */
export interface LoadedImage extends Omit<OciImage, 'name'> {
  name?: string;
}

interface IndexJson {
  manifests?: (Descriptor & { platform?: { os?: string; architecture?: string } })[];
}

interface ManifestJson {
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
}

interface DockerSaveEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

/** Extracts `archive` into `dir` with the system tar (which also reads compressed archives). */
export function unpackArchive(archive: string, dir: string): void {
  if (!existsSync(archive)) throw new Error(`${archive}: no such file`);
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('tar', ['-xf', resolve(archive), '-C', dir, '--no-same-owner'], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`cannot unpack ${archive}: ${stderr || (err instanceof Error ? err.message : String(err))}`);
  }
}

/** `file` inside the unpacked archive at `dir`; refuses names that lead out of it. */
function inside(dir: string, file: string): string {
  const path = resolve(dir, file);
  const rel = relative(resolve(dir), path);
  if (rel === '' || rel.startsWith('..') || rel.startsWith('/')) throw new Error(`archive entry ${JSON.stringify(file)} points outside the archive`);
  return path;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** A descriptor whose digest is safe to use as a blob path. */
function checked<T extends Descriptor>(desc: T): T {
  if (!DIGEST.test(desc.digest)) throw new Error(`unsupported digest ${JSON.stringify(desc.digest)} (sha256 only)`);
  return desc;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** The image in an unpacked archive: an OCI layout when it has one, else a docker-archive converted in `workDir`. */
export function readUnpackedImage(dir: string, workDir: string): LoadedImage {
  if (existsSync(join(dir, 'oci-layout')) && existsSync(join(dir, 'index.json'))) return readOciLayout(dir);
  if (existsSync(join(dir, 'manifest.json'))) return dockerArchiveToOci(dir, join(workDir, 'layout'));
  throw new Error('not an image archive: it has neither oci-layout + index.json nor manifest.json');
}

const hostArch = process.arch === 'x64' ? 'amd64' : process.arch;

/** Follows index.json (through nested indexes, preferring this host's platform) to one image manifest. */
export function readOciLayout(layoutDir: string): LoadedImage {
  const index = readJson<IndexJson>(join(layoutDir, 'index.json'));
  const top = index.manifests ?? [];
  if (top.length === 0) throw new Error('index.json lists no manifests');
  if (top.length > 1) throw new Error(`index.json lists ${top.length} images; this archive must hold exactly one`);
  const annotations = top[0].annotations ?? {};
  let desc: Descriptor = checked(top[0]);
  for (let depth = 0; desc.mediaType === MEDIA_INDEX || desc.mediaType === DOCKER_LIST; depth++) {
    if (depth > 4) throw new Error('image indexes nest too deep');
    const nested = (JSON.parse(readBlob(layoutDir, desc.digest).toString('utf8')) as IndexJson).manifests ?? [];
    const pick = nested.find((m) => m.platform?.os === 'linux' && m.platform.architecture === hostArch) ?? nested[0];
    if (!pick) throw new Error(`image index ${desc.digest} lists no manifests`);
    desc = checked(pick);
  }
  if (desc.mediaType !== MEDIA_MANIFEST && desc.mediaType !== DOCKER_MANIFEST) throw new Error(`unsupported manifest media type ${desc.mediaType}`);
  const manifest = JSON.parse(readBlob(layoutDir, desc.digest).toString('utf8')) as ManifestJson;
  // A ref.name that is only a tag (as the OCI spec allows) does not name the image.
  const refName = annotations['org.opencontainers.image.ref.name'];
  const name = annotations['io.containerd.image.name'] ?? (refName && /[/:]/.test(refName) ? refName : undefined);
  return { name, layoutDir, archive: '', manifest: { mediaType: desc.mediaType, digest: desc.digest, size: desc.size }, config: checked(manifest.config), layers: manifest.layers.map(checked) };
}

function writeBlob(layoutDir: string, data: Buffer, mediaType: string): Descriptor {
  const digest = sha256(data);
  writeFileSync(join(layoutDir, 'blobs', 'sha256', digest.slice('sha256:'.length)), data);
  return { mediaType, digest, size: data.length };
}

const isGzip = (b: Buffer): boolean => b.length > 2 && b[0] === 0x1f && b[1] === 0x8b;

/** Rewrites an unpacked docker-archive at `dir` as a single-image OCI layout at `layoutDir`. */
export function dockerArchiveToOci(dir: string, layoutDir: string): LoadedImage {
  const entries = readJson<DockerSaveEntry[]>(join(dir, 'manifest.json'));
  if (!Array.isArray(entries) || entries.length !== 1) throw new Error(`manifest.json lists ${Array.isArray(entries) ? entries.length : 0} images; this archive must hold exactly one`);
  const entry = entries[0];
  mkdirSync(join(layoutDir, 'blobs', 'sha256'), { recursive: true });

  const configBytes = readFileSync(inside(dir, entry.Config));
  const diffIds = (JSON.parse(configBytes.toString('utf8')) as { rootfs?: { diff_ids?: string[] } }).rootfs?.diff_ids ?? [];
  if (diffIds.length !== entry.Layers.length) throw new Error(`config lists ${diffIds.length} diff_ids for ${entry.Layers.length} layers`);
  const config = writeBlob(layoutDir, configBytes, MEDIA_CONFIG);

  const layers = entry.Layers.map((file, i) => {
    const tar = readFileSync(inside(dir, file));
    // diff_ids are digests of the uncompressed tars: a mismatch means a corrupt archive.
    if (!isGzip(tar) && sha256(tar) !== diffIds[i]) throw new Error(`layer ${file} does not match diff_id ${diffIds[i]}`);
    return writeBlob(layoutDir, isGzip(tar) ? tar : gzipSync(tar), MEDIA_LAYER);
  });

  const manifestBytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_MANIFEST, config, layers }));
  const manifest = writeBlob(layoutDir, manifestBytes, MEDIA_MANIFEST);
  writeFileSync(join(layoutDir, 'index.json'), JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_INDEX, manifests: [manifest] }));
  writeFileSync(join(layoutDir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  return { name: entry.RepoTags?.[0], layoutDir, archive: '', manifest, config, layers };
}
