// Builds the etcd image the testcontainers path runs: Debian's etcd binary on scratch.
// No registry is reachable, so the image is made locally from the installed package.

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ETCD_IMAGE } from './etcd.js';

/** Shared libraries the etcd binary links against (it is a Go binary, but Debian builds it with cgo). */
function librariesOf(binary: string): string[] {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' });
  return [...out.matchAll(/(\/\S+\.so[^\s]*)/g)].map((m) => m[1]);
}

export function buildEtcdImage(): void {
  const ctx = mkdtempSync(join(tmpdir(), 'skiff-etcd-image-'));
  try {
    const etcd = execFileSync('sh', ['-c', 'command -v etcd'], { encoding: 'utf8' }).trim();
    for (const file of [etcd, ...librariesOf(etcd)]) {
      const target = join(ctx, 'rootfs', file);
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(file, target);
    }
    mkdirSync(join(ctx, 'rootfs', 'tmp'), { recursive: true });
    writeFileSync(
      join(ctx, 'Containerfile'),
      ['FROM scratch', 'COPY rootfs/ /', 'EXPOSE 2379', `ENTRYPOINT ["${etcd}"]`, ''].join('\n'),
    );
    execFileSync('podman', ['build', '-q', '-t', ETCD_IMAGE, ctx], { stdio: ['ignore', 'ignore', 'inherit'] });
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
}
