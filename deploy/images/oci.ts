// Deterministic single-layer OCI images: a rootfs directory becomes one tar layer (sorted,
// owner 0, mtime 0, gzip without a timestamp), so the same inputs always give the same
// digests. The result is an OCI image layout directory (oci-layout, index.json, blobs/) and
// a tar archive of it that `ctr images import` and our registry pusher both read.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const MEDIA_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const MEDIA_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const MEDIA_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';
export const MEDIA_INDEX = 'application/vnd.oci.image.index.v1+json';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export interface ImageConfig {
  Entrypoint?: string[];
  Cmd?: string[];
  Env?: string[];
  WorkingDir?: string;
  User?: string;
}

export interface OciImage {
  /** Fully qualified name, e.g. `docker.io/library/busybox:latest`. */
  name: string;
  /** The OCI layout directory. */
  layoutDir: string;
  /** A tar of the layout directory. */
  archive: string;
  manifest: Descriptor;
  config: Descriptor;
  layers: Descriptor[];
}

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

function writeBlob(layoutDir: string, data: Buffer, mediaType: string): Descriptor {
  const digest = sha256(data);
  writeFileSync(join(layoutDir, 'blobs', 'sha256', digest.slice('sha256:'.length)), data);
  return { mediaType, digest, size: data.length };
}

/** The tag part of a reference (`latest` when none is given). */
export function tagOf(name: string): string {
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  return colon > slash ? name.slice(colon + 1) : 'latest';
}

/** Packs `rootfsDir` into a single-layer image at `outDir` (layout in `outDir/layout`). */
export function buildOciImage(name: string, rootfsDir: string, config: ImageConfig, outDir: string): OciImage {
  const layoutDir = join(outDir, 'layout');
  mkdirSync(join(layoutDir, 'blobs', 'sha256'), { recursive: true });

  // GNU tar gives us sorted, owner-free, time-free entries; the same tree yields the same bytes.
  const layerTar = execFileSync('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '--format=posix', '--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime', '-C', rootfsDir, '-cf', '-', '.'], {
    maxBuffer: 256 * 1024 * 1024,
  });
  const diffId = sha256(layerTar);
  const layer = writeBlob(layoutDir, gzipSync(layerTar, { level: 9 }), MEDIA_LAYER);

  const imageConfig = {
    architecture: process.arch === 'x64' ? 'amd64' : process.arch,
    os: 'linux',
    config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], ...config },
    rootfs: { type: 'layers', diff_ids: [diffId] },
    history: [{ created_by: 'skiff deploy/images' }],
  };
  const configDesc = writeBlob(layoutDir, Buffer.from(JSON.stringify(imageConfig)), MEDIA_CONFIG);

  const manifest = { schemaVersion: 2, mediaType: MEDIA_MANIFEST, config: configDesc, layers: [layer] };
  const manifestDesc = writeBlob(layoutDir, Buffer.from(JSON.stringify(manifest)), MEDIA_MANIFEST);

  const index = {
    schemaVersion: 2,
    mediaType: MEDIA_INDEX,
    manifests: [{ ...manifestDesc, annotations: { 'io.containerd.image.name': name, 'org.opencontainers.image.ref.name': tagOf(name) } }],
  };
  writeFileSync(join(layoutDir, 'index.json'), JSON.stringify(index));
  writeFileSync(join(layoutDir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));

  const archive = join(outDir, 'image.tar');
  execFileSync('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '-C', layoutDir, '-cf', archive, '.']);
  return { name, layoutDir, archive, manifest: manifestDesc, config: configDesc, layers: [layer] };
}

/** Reads a blob back from a layout directory. */
export function readBlob(layoutDir: string, digest: string): Buffer {
  return readFileSync(join(layoutDir, 'blobs', 'sha256', digest.replace(/^sha256:/, '')));
}
