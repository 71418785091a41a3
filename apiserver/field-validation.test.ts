import { describe, expect, it } from 'vitest';
import { BUILTIN_RESOURCES } from '../api/resources.js';
import type { RequestContext } from './context.js';
import { ApiError } from './errors.js';
import { checkFields, fieldValidationOf } from './field-validation.js';
import { builtinSchemaCatalog } from '../api/schema/catalog.js';

const pods = BUILTIN_RESOURCES.find((t) => t.kind === 'Pod')!;

/** Just the parts of a request checkFields reads. */
function ctxWith(query: string): RequestContext {
  return { type: pods, query: new URLSearchParams(query), warnings: [] } as unknown as RequestContext;
}

const pod = () => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i', imagee: 'j' }] } });

describe('fieldValidationOf', () => {
  it.each([
    ['', 'Warn'],
    ['fieldValidation=Strict', 'Strict'],
    ['fieldValidation=strict', 'Strict'],
    ['fieldValidation=Warn', 'Warn'],
    ['fieldValidation=Ignore', 'Ignore'],
  ])('%s → %s', (q, want) => {
    expect(fieldValidationOf(new URLSearchParams(q))).toBe(want);
  });

  it('refuses other values', () => {
    expect(() => fieldValidationOf(new URLSearchParams('fieldValidation=Loud'))).toThrow(/must be one of/);
  });
});

describe('checkFields', () => {
  it('Strict refuses with every problem and keeps the object as it was', () => {
    const obj = pod();
    let err: unknown;
    try {
      checkFields(ctxWith('fieldValidation=Strict'), obj, ['spec.restartPolicy']);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    const status = (err as ApiError).toStatus();
    expect(status).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect(status.message).toBe('Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagee", duplicate field "spec.restartPolicy"');
    expect(status.details?.causes).toEqual([
      { reason: 'FieldValueUnknown', field: 'spec.containers[0].imagee', message: 'unknown field "spec.containers[0].imagee"' },
      { reason: 'FieldValueDuplicate', field: 'spec.restartPolicy', message: 'duplicate field "spec.restartPolicy"' },
    ]);
    expect(obj.spec.containers[0].imagee).toBe('j');
  });

  it('Warn warns once per problem and drops the unknown field', () => {
    const ctx = ctxWith('fieldValidation=Warn');
    const obj = pod();
    checkFields(ctx, obj, ['metadata.name']);
    expect(ctx.warnings).toEqual(['unknown field "spec.containers[0].imagee"', 'duplicate field "metadata.name"']);
    expect(obj.spec.containers[0]).toEqual({ name: 'c', image: 'i' });
  });

  it('Ignore says nothing and drops the unknown field', () => {
    const ctx = ctxWith('fieldValidation=Ignore');
    const obj = pod();
    checkFields(ctx, obj, ['metadata.name']);
    expect(ctx.warnings).toEqual([]);
    expect(obj.spec.containers[0]).toEqual({ name: 'c', image: 'i' });
  });

  it('Strict lets through unknown fields the caller says are not the client\'s', () => {
    const ctx = ctxWith('fieldValidation=Strict');
    expect(() => checkFields(ctx, pod(), [], new Set(['spec.containers[0].imagee']))).not.toThrow();
  });

  it('a clean object passes every mode untouched', () => {
    for (const q of ['fieldValidation=Strict', 'fieldValidation=Warn', '']) {
      const ctx = ctxWith(q);
      const obj = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] } };
      checkFields(ctx, obj);
      expect(ctx.warnings).toEqual([]);
      expect(obj.spec.containers[0]).toEqual({ name: 'c', image: 'i' });
    }
  });
});

describe('fields skiff does not act on', () => {
  const withSeLinux = () => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i', securityContext: { seLinuxOptions: { level: 's0' } } }] } });

  it.each(['fieldValidation=Strict', 'fieldValidation=Warn', 'fieldValidation=Ignore'])('are kept with one warning each (%s)', (q) => {
    const ctx = ctxWith(q);
    const obj = withSeLinux();
    checkFields(ctx, obj);
    expect(ctx.warnings).toEqual(['spec.containers[0].securityContext.seLinuxOptions: stored, but skiff does not act on this field']);
    expect(obj).toEqual(withSeLinux());
  });

  it('go through a custom kind the server catalog knows', () => {
    const schemas = builtinSchemaCatalog();
    schemas.setCustom('example.com', 'v1', 'Widget', { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } });
    const widgets = { ...pods, group: 'example.com', kind: 'Widget', resource: 'widgets' };
    const ctx = { type: widgets, schemas, query: new URLSearchParams('fieldValidation=Warn'), warnings: [] } as unknown as RequestContext;
    const obj = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1, sise: 2 } };
    checkFields(ctx, obj);
    expect(ctx.warnings).toEqual(['unknown field "spec.sise"']);
    expect(obj.spec).toEqual({ size: 1 });
  });
});
