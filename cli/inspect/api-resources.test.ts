import { describe, expect, it } from 'vitest';
import { BUILTIN_RESOURCES } from '../../api/resources.js';
import { formatApiResources, selectResources } from './api-resources.js';
import { clientVersion, formatVersion } from './version.js';

describe('api-resources', () => {
  it('lists the preferred kinds sorted by group, then name, with kubectl columns', () => {
    const out = formatApiResources(selectResources([...BUILTIN_RESOURCES], {}), undefined);
    const lines = out.split('\n');
    expect(lines[0].split(/ {3,}/)).toEqual(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
    expect(lines[1]).toMatch(/^configmaps +cm +v1 +true +ConfigMap$/);
    // Every row's KIND starts under the header's, at least three spaces after the longest name.
    const kindAt = lines[0].indexOf('KIND');
    for (const row of lines.slice(1, -1)) expect(row[kindAt - 1]).toBe(' ');
    expect(lines.slice(1, -1).every((row) => /^[A-Z]/.test(row.slice(kindAt)))).toBe(true);
    expect(lines.findIndex((l) => l.startsWith('deployments '))).toBeGreaterThan(lines.findIndex((l) => l.startsWith('services ')));
  });
  it('filters namespaced and prints names', () => {
    const cluster = selectResources([...BUILTIN_RESOURCES], { namespaced: false });
    const names = formatApiResources(cluster, 'name').trimEnd().split('\n');
    expect(names.slice(0, 2)).toEqual(['namespaces', 'nodes']);
    expect(names).toContain('priorityclasses.scheduling.k8s.io');
    expect(names).not.toContain('pods');
  });
  it('wide adds verbs and categories', () => {
    const pods = selectResources([...BUILTIN_RESOURCES], { verbs: ['list'] }).filter((t) => t.resource === 'pods');
    expect(formatApiResources(pods, 'wide', true)).toMatch(/^pods +po +v1 +true +Pod +create,.*watch +all\n$/);
  });
  it('keeps only the first (preferred) version of a kind', () => {
    const deploy = BUILTIN_RESOURCES.find((t) => t.resource === 'deployments')!;
    expect(selectResources([deploy, { ...deploy, version: 'v1beta1' }], {}).map((t) => t.version)).toEqual(['v1']);
  });
  it('refuses unknown output formats', () => {
    expect(() => formatApiResources([], 'yaml')).toThrow(/use wide or name/);
  });
});

describe('version', () => {
  it('prints client and server as kubectl does', () => {
    const server = { major: '1', minor: '32', gitVersion: 'v1.32.0+skiff-0.1.0' };
    expect(formatVersion(clientVersion(), server, undefined)).toBe(`Client Version: ${clientVersion().gitVersion}\nServer Version: v1.32.0+skiff-0.1.0\n`);
    expect(JSON.parse(formatVersion(clientVersion(), server, 'json'))).toMatchObject({ serverVersion: server, clientVersion: { major: '1' } });
  });
});
