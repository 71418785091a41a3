// Helpers for the validation tests: build a kind's object from a manifest fragment, default
// it as the API server does, and reduce the causes to `field reason` pairs a table can list.

import { applyDefaults } from '../defaults.js';
import { BUILTIN_RESOURCES, type ResourceType } from '../resources.js';
import type { KubeObject } from '../types.js';
import { validateObject } from '../validation.js';

export function typeOf(kind: string): ResourceType {
  const t = BUILTIN_RESOURCES.find((r) => r.kind === kind);
  if (!t) throw new Error(`no built-in kind ${kind}`);
  return t;
}

/** `field reason` for each cause, e.g. `spec.containers[0].image FieldValueRequired`. */
export function causes(kind: string, obj: object, old?: object): string[] {
  return validateDefaulted(kind, obj, old).map((c) => `${c.field} ${c.reason}`);
}

/** `field: message` for each cause, as the API server joins them into its message. */
export function messages(kind: string, obj: object, old?: object): string[] {
  return validateDefaulted(kind, obj, old).map((c) => `${c.field}: ${c.message}`);
}

/** Defaults both objects (the stored one was defaulted when written) and validates. */
function validateDefaulted(kind: string, obj: object, old?: object) {
  const type = typeOf(kind);
  const defaulted = (o: object) => {
    const copy = structuredClone(o) as KubeObject;
    applyDefaults(type, copy);
    return copy;
  };
  return validateObject(type, defaulted(obj), old ? defaulted(old) : undefined);
}

/** A deep copy of `base` with `change` applied to it. */
export function edit<T extends object>(base: T, change: (o: T) => void): T {
  const copy = structuredClone(base);
  change(copy);
  return copy;
}
