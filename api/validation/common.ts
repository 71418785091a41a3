// Checks shared by several kinds: numbers, quantities, int-or-percent values, label maps and
// metav1.LabelSelector, selectors that must match a template's labels, immutability.

import { isDeepStrictEqual } from 'node:util';
import { labelSelectorToSelector } from '../labels.js';
import { isLabelValue, isQualifiedName } from '../names.js';
import { isValidQuantity } from '../quantity.js';
import type { LabelSelector } from '../types.js';
import { type FieldError, Path, fieldErrors, invalidEach } from './field.js';

export const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** A present field that must be a non-negative integer. */
export function nonNegative(value: unknown, path: Path): FieldError[] {
  if (value === undefined || value === null) return [];
  if (!isInt(value)) return [fieldErrors.typeInvalid(path, value, 'must be an integer')];
  return value < 0 ? [fieldErrors.invalid(path, value, 'must be greater than or equal to 0')] : [];
}

/** A present field that must be a positive integer. */
export function positive(value: unknown, path: Path): FieldError[] {
  if (value === undefined || value === null) return [];
  if (!isInt(value)) return [fieldErrors.typeInvalid(path, value, 'must be an integer')];
  return value <= 0 ? [fieldErrors.invalid(path, value, 'must be greater than 0')] : [];
}

export function oneOf(value: unknown, path: Path, allowed: readonly string[], required = false): FieldError[] {
  if (value === undefined || value === null || value === '') return required ? [fieldErrors.required(path)] : [];
  return allowed.includes(value as string) ? [] : [fieldErrors.notSupported(path, value, allowed)];
}

export function quantity(value: unknown, path: Path): FieldError[] {
  if (!isValidQuantity(value)) return [fieldErrors.invalid(path, value, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")];
  return String(value).trim().startsWith('-') ? [fieldErrors.invalid(path, value, 'must be greater than or equal to 0')] : [];
}

const PERCENT_RE = /^[0-9]+%$/;

/** maxSurge, maxUnavailable, minAvailable: an integer >= 0 or a percentage string. */
export function intOrPercent(value: unknown, path: Path, maxPercent?: number): FieldError[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'number') return nonNegative(value, path);
  if (typeof value !== 'string' || !PERCENT_RE.test(value)) {
    return [
      fieldErrors.invalid(path, value, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"),
    ];
  }
  if (maxPercent !== undefined && Number(value.slice(0, -1)) > maxPercent) return [fieldErrors.invalid(path, value, `must not be greater than ${maxPercent}%`)];
  return [];
}

/** True when an int-or-percent value is zero (`0` or `0%`). */
export function isZeroIntOrPercent(value: unknown): boolean {
  return value === 0 || (typeof value === 'string' && PERCENT_RE.test(value) && Number(value.slice(0, -1)) === 0);
}

/** A label map: keys are qualified names, values label values; errors sit on the map's path. */
export function labels(map: unknown, path: Path): FieldError[] {
  if (map === undefined || map === null) return [];
  if (typeof map !== 'object' || Array.isArray(map)) return [fieldErrors.typeInvalid(path, map, 'must be a map of strings')];
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(map as Record<string, unknown>)) {
    errs.push(...invalidEach(path, k, isQualifiedName(k)));
    if (typeof v !== 'string') errs.push(fieldErrors.typeInvalid(path.key(k), v, 'must be a string'));
    else errs.push(...invalidEach(path, v, isLabelValue(v)));
  }
  return errs;
}

const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** A metav1.LabelSelector's syntax: matchLabels and each expression's key, operator and values. */
export function labelSelector(sel: LabelSelector | undefined, path: Path): FieldError[] {
  if (!sel) return [];
  const errs = labels(sel.matchLabels, path.child('matchLabels'));
  (sel.matchExpressions ?? []).forEach((e, i) => {
    const ep = path.child('matchExpressions').index(i);
    errs.push(...invalidEach(ep.child('key'), e.key, isQualifiedName(e.key ?? '')));
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(fieldErrors.required(ep.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(fieldErrors.forbidden(ep.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(fieldErrors.notSupported(ep.child('operator'), e.operator, SELECTOR_OPERATORS));
    }
    values.forEach((v, j) => errs.push(...invalidEach(ep.child('values').index(j), v, isLabelValue(v))));
  });
  return errs;
}

/**
 * The selector of a controller: required, non-empty, valid, and selecting its own pod
 * template (else the controller would create pods it never counts).
 */
export function workloadSelector(sel: LabelSelector | undefined, templateLabels: Record<string, string> | undefined, specPath: Path, kindName: string): FieldError[] {
  const path = specPath.child('selector');
  if (!sel) return [fieldErrors.required(path)];
  const errs = labelSelector(sel, path);
  if (errs.length > 0) return errs;
  if (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0) {
    return [fieldErrors.invalid(path, sel, `empty selector is invalid for ${kindName}`)];
  }
  if (!labelSelectorToSelector(sel).matches(templateLabels ?? {})) {
    errs.push(fieldErrors.invalid(specPath.child('template', 'metadata', 'labels'), templateLabels ?? {}, '`selector` does not match template `labels`'));
  }
  return errs;
}

/** `field is immutable` when a field set before changes (deep comparison). */
export function immutable(next: unknown, prev: unknown, path: Path): FieldError[] {
  return isDeepStrictEqual(next, prev) ? [] : [fieldErrors.invalid(path, next, 'field is immutable')];
}

