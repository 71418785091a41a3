// The `fieldValidation` query parameter of create, update and patch: what to do with fields the
// kind's schema does not declare and keys a JSON body repeats. Strict refuses the write (400,
// every problem named); Warn (the server default; kubectl asks for Strict) writes and sends one
// Warning header per problem; Ignore writes silently. Unknown fields are dropped when the
// write goes ahead, as upstream's decoder never keeps them. The check walks the server's schema
// catalog, so built-in kinds and custom kinds (from their CRDs) go through the same path.
// Fields skiff keeps but does not act on (api/schema/unacted.ts) get a Warning in every mode.

import type { StatusCause } from '../api/types.js';
import { builtinCatalog } from '../api/schema-model.js';
import { unactedFields, unactedWarning } from '../api/schema/unacted.js';
import { unknownFieldsIn } from '../api/schema/unknown-fields.js';
import type { RequestContext } from './context.js';
import { ApiError, errors } from './errors.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

const MODES: readonly FieldValidation[] = ['Strict', 'Warn', 'Ignore'];

/** The directive from the query; Warn when absent, 400 for anything else. */
export function fieldValidationOf(query: URLSearchParams): FieldValidation {
  const raw = query.get('fieldValidation');
  if (raw === null || raw === '') return 'Warn';
  const mode = MODES.find((m) => m.toLowerCase() === raw.toLowerCase());
  if (!mode) throw errors.badRequest(`fieldValidation must be one of "Ignore", "Warn" or "Strict", not "${raw}"`);
  return mode;
}

export interface FieldProblems {
  unknown: string[];
  duplicate: string[];
}

/** One line per problem, as upstream words them in messages and warnings. */
export function describeProblems(p: FieldProblems): string[] {
  return [...p.unknown.map((f) => `unknown field "${f}"`), ...p.duplicate.map((f) => `duplicate field "${f}"`)];
}

/** The 400 a Strict request gets: all problems in the message, one cause each. */
export function strictDecodingError(type: RequestContext['type'], name: string, p: FieldProblems): ApiError {
  const causes: StatusCause[] = [
    ...p.unknown.map((field) => ({ reason: 'FieldValueUnknown', field, message: `unknown field "${field}"` })),
    ...p.duplicate.map((field) => ({ reason: 'FieldValueDuplicate', field, message: `duplicate field "${field}"` })),
  ];
  const message = `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: strict decoding error: ${describeProblems(p).join(', ')}`;
  return new ApiError(400, 'BadRequest', message, { name, group: type.group, kind: type.kind, causes });
}

/**
 * Applies the request's directive to `obj` (the object about to be written, changed in place:
 * unknown fields go). `duplicates` are the repeated keys the decoder found; `ignore` names
 * unknown paths that are not the client's doing (already in the stored object a patch applies to).
 */
export function checkFields(ctx: RequestContext, obj: Record<string, unknown>, duplicates: readonly string[] = [], ignore?: ReadonlySet<string>): void {
  const mode = fieldValidationOf(ctx.query);
  const catalog = ctx.schemas ?? builtinCatalog();
  const found = unknownFieldsIn(catalog, catalog.schemaOf(ctx.type.group, ctx.type.version, ctx.type.kind), obj, { prune: mode !== 'Strict' });
  const problems = { unknown: ignore ? found.filter((f) => !ignore.has(f)) : found, duplicate: [...duplicates] };
  const clean = problems.unknown.length === 0 && problems.duplicate.length === 0;
  if (mode === 'Strict' && !clean) {
    const meta = obj.metadata as { name?: unknown } | undefined;
    throw strictDecodingError(ctx.type, typeof meta?.name === 'string' ? meta.name : (ctx.name ?? ''), problems);
  }
  if (mode === 'Warn') ctx.warnings.push(...describeProblems(problems));
  ctx.warnings.push(...unactedFields(ctx.type, obj).map(unactedWarning));
}
