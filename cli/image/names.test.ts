import { describe, expect, it } from 'vitest';
import { isMirrored, normaliseImageName, parseImageName } from './names.js';

describe('normaliseImageName', () => {
  it.each([
    ['web', 'docker.io/library/web:latest'],
    ['web:v1', 'docker.io/library/web:v1'],
    ['team/web:v1', 'docker.io/team/web:v1'],
    ['docker.io/web:v1', 'docker.io/library/web:v1'],
    ['index.docker.io/library/web', 'docker.io/library/web:latest'],
    ['registry.k8s.io/pause:3.10', 'registry.k8s.io/pause:3.10'],
    ['localhost/web:dev', 'localhost/web:dev'],
    ['localhost:5000/a/b:c', 'localhost:5000/a/b:c'],
    ['ghcr.io/org/tool:1.2.3-rc_1', 'ghcr.io/org/tool:1.2.3-rc_1'],
    ['my-app.v2__x:latest', 'docker.io/library/my-app.v2__x:latest'],
  ])('%s → %s', (input, want) => {
    expect(normaliseImageName(input)).toBe(want);
  });

  it.each([['Web:v1'], ['web:'], ['web@sha256:abcd'], ['/web'], ['web//x'], ['web:-bad'], ['']])('refuses %j', (input) => {
    expect(() => normaliseImageName(input)).toThrow(/image name/);
  });
});

describe('isMirrored', () => {
  it.each([
    ['web:v1', true],
    ['registry.k8s.io/pause:3.10', true],
    ['ghcr.io/org/tool:1', false],
    ['localhost:5000/web', false],
  ])('%s → %s', (input, want) => {
    expect(isMirrored(parseImageName(input))).toBe(want);
  });
});
