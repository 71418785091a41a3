// The JSON merge patch `skiff apply` sends for an object that exists: a simplification of
// kubectl's client-side apply. It compares the previous manifest (the last-applied
// annotation) with the new one: every field of the new manifest that differs is set, every
// field the previous manifest had and the new one drops is nulled (removed). Fields the
// manifests never mentioned (server defaults, other writers) are left alone. Lists are
// replaced whole, as JSON merge patch does; kubectl's strategic merge of lists is not done.

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** The merge patch turning `previous` into `next`; `{}` when they are equal. */
export function mergePatchBetween(previous: JsonObject, next: JsonObject): JsonObject {
  const patch: JsonObject = {};
  for (const [k, v] of Object.entries(next)) {
    const before = previous[k];
    if (isObject(v) && isObject(before)) {
      const inner = mergePatchBetween(before, v);
      if (Object.keys(inner).length) patch[k] = inner;
    } else if (!deepEqual(before, v)) {
      patch[k] = v ?? null;
    }
  }
  for (const k of Object.keys(previous)) if (!(k in next)) patch[k] = null;
  return patch;
}

/** The manifest without its own last-applied annotation: what the annotation records. */
export function withoutLastApplied<T extends JsonObject>(manifest: T): T {
  const copy = structuredClone(manifest);
  const meta = copy.metadata;
  if (isObject(meta) && isObject(meta.annotations)) {
    delete meta.annotations[LAST_APPLIED];
    if (Object.keys(meta.annotations).length === 0) delete meta.annotations;
  }
  return copy;
}

/** The annotation's value for a manifest: its JSON on one line, as kubectl writes it. */
export function lastAppliedValue(manifest: JsonObject): string {
  return JSON.stringify(withoutLastApplied(manifest)) + '\n';
}

/** The manifest to create: itself plus the last-applied annotation. */
export function manifestForCreate(manifest: JsonObject): JsonObject {
  const out = withoutLastApplied(manifest);
  const meta = isObject(out.metadata) ? out.metadata : (out.metadata = {});
  meta.annotations = { ...(isObject(meta.annotations) ? meta.annotations : {}), [LAST_APPLIED]: lastAppliedValue(manifest) };
  return out;
}

/**
 * The patch for an existing object whose last-applied annotation is `lastApplied` (absent
 * when something other than apply made it), or undefined when nothing changed.
 */
export function applyPatch(lastApplied: string | undefined, manifest: JsonObject): JsonObject | undefined {
  let previous: JsonObject = {};
  if (lastApplied) {
    try {
      const parsed: unknown = JSON.parse(lastApplied);
      if (isObject(parsed)) previous = parsed;
    } catch {
      // A mangled annotation counts as none: the whole manifest is set again.
    }
  }
  const next = withoutLastApplied(manifest);
  const value = lastAppliedValue(manifest);
  const patch = mergePatchBetween(previous, next);
  if (Object.keys(patch).length === 0 && lastApplied === value) return undefined;
  const meta = isObject(patch.metadata) ? patch.metadata : (patch.metadata = {});
  // Dropping every annotation nulls the whole map; null each old key instead, so the new
  // last-applied annotation can still be written.
  const droppedAll = meta.annotations === null;
  const previousAnnotations = isObject(previous.metadata) && isObject(previous.metadata.annotations) ? previous.metadata.annotations : {};
  const annotations = isObject(meta.annotations) ? meta.annotations : (meta.annotations = {});
  if (droppedAll) for (const k of Object.keys(previousAnnotations)) annotations[k] = null;
  annotations[LAST_APPLIED] = value;
  return patch;
}
