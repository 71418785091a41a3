import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiserverSpec, controllerManagerSpec, DEFAULT_SETTINGS, schedulerSpec } from '../cli/cluster/components.js';
import { clusterLayout } from '../cli/cluster/layout.js';
import { SERVICE_NODE_FLAGS } from './node-heap.js';

const files = { caFile: 'ca.crt', certFile: 'a.crt', keyFile: 'a.key', kubeletClientCert: 'k.crt', kubeletClientKey: 'k.key' };

describe('service node flags', () => {
  // The young-generation size is ignored unless it is on the command line: every way a
  // service is started must carry the flags.
  it.each([
    ['apiserver', 'apiserver/main.ts'],
    ['controller-manager', 'controller-manager/main.ts'],
    ['scheduler', 'scheduler/main.ts'],
    ['kubelet', 'kubelet/main.ts'],
  ])('the %s shebang line carries them', (_name, file) => {
    const shebang = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8').split('\n')[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node ${SERVICE_NODE_FLAGS.join(' ')}`);
  });

  it.each([
    ['apiserver', () => apiserverSpec(clusterLayout('/tmp/skiff-x'), DEFAULT_SETTINGS, files).args],
    ['controller-manager', () => controllerManagerSpec(clusterLayout('/tmp/skiff-x'), '/tmp/kc', '10.244.0.0/16').args],
    ['scheduler', () => schedulerSpec(clusterLayout('/tmp/skiff-x'), '/tmp/kc').args],
  ])('skiff up starts the %s with them ahead of its entry point', (_name, args) => {
    expect(args().slice(0, SERVICE_NODE_FLAGS.length)).toEqual(SERVICE_NODE_FLAGS);
  });

  it('keep the young generation at two 2 MB semi-spaces under allocation pressure', () => {
    // Short-lived garbage with some survivors: with V8's defaults the young generation grows to
    // 2 x 16 MB here (and setting the flag at run time leaves it at that).
    const script = `
      const v8 = require('node:v8'); const keep = []; let max = 0;
      for (let i = 0; i < 200000; i++) {
        keep.push(new Array(64).fill(i)); if (keep.length > 2000) keep.shift();
        if (i % 1000 === 0) max = Math.max(max, v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);
      }
      process.stdout.write(String(max));`;
    const youngBytes = Number(execFileSync(process.execPath, [...SERVICE_NODE_FLAGS, '-e', script], { encoding: 'utf8' }));
    expect(youngBytes).toBeGreaterThan(0);
    expect(youngBytes).toBeLessThanOrEqual(2 * 2 * 1024 * 1024);
  });
});
