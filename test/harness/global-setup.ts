// Runs once before the integration tests: checks the real parts are installed, and on the
// testcontainers path builds the etcd image and sweeps containers a killed run left behind.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEtcdImage } from './etcd-image.js';
import { etcdMode, RUN_LABEL } from './etcd.js';

function need(binary: string, pkg: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' });
  } catch {
    throw new Error(`integration tests need '${binary}' (Debian package ${pkg}); run: apt-get install -y ${pkg}`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes test containers whose run is over: this run's at teardown, and any a killed run
 * left behind. Another run going on at the same time keeps its etcds.
 */
function sweepTestContainers(ownRunEnded: boolean): void {
  try {
    const rows = execFileSync('podman', ['ps', '-a', '--filter', 'label=org.testcontainers=true', '--format', `{{.ID}} {{index .Labels "${RUN_LABEL}"}}`], { encoding: 'utf8' });
    const orphans = rows
      .split('\n')
      .map((row) => row.trim().split(' '))
      .filter(([id]) => id)
      .filter(([, owner]) => {
        const pid = Number(owner);
        if (!Number.isInteger(pid) || pid <= 0) return true;
        return pid === process.pid ? ownRunEnded : !alive(pid);
      })
      .map(([id]) => id);
    if (orphans.length) execFileSync('podman', ['rm', '-f', ...orphans], { stdio: 'ignore' });
  } catch {
    // nothing to sweep, or podman is absent: the process path does not need it
  }
}

export default function setup(): () => void {
  need('etcd', 'etcd-server');
  need('kubectl', 'kubectl');
  // The node images are built once per run into a dir the run removes (test/harness/images.ts).
  const imageCache = mkdtempSync(join(tmpdir(), 'skiff-test-images-'));
  process.env.SKIFF_TEST_IMAGE_CACHE = imageCache;
  if (etcdMode() === 'container') {
    need('podman', 'podman');
    process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
    process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
    process.env.SKIFF_TEST_RUN_PID = String(process.pid);
    sweepTestContainers(false);
    buildEtcdImage();
  }
  return () => {
    rmSync(imageCache, { recursive: true, force: true });
    if (etcdMode() === 'container') sweepTestContainers(true);
  };
}
