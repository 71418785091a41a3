// `skiff image load` and `skiff image ls` as a user runs them: the CLI as its own process,
// against Debian's docker-registry on a loopback port, with an OCI archive built by
// deploy/images and a hand-made `docker save` archive.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOciImage, sha256 } from '../deploy/images/oci.js';
import { startRegistry, type RegistryProcess } from '../deploy/registry/registry.js';
import { freePort } from './harness/ports.js';
import { runSkiff, type SkiffRun } from './harness/skiff-cli.js';

let dir: string;
let registry: RegistryProcess | undefined;

const skiff = (...args: string[]): Promise<SkiffRun> => runSkiff(args);

/** A `docker save` archive: manifest.json, the config JSON, one uncompressed layer tar. */
function dockerSaveArchive(repoTag: string): string {
  const base = mkdtempSync(join(dir, 'docker-'));
  const rootfs = join(base, 'rootfs');
  mkdirSync(rootfs);
  writeFileSync(join(rootfs, 'index.html'), '<p>from docker save</p>\n');
  const layerTar = execFileSync('tar', ['-C', rootfs, '-cf', '-', 'index.html']);
  const src = join(base, 'save');
  mkdirSync(join(src, 'l1'), { recursive: true });
  writeFileSync(join(src, 'l1', 'layer.tar'), layerTar);
  const config = JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Cmd: ['cat', '/index.html'] }, rootfs: { type: 'layers', diff_ids: [sha256(layerTar)] } });
  const configName = `${sha256(config).slice(7)}.json`;
  writeFileSync(join(src, configName), config);
  writeFileSync(join(src, 'manifest.json'), JSON.stringify([{ Config: configName, RepoTags: [repoTag], Layers: ['l1/layer.tar'] }]));
  const archive = join(base, 'image.tar');
  execFileSync('tar', ['-C', src, '-cf', archive, '.']);
  return archive;
}

async function registryDigest(repository: string, tag: string): Promise<string | null> {
  const res = await fetch(`${registry!.url}/v2/${repository}/manifests/${tag}`, {
    headers: { Accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' },
  });
  expect(res.status).toBe(200);
  // The digest of the bytes served, not only the header the registry sends.
  return sha256(Buffer.from(await res.arrayBuffer()));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skiff-cli-image-'));
  registry = await startRegistry({ dataDir: join(dir, 'registry'), listen: `127.0.0.1:${await freePort()}` });
});

afterAll(async () => {
  await registry?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('skiff image', () => {
  it('loads an OCI archive under the name in its index.json', async () => {
    const rootfs = join(dir, 'oci-rootfs');
    mkdirSync(rootfs);
    writeFileSync(join(rootfs, 'hello.txt'), 'hello from oci\n');
    const image = buildOciImage('docker.io/library/web:v1', rootfs, { Cmd: ['cat', '/hello.txt'] }, join(dir, 'oci'));

    const run = await skiff('image', 'load', image.archive, '--registry', registry!.url);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(`loaded docker.io/library/web:v1 (${image.manifest.digest})`);
    expect(await registryDigest('library/web', 'v1')).toBe(image.manifest.digest);
  });

  it('loads a docker-archive, normalising its short RepoTag, and lists both images', async () => {
    const run = await skiff('image', 'load', dockerSaveArchive('team/site:2.0'), '--registry', registry!.url);
    expect(run.code, run.stderr).toBe(0);
    const match = /^loaded docker\.io\/team\/site:2\.0 \((sha256:[0-9a-f]{64})\)$/.exec(run.stdout.trim());
    expect(match, run.stdout).not.toBeNull();
    const digest = match![1];
    expect(await registryDigest('team/site', '2.0')).toBe(digest);

    const ls = await skiff('image', 'ls', '--registry', registry!.url);
    expect(ls.code, ls.stderr).toBe(0);
    const rows = ls.stdout.trim().split('\n').map((l) => l.split(/\s+/));
    expect(rows[0]).toEqual(['IMAGE', 'TAG', 'DIGEST']);
    expect(rows.slice(1)).toEqual([
      ['library/web', 'v1', await registryDigest('library/web', 'v1')],
      ['team/site', '2.0', digest],
    ]);
  });

  it('--name overrides the archive name; other registries and a dead registry are refused clearly', async () => {
    const archive = dockerSaveArchive('ignored:1');
    const renamed = await skiff('image', 'load', archive, '--name', 'registry.k8s.io/site:3', '--registry', registry!.url);
    expect(renamed.code, renamed.stderr).toBe(0);
    expect(renamed.stdout).toMatch(/^loaded registry\.k8s\.io\/site:3 \(sha256:/);

    const foreign = await skiff('image', 'load', archive, '--name', 'ghcr.io/org/site:1', '--registry', registry!.url);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toMatch(/ghcr\.io\/org\/site:1: nodes pull only docker\.io and registry\.k8s\.io images/);

    const dead = await skiff('image', 'ls', '--registry', `http://127.0.0.1:${await freePort()}`);
    expect(dead.code).toBe(1);
    expect(dead.stderr).toMatch(/does not answer; is the cluster up\? npx skiff up/);
  });
});
