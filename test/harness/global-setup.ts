// Runs once before the integration tests: checks the real parts are installed, and on the
// testcontainers path builds the etcd image and sweeps containers a killed run left behind.

import { execFileSync } from 'node:child_process';
import { buildEtcdImage } from './etcd-image.js';
import { etcdMode } from './etcd.js';

function need(binary: string, pkg: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' });
  } catch {
    throw new Error(`integration tests need '${binary}' (Debian package ${pkg}); run: apt-get install -y ${pkg}`);
  }
}

function sweepTestContainers(): void {
  try {
    const ids = execFileSync('podman', ['ps', '-a', '-q', '--filter', 'label=org.testcontainers=true'], { encoding: 'utf8' }).trim();
    if (ids) execFileSync('podman', ['rm', '-f', ...ids.split('\n')], { stdio: 'ignore' });
  } catch {
    // nothing to sweep, or podman is absent: the process path does not need it
  }
}

export default function setup(): () => void {
  need('etcd', 'etcd-server');
  need('kubectl', 'kubectl');
  if (etcdMode() === 'container') {
    need('podman', 'podman');
    process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
    process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
    sweepTestContainers();
    buildEtcdImage();
  }
  return () => {
    if (etcdMode() === 'container') sweepTestContainers();
  };
}
