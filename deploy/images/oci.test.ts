import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildOciImage, readBlob, tagOf } from './oci.js';

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'oci-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('tagOf', () => {
  it.each([
    ['docker.io/library/busybox:latest', 'latest'],
    ['registry.k8s.io/pause:3.10', '3.10'],
    ['localhost:5000/x', 'latest'],
  ])('%s → %s', (name, tag) => expect(tagOf(name)).toBe(tag));
});

describe('buildOciImage', () => {
  function rootfs(): string {
    const r = tmp();
    mkdirSync(join(r, 'bin'));
    writeFileSync(join(r, 'bin', 'hello'), '#!/bin/sh\necho hi\n', { mode: 0o755 });
    return r;
  }

  it('is deterministic: the same tree gives the same digests', () => {
    const a = buildOciImage('docker.io/library/t:1', rootfs(), { Cmd: ['/bin/hello'] }, tmp());
    const b = buildOciImage('docker.io/library/t:1', rootfs(), { Cmd: ['/bin/hello'] }, tmp());
    expect(b.manifest.digest).toBe(a.manifest.digest);
    expect(b.layers[0].digest).toBe(a.layers[0].digest);
  });

  it('writes an OCI layout whose index names the image', () => {
    const img = buildOciImage('docker.io/library/t:2', rootfs(), { Entrypoint: ['/bin/hello'] }, tmp());
    const index = JSON.parse(readFileSync(join(img.layoutDir, 'index.json'), 'utf8')) as { manifests: { digest: string; annotations: Record<string, string> }[] };
    expect(index.manifests[0].digest).toBe(img.manifest.digest);
    expect(index.manifests[0].annotations['io.containerd.image.name']).toBe('docker.io/library/t:2');
    const config = JSON.parse(readBlob(img.layoutDir, img.config.digest).toString()) as { config: { Entrypoint: string[] }; rootfs: { diff_ids: string[] } };
    expect(config.config.Entrypoint).toEqual(['/bin/hello']);
    expect(config.rootfs.diff_ids).toHaveLength(1);
  });
});
