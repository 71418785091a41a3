import { describe, expect, it } from 'vitest';
import { BUILTIN_RESOURCES } from '../../api/resources.js';
import type { RequestContext } from '../context.js';
import { ApiError } from '../errors.js';
import { checkAppliedConfig, decodeApplyPatch, forceOf, scaleAppliedAsObject } from './apply-patch.js';

const deployments = BUILTIN_RESOURCES.find((t) => t.kind === 'Deployment')!;
const ctx = { type: deployments, name: 'web', namespace: 'default', query: new URLSearchParams() } as RequestContext;

function status(run: () => unknown): number | undefined {
  try {
    run();
    return undefined;
  } catch (err) {
    return err instanceof ApiError ? err.code : -1;
  }
}

describe('decodeApplyPatch', () => {
  it.each([
    ['JSON', '{"apiVersion":"apps/v1","kind":"Deployment","spec":{"replicas":2}}', { apiVersion: 'apps/v1', kind: 'Deployment', spec: { replicas: 2 } }, []],
    ['YAML', 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 2\n', { apiVersion: 'apps/v1', kind: 'Deployment', spec: { replicas: 2 } }, []],
    ['YAML with a repeated key', 'kind: Deployment\nkind: Deployment\n', { kind: 'Deployment' }, ['kind']],
    ['JSON with a repeated key', '{"kind":"A","kind":"Deployment"}', { kind: 'Deployment' }, ['kind']],
  ])('%s', (_name, body, config, duplicates) => {
    expect(decodeApplyPatch(Buffer.from(body))).toEqual({ config, duplicates });
  });

  it.each([
    ['a list', '- a\n- b\n'],
    ['a scalar', 'hello'],
    ['broken YAML', 'a: [1,\n'],
    ['broken JSON', '{"a":'],
    ['nothing', '   '],
  ])('refuses %s with 400', (_name, body) => {
    expect(status(() => decodeApplyPatch(Buffer.from(body)))).toBe(400);
  });
});

describe('forceOf', () => {
  it.each([
    ['', true, false],
    ['force=true', true, true],
    ['force=false', true, false],
    ['force=maybe', true, 400],
    ['force=true', false, 422],
    ['force=false', false, 422],
  ] as const)('%s (apply: %s) -> %s', (query, isApply, want) => {
    const q = new URLSearchParams(query);
    if (typeof want === 'boolean') expect(forceOf(q, isApply)).toBe(want);
    else expect(status(() => forceOf(q, isApply))).toBe(want);
  });
});

describe('checkAppliedConfig', () => {
  const base = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } };
  it.each([
    ['a matching configuration', base, undefined],
    ['no name (the URL names the object)', { ...base, metadata: {} }, undefined],
    ['no apiVersion', { kind: 'Deployment' }, 400],
    ['another version', { ...base, apiVersion: 'apps/v1beta1' }, 400],
    ['another kind', { ...base, kind: 'ReplicaSet' }, 400],
    ['another name', { ...base, metadata: { name: 'other' } }, 400],
    ['managedFields', { ...base, metadata: { name: 'web', managedFields: [] } }, 400],
    ['metadata that is not an object', { ...base, metadata: 'x' }, 400],
  ])('%s', (_name, config, want) => {
    expect(status(() => checkAppliedConfig(ctx, config as Record<string, unknown>))).toBe(want);
  });

  it('names the expected version as upstream does', () => {
    expect(() => checkAppliedConfig(ctx, { ...base, apiVersion: 'v1' })).toThrow('Incorrect version specified in apply patch. Specified patch version: v1, expected: apps/v1');
  });
});

describe('scaleAppliedAsObject', () => {
  const scale = (extra: Record<string, unknown>) => ({ config: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web' }, ...extra }, duplicates: [] });
  it('is the object with spec.replicas, keeping a resourceVersion precondition', () => {
    const s = scale({ spec: { replicas: 3 } });
    (s.config.metadata as Record<string, unknown>).resourceVersion = '7';
    expect(scaleAppliedAsObject(ctx, s).config).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', resourceVersion: '7' }, spec: { replicas: 3 } });
  });

  it('without replicas applies nothing of the spec', () => {
    expect(scaleAppliedAsObject(ctx, scale({})).config).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } });
  });

  it.each([
    ['another kind', { config: { apiVersion: 'apps/v1', kind: 'Deployment' }, duplicates: [] }],
    ['another name', { config: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'x' } }, duplicates: [] }],
  ])('refuses %s with 400', (_name, applied) => {
    expect(status(() => scaleAppliedAsObject(ctx, applied))).toBe(400);
  });
});
