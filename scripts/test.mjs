#!/usr/bin/env node
// `npm test`: the whole suite against the real parts. Installs the Debian packages the
// integration tests need when they are missing (as root), runs podman's Docker-compatible API
// service so etcd comes up through testcontainers (set SKIFF_TEST_ETCD=process to use child
// processes instead), then runs vitest with any arguments given, and stops what it started.

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DEBIAN_PACKAGES = [
  'etcd-server', 'containerd', 'runc', 'containernetworking-plugins', 'iptables', 'iproute2',
  'busybox-static', 'docker-registry', 'podman', 'curl', 'conntrack', 'gcc', 'libc6-dev',
];

function missing(pkgs) {
  return pkgs.filter((p) => {
    try {
      return !execFileSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).includes('install ok installed');
    } catch {
      return true;
    }
  });
}

const absent = missing(DEBIAN_PACKAGES);
if (absent.length > 0) {
  if (process.getuid() !== 0) {
    console.error(`tests need these Debian packages: ${absent.join(' ')} (run as root, or apt-get install them)`);
    process.exit(1);
  }
  console.log(`installing Debian packages: ${absent.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...absent], { stdio: ['ignore', 'ignore', 'inherit'], env });
}

const env = { ...process.env };
let podmanDir;
if (!env.DOCKER_HOST && env.SKIFF_TEST_ETCD !== 'process') {
  podmanDir = mkdtempSync(join(tmpdir(), 'skiff-podman-'));
  const sock = execFileSync('bash', ['test/harness/podman-service.sh', 'start', podmanDir], { encoding: 'utf8' }).trim();
  Object.assign(env, {
    DOCKER_HOST: `unix://${sock}`,
    TESTCONTAINERS_RYUK_DISABLED: 'true',
    TESTCONTAINERS_HOST_OVERRIDE: '127.0.0.1',
  });
}

function stopPodman() {
  if (!podmanDir) return;
  try {
    execFileSync('bash', ['test/harness/podman-service.sh', 'stop', podmanDir]);
  } finally {
    rmSync(podmanDir, { recursive: true, force: true });
    podmanDir = undefined;
  }
}

const vitest = spawn('npx', ['vitest', 'run', ...process.argv.slice(2)], { stdio: 'inherit', env });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => vitest.kill(sig));
vitest.on('exit', (code, signal) => {
  stopPodman();
  process.exit(code ?? (signal ? 1 : 0));
});
