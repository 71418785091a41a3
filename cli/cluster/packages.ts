// Debian packages a local cluster needs; installed with apt-get when missing (we run as root).

import { execFileSync } from 'node:child_process';

export const CLUSTER_PACKAGES = [
  'etcd-server',
  'containerd',
  'runc',
  'containernetworking-plugins',
  'iptables',
  'iproute2',
  'busybox-static',
  'docker-registry',
  'gcc',
  'libc6-dev',
] as const;

export function missingPackages(packages: readonly string[]): string[] {
  return packages.filter((p) => {
    try {
      const status = execFileSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      return !status.includes('install ok installed');
    } catch {
      return true;
    }
  });
}

export function installPackages(packages: string[]): void {
  if (packages.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`these Debian packages are missing and installing them needs root: ${packages.join(' ')}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'pipe'], env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: ['ignore', 'ignore', 'pipe'], env });
}
