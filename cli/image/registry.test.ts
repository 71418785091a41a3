import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registryConfig } from '../../deploy/registry/registry.js';
import { clusterLayout } from '../cluster/layout.js';
import { clusterRegistryUrl } from './registry.js';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'skiff-registry-url-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('clusterRegistryUrl', () => {
  it('reads the listen address from the registry config `skiff up` wrote', () => {
    const registryData = clusterLayout(dataDir).registryData;
    mkdirSync(registryData, { recursive: true });
    writeFileSync(join(registryData, 'config.yml'), registryConfig(registryData, '10.9.0.1:5123'));
    expect(clusterRegistryUrl(dataDir)).toBe('http://10.9.0.1:5123');
  });

  it('falls back to the lab gateway when no cluster is recorded there', () => {
    expect(clusterRegistryUrl(dataDir)).toBe('http://10.200.0.1:5000');
  });
});
