import { describe, expect, it } from 'vitest';
import { mirrorRef } from './push.js';

describe('mirrorRef', () => {
  it.each([
    ['docker.io/library/busybox:latest', 'library/busybox', 'latest'],
    ['docker.io/busybox', 'library/busybox', 'latest'],
    ['busybox:1.36', 'library/busybox', '1.36'],
    ['nginx/nginx:1', 'nginx/nginx', '1'],
    ['registry.k8s.io/pause:3.10', 'pause', '3.10'],
    ['localhost:5000/team/app:v2', 'team/app', 'v2'],
  ])('%s → %s:%s', (name, repository, tag) => {
    expect(mirrorRef(name)).toEqual({ repository, tag });
  });
});
