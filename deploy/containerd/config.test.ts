import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { containerdConfigToml, hostsToml, writeContainerdConfig } from './config.js';

describe('containerd node config', () => {
  const toml = containerdConfigToml({ dir: '/n/a', sandboxImage: 'registry.k8s.io/pause:3.10', cniConfDir: '/n/a/cni', registryUrl: 'http://10.200.0.1:5000' });

  it.each([
    'root = "/n/a/root"',
    'state = "/n/a/state"',
    'address = "/n/a/containerd.sock"',
    'sandbox_image = "registry.k8s.io/pause:3.10"',
    'restrict_oom_score_adj = true',
    'netns_mounts_under_state_dir = true',
    'SystemdCgroup = false',
    'Root = "/n/a/runc"',
    'bin_dir = "/usr/lib/cni"',
    'conf_dir = "/n/a/cni"',
    'config_path = "/n/a/certs.d"',
    'stream_server_address = "127.0.0.1"',
  ])('has %s', (line) => expect(toml).toContain(line));

  it('makes the cluster registry a plain-HTTP pull mirror', () => {
    expect(hostsToml('docker.io', 'http://10.200.0.1:5000')).toBe('server = "https://registry-1.docker.io"\n\n[host."http://10.200.0.1:5000"]\n  capabilities = ["pull", "resolve"]\n  skip_verify = true\n');
    const dir = mkdtempSync(join(tmpdir(), 'ctd-'));
    try {
      const paths = writeContainerdConfig({ dir, sandboxImage: 'p', cniConfDir: join(dir, 'cni'), registryUrl: 'http://r:5000' });
      expect(readFileSync(join(paths.certsDir, 'docker.io', 'hosts.toml'), 'utf8')).toContain('[host."http://r:5000"]');
      expect(readFileSync(join(paths.certsDir, 'registry.k8s.io', 'hosts.toml'), 'utf8')).toContain('server = "https://registry.k8s.io"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
