import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildOciImage, MEDIA_CONFIG, MEDIA_LAYER, MEDIA_MANIFEST, readBlob, sha256 } from '../../deploy/images/oci.js';
import { readUnpackedImage, unpackArchive } from './archive.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'skiff-archive-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A `docker save`-shaped archive holding one image with a one-file layer. */
function dockerArchive(opts: { repoTags?: string[] | null; diffId?: string } = {}): { archive: string; layerTar: Buffer; config: Buffer } {
  const rootfs = join(dir, 'rootfs');
  mkdirSync(rootfs);
  writeFileSync(join(rootfs, 'hello.txt'), 'hello\n');
  const layerTar = execFileSync('tar', ['-C', rootfs, '-cf', '-', 'hello.txt']);
  const src = join(dir, 'save');
  mkdirSync(join(src, 'abc'), { recursive: true });
  writeFileSync(join(src, 'abc', 'layer.tar'), layerTar);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Cmd: ['cat', '/hello.txt'] }, rootfs: { type: 'layers', diff_ids: [opts.diffId ?? sha256(layerTar)] } }));
  const configName = `${sha256(config).slice(7)}.json`;
  writeFileSync(join(src, configName), config);
  const repoTags = opts.repoTags === undefined ? ['web:v1'] : opts.repoTags;
  writeFileSync(join(src, 'manifest.json'), JSON.stringify([{ Config: configName, RepoTags: repoTags, Layers: ['abc/layer.tar'] }]));
  const archive = join(dir, 'docker.tar');
  execFileSync('tar', ['-C', src, '-cf', archive, '.']);
  return { archive, layerTar, config };
}

function read(archive: string) {
  const unpacked = join(dir, 'unpacked');
  unpackArchive(archive, unpacked);
  return readUnpackedImage(unpacked, join(dir, 'work'));
}

describe('docker-archive → OCI layout', () => {
  it('gzips each layer, keeps the config (and its diff_ids) and writes an OCI manifest', () => {
    const { archive, layerTar, config } = dockerArchive();
    const image = read(archive);
    expect(image.name).toBe('web:v1');
    expect(image.config).toEqual({ mediaType: MEDIA_CONFIG, digest: sha256(config), size: config.length });
    expect(readBlob(image.layoutDir, image.config.digest).equals(config)).toBe(true);

    expect(image.layers).toHaveLength(1);
    const layer = readBlob(image.layoutDir, image.layers[0].digest);
    expect(image.layers[0]).toMatchObject({ mediaType: MEDIA_LAYER, digest: sha256(layer), size: layer.length });
    expect(gunzipSync(layer).equals(layerTar)).toBe(true);

    const manifestBytes = readBlob(image.layoutDir, image.manifest.digest);
    expect(sha256(manifestBytes)).toBe(image.manifest.digest);
    const manifest = JSON.parse(manifestBytes.toString()) as { mediaType: string; config: unknown; layers: unknown[] };
    expect(manifest).toEqual({ schemaVersion: 2, mediaType: MEDIA_MANIFEST, config: image.config, layers: image.layers });
    const index = JSON.parse(readFileSync(join(image.layoutDir, 'index.json'), 'utf8')) as { manifests: unknown[] };
    expect(index.manifests).toEqual([image.manifest]);
  });

  it('refuses manifest entries that lead out of the archive', () => {
    const { archive } = dockerArchive();
    const unpacked = join(dir, 'unpacked');
    unpackArchive(archive, unpacked);
    writeFileSync(join(unpacked, 'manifest.json'), JSON.stringify([{ Config: '../../etc/passwd', RepoTags: ['web:v1'], Layers: ['abc/layer.tar'] }]));
    expect(() => readUnpackedImage(unpacked, join(dir, 'work'))).toThrow(/points outside the archive/);
  });

  it('leaves the name to --name when the archive has no RepoTags', () => {
    expect(read(dockerArchive({ repoTags: null }).archive).name).toBeUndefined();
  });

  it('refuses a layer that does not match its diff_id', () => {
    const { archive } = dockerArchive({ diffId: sha256('something else') });
    expect(() => read(archive)).toThrow(/does not match diff_id/);
  });
});

describe('OCI archive', () => {
  it('reads the manifest, config, layers and containerd name from index.json', () => {
    const rootfs = join(dir, 'rootfs');
    mkdirSync(rootfs);
    writeFileSync(join(rootfs, 'hello.txt'), 'hello\n');
    const built = buildOciImage('docker.io/library/web:v2', rootfs, { Cmd: ['true'] }, join(dir, 'built'));
    const image = read(built.archive);
    expect(image.name).toBe('docker.io/library/web:v2');
    expect(image.manifest).toEqual(built.manifest);
    expect(image.config).toEqual(built.config);
    expect(image.layers).toEqual(built.layers);
  });

  it('names the file it cannot unpack', () => {
    expect(() => read(join(dir, 'missing.tar'))).toThrow(/missing.tar: no such file/);
    writeFileSync(join(dir, 'garbage.tar'), 'not a tar at all');
    expect(() => read(join(dir, 'garbage.tar'))).toThrow(/cannot unpack .*garbage.tar/);
  });

  it('refuses a tar that is not an image archive', () => {
    mkdirSync(join(dir, 'junk'));
    writeFileSync(join(dir, 'junk', 'readme'), 'x');
    execFileSync('tar', ['-C', join(dir, 'junk'), '-cf', join(dir, 'junk.tar'), '.']);
    expect(() => read(join(dir, 'junk.tar'))).toThrow(/not an image archive/);
  });
});
