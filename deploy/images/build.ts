// The two images every skiff node needs, built from what the machine has: `pause` (the pod
// sandbox, compiled from pause.c) and `busybox` (Debian's static busybox with one symlink per
// applet). Their names are the usual upstream ones, so the cluster registry serves them as
// the docker.io mirror and `image: busybox` works unchanged.

import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOciImage, type OciImage } from './oci.js';

export const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';
export const BUSYBOX_IMAGE = 'docker.io/library/busybox:latest';
export const PAUSE_SOURCE = fileURLToPath(new URL('./pause.c', import.meta.url));
export const BUSYBOX_BINARY = '/usr/bin/busybox';

function withRootfs<T>(fn: (rootfs: string) => T): T {
  const rootfs = mkdtempSync(join(tmpdir(), 'skiff-rootfs-'));
  try {
    return fn(rootfs);
  } finally {
    rmSync(rootfs, { recursive: true, force: true });
  }
}

export function buildPauseImage(outDir: string, name = PAUSE_IMAGE): OciImage {
  return withRootfs((rootfs) => {
    execFileSync('gcc', ['-static', '-Os', '-s', '-o', join(rootfs, 'pause'), PAUSE_SOURCE]);
    return buildOciImage(name, rootfs, { Entrypoint: ['/pause'], User: '0' }, outDir);
  });
}

export function buildBusyboxImage(outDir: string, name = BUSYBOX_IMAGE, binary = BUSYBOX_BINARY): OciImage {
  return withRootfs((rootfs) => {
    for (const d of ['bin', 'etc', 'root', 'var/www', 'home']) mkdirSync(join(rootfs, d), { recursive: true });
    mkdirSync(join(rootfs, 'tmp'));
    chmodSync(join(rootfs, 'tmp'), 0o1777);
    copyFileSync(binary, join(rootfs, 'bin', 'busybox'));
    chmodSync(join(rootfs, 'bin', 'busybox'), 0o755);
    const applets = execFileSync(binary, ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const applet of applets) {
      // `busybox --list` names itself; a link there would replace the binary with a self-link.
      if (applet === 'busybox') continue;
      symlinkSync('busybox', join(rootfs, 'bin', applet));
    }
    writeFileSync(join(rootfs, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n');
    writeFileSync(join(rootfs, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
    writeFileSync(join(rootfs, 'var', 'www', 'index.html'), 'busybox httpd\n');
    return buildOciImage(name, rootfs, { Cmd: ['sh'] }, outDir);
  });
}
