// The `pod-template-hash` of a Deployment's template: FNV-32a over the template's JSON (keys
// sorted, so the same template always hashes the same), then the collision count as 8
// little-endian bytes as upstream writes it, printed in decimal and encoded with upstream's
// SafeEncodeString alphabet (no vowels, so a hash never spells a word).

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** JSON with object keys sorted at every level. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * JSON for comparing objects as upstream's semantic equality does on Go structs: empty and
 * absent are the same (`resources: {}` as kubectl sends it equals no `resources`), so null,
 * empty objects and empty arrays are dropped before the canonical form is taken.
 */
export function semanticJson(value: unknown): string {
  return canonicalJson(pruneEmpty(value));
}

function pruneEmpty(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(pruneEmpty);
    return items.length === 0 ? undefined : items.map((v) => (v === undefined ? null : v));
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const p = pruneEmpty(v);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value === null ? undefined : value;
}

export function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function safeEncodeString(s: string): string {
  let out = '';
  for (const ch of s) out += ALPHANUMS[(ch.codePointAt(0) ?? 0) % ALPHANUMS.length];
  return out;
}

export function computeTemplateHash(template: unknown, collisionCount?: number): string {
  let h = fnv32a(new TextEncoder().encode(canonicalJson(template)));
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(bytes, h);
  }
  return safeEncodeString(String(h));
}
