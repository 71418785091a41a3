import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors.js';
import { applyConfig, LAST_APPLIED, type ApplyInput } from './apply-config.js';
import type { JsonObject } from './fields-of.js';
import { FieldSet } from './fieldset.js';
import type { Manager } from './managers.js';
import { applyTypeFor } from './schema.js';
import { recordUpdate } from './tracking.js';

const type = applyTypeFor({ group: 'apps', version: 'v1', kind: 'Deployment' });
const scope = { subresource: '', statusSubresource: true };
const writer = (manager: string, now = '2026-01-01T00:00:00Z') => ({ manager, apiVersion: 'apps/v1', subresource: '', now });

function deployment(opts: { replicas?: number; image?: string; labels?: Record<string, string>; sidecar?: boolean } = {}): JsonObject {
  const containers: JsonObject[] = [{ name: 'web', image: opts.image ?? 'nginx:1' }];
  if (opts.sidecar) containers.push({ name: 'side', image: 'busybox' });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', ...(opts.labels ? { labels: opts.labels } : {}) },
    spec: { ...(opts.replicas !== undefined ? { replicas: opts.replicas } : {}), template: { spec: { containers } } },
  };
}

function apply(live: JsonObject | undefined, managers: Manager[], config: JsonObject, manager = 'kubectl', force = false) {
  const input: ApplyInput = { config, writer: writer(manager), force, type, scope };
  return applyConfig(live, managers, input);
}

const spec = (o: JsonObject) => o.spec as { replicas?: number; template: { spec: { containers: { name: string; image: string }[] } } };

describe('applyConfig', () => {
  it('creates: the object is the configuration, the applier owns what it set', () => {
    const { object, managers } = apply(undefined, [], deployment({ replicas: 2 }));
    expect(spec(object).replicas).toBe(2);
    expect(managers).toHaveLength(1);
    expect(managers[0]!.operation).toBe('Apply');
    expect(managers[0]!.fields.has(['f:spec', 'f:replicas'])).toBe(true);
    expect(managers[0]!.fields.has(['f:metadata', 'f:name'])).toBe(false);
  });

  it('removes fields the applier dropped and nobody else owns', () => {
    const first = apply(undefined, [], deployment({ replicas: 2, labels: { a: '1', b: '2' }, sidecar: true }));
    const second = apply(first.object, first.managers, deployment({ labels: { a: '1' } }));
    expect(spec(second.object).replicas).toBeUndefined();
    expect((second.object.metadata as JsonObject).labels).toEqual({ a: '1' });
    expect(spec(second.object).template.spec.containers.map((c) => c.name)).toEqual(['web']);
  });

  it('keeps a dropped field another manager also owns', () => {
    const first = apply(undefined, [], deployment({ replicas: 2 }));
    const other = apply(first.object, first.managers, deployment({ replicas: 2 }), 'other');
    const again = apply(other.object, other.managers, deployment());
    expect(spec(again.object).replicas).toBe(2);
    expect(again.managers.find((m) => m.manager === 'other')!.fields.has(['f:spec', 'f:replicas'])).toBe(true);
  });

  it('conflicts when another manager owns a field it changes, naming field and manager', () => {
    const first = apply(undefined, [], deployment({ replicas: 2, image: 'a' }));
    let err: unknown;
    try {
      apply(first.object, first.managers, deployment({ replicas: 3, image: 'b' }), 'other');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    const apiErr = err as ApiError;
    expect(apiErr.code).toBe(409);
    expect(apiErr.details?.causes?.map((c) => c.field).sort()).toEqual(['.spec.replicas', '.spec.template.spec.containers[name="web"].image']);
    expect(apiErr.details?.causes?.[0]!.message).toBe('conflict with "kubectl"');
    expect(apiErr.message).toMatch(/^Apply failed with 2 conflicts: conflicts with "kubectl":\n- \.spec/);
  });

  it('setting the same value is shared ownership, not a conflict', () => {
    const first = apply(undefined, [], deployment({ replicas: 2 }));
    const second = apply(first.object, first.managers, deployment({ replicas: 2 }), 'other');
    expect(second.managers.map((m) => m.manager).sort()).toEqual(['kubectl', 'other']);
    expect(second.managers.every((m) => m.fields.has(['f:spec', 'f:replicas']))).toBe(true);
  });

  it('force takes ownership from the other manager', () => {
    const first = apply(undefined, [], deployment({ replicas: 2 }));
    const forced = apply(first.object, first.managers, deployment({ replicas: 5 }), 'other', true);
    expect(spec(forced.object).replicas).toBe(5);
    const kubectl = forced.managers.find((m) => m.manager === 'kubectl')!;
    expect(kubectl.fields.has(['f:spec', 'f:replicas'])).toBe(false);
    expect(kubectl.fields.has(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"web"}', 'f:image'])).toBe(true);
  });

  it('conflicts with an Update manager are worded with its apiVersion and subresource', () => {
    const first = apply(undefined, [], deployment({ replicas: 2 }));
    const scaled = { ...first.object, spec: { ...spec(first.object), replicas: 4 } };
    const managers = recordUpdate(first.managers, first.object, scaled, { ...writer('kubectl'), subresource: 'scale' }, type, { subresource: 'scale', statusSubresource: true });
    expect(() => apply(scaled, managers, deployment({ replicas: 2 }))).toThrow('Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas');
  });

  it('kubectl keeps the last-applied annotation in step and may take over fields it applied client-side', () => {
    const csaConfig = deployment({ replicas: 2 });
    const live = structuredClone(csaConfig);
    (live.metadata as JsonObject).annotations = { [LAST_APPLIED]: JSON.stringify(csaConfig) };
    const csa: Manager = { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', subresource: '', fields: FieldSet.fromFieldsV1({ 'f:spec': { 'f:replicas': {} } }) };
    const out = apply(live, [csa], deployment({ replicas: 3 }));
    expect(spec(out.object).replicas).toBe(3);
    const annotation = ((out.object.metadata as JsonObject).annotations as Record<string, string>)[LAST_APPLIED]!;
    expect(JSON.parse(annotation)).toEqual(deployment({ replicas: 3 }));
    // Another manager gets no such pass.
    expect(() => apply(live, [csa], deployment({ replicas: 3 }), 'other')).toThrow(/conflict with "kubectl-client-side-apply" using apps\/v1: \.spec\.replicas/);
  });

  it('does not change the live object it was given', () => {
    const first = apply(undefined, [], deployment({ replicas: 2, labels: { a: '1' } }));
    const snapshot = structuredClone(first.object);
    apply(first.object, first.managers, deployment());
    expect(first.object).toEqual(snapshot);
  });

  it('keeps the entry time when an apply changes nothing', () => {
    const first = apply(undefined, [], deployment({ replicas: 2 }));
    const again = applyConfig(first.object, first.managers, { config: deployment({ replicas: 2 }), writer: writer('kubectl', '2030-01-01T00:00:00Z'), force: false, type, scope });
    expect(again.managers[0]!.time).toBe('2026-01-01T00:00:00Z');
  });
});

describe('recordUpdate', () => {
  it('gives the writer what it changed and takes it from the others', () => {
    const first = apply(undefined, [], deployment({ replicas: 2, image: 'a' }));
    const changed = structuredClone(first.object);
    spec(changed).replicas = 3;
    const managers = recordUpdate(first.managers, first.object, changed, writer('editor'), type, scope);
    const editor = managers.find((m) => m.manager === 'editor')!;
    expect(editor.operation).toBe('Update');
    expect(editor.fields.paths()).toEqual([['f:spec', 'f:replicas']]);
    expect(managers.find((m) => m.manager === 'kubectl')!.fields.has(['f:spec', 'f:replicas'])).toBe(false);
  });

  it('a write that changes nothing records nothing', () => {
    const first = apply(undefined, [], deployment({ replicas: 2 }));
    expect(recordUpdate(first.managers, first.object, structuredClone(first.object), writer('editor'), type, scope).map((m) => m.manager)).toEqual(['kubectl']);
  });

  it('status writes are tracked apart from the main resource', () => {
    const obj = { ...deployment({ replicas: 1 }), status: { replicas: 1 } };
    const created = recordUpdate([], undefined, obj, writer('creator'), type, scope);
    expect(created[0]!.fields.has(['f:status', 'f:replicas'])).toBe(false);
    const next = { ...obj, status: { replicas: 2 } };
    const status = recordUpdate(created, obj, next, { ...writer('ctrl'), subresource: 'status' }, type, { subresource: 'status', statusSubresource: true });
    const ctrl = status.find((m) => m.manager === 'ctrl')!;
    expect(ctrl.subresource).toBe('status');
    expect(ctrl.fields.paths()).toEqual([['f:status', 'f:replicas']]);
  });

  it('drops managers left owning nothing', () => {
    const first = recordUpdate([], undefined, deployment({ replicas: 2 }), writer('a'), type, scope);
    const all = recordUpdate(first, deployment({ replicas: 2 }), deployment({ replicas: 3, image: 'x' }), writer('b'), type, scope);
    expect(all.map((m) => m.manager).sort()).toEqual(['a', 'b']);
    const taken = recordUpdate(all, deployment({ replicas: 3, image: 'x' }), { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } }, writer('b'), type, scope);
    expect(taken.map((m) => m.manager)).toEqual([]);
  });
});
