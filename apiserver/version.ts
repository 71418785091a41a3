// `/version`: the Kubernetes API level skiff follows. kubectl on these machines picks its own
// minor version from it, so major/minor must stay what skiff implements.

import { arch, platform } from 'node:os';

export const KUBE_MAJOR = '1';
export const KUBE_MINOR = '32';
export const SKIFF_VERSION = '0.1.0';

export function versionInfo(): Record<string, string> {
  return {
    major: KUBE_MAJOR,
    minor: KUBE_MINOR,
    gitVersion: `v${KUBE_MAJOR}.${KUBE_MINOR}.0+skiff-${SKIFF_VERSION}`,
    gitCommit: '',
    gitTreeState: 'clean',
    buildDate: '1970-01-01T00:00:00Z',
    goVersion: `node-${process.version}`,
    compiler: 'tsc',
    platform: `${platform()}/${arch() === 'x64' ? 'amd64' : arch()}`,
  };
}
