import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/types.js';
import { buildContainerConfig, containerHash, normalizeImage } from './container-config.js';

describe('normalizeImage', () => {
  it.each([
    ['busybox', 'docker.io/library/busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36'],
    ['team/app', 'docker.io/team/app:latest'],
    ['registry.k8s.io/pause:3.10', 'registry.k8s.io/pause:3.10'],
    ['localhost:5000/x', 'localhost:5000/x:latest'],
    ['busybox@sha256:abc', 'docker.io/library/busybox@sha256:abc'],
  ])('%s → %s', (img, want) => expect(normalizeImage(img)).toBe(want));
});

describe('buildContainerConfig', () => {
  const pod: Pod = {
    metadata: { name: 'web', namespace: 'shop', uid: 'u1' },
    spec: { containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'echo $(GREETING) $$(LITERAL)'], args: ['$(MISSING)'], workingDir: '/tmp', resources: { limits: { memory: '32Mi' } } }] },
  };
  const cfg = buildContainerConfig({ pod, container: pod.spec!.containers[0], attempt: 3, init: false, env: new Map([['GREETING', 'hi']]), mounts: [], nodeMemoryBytes: 1 << 30 });

  it('expands variables in command and args, keeping unknown ones and unescaping $$', () => {
    expect(cfg.command).toEqual(['sh', '-c', 'echo hi $(LITERAL)']);
    expect(cfg.args).toEqual(['$(MISSING)']);
  });

  it('names the attempt, its log file and the pod in labels', () => {
    expect(cfg.metadata).toEqual({ name: 'app', attempt: 3 });
    expect(cfg.log_path).toBe('app/3.log');
    expect(cfg.labels).toMatchObject({ 'io.kubernetes.pod.uid': 'u1', 'io.kubernetes.container.name': 'app' });
    expect(cfg.annotations?.['io.kubernetes.container.restartCount']).toBe('3');
    expect(cfg.image.image).toBe('docker.io/library/busybox:latest');
    expect(cfg.linux?.resources?.memory_limit_in_bytes).toBe(32 * 1024 * 1024);
  });

  it('hashes only runtime-relevant fields', () => {
    const c = pod.spec!.containers[0];
    expect(containerHash({ ...c, terminationMessagePolicy: 'File' })).toBe(containerHash(c));
    expect(containerHash({ ...c, image: 'busybox:2' })).not.toBe(containerHash(c));
  });
});
