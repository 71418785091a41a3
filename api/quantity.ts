// Kubernetes resource quantities (`100m`, `0.5`, `64Mi`, `1G`, `1e3`). They are parsed
// exactly, as a fraction of big integers, so that `0.1` cores is 100 millicores and not
// 100.00000000000001; conversions round up as upstream's Value()/MilliValue() do.

export class QuantityError extends Error {
  constructor(readonly text: string, why: string) {
    super(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': "${text}" ${why}`);
    this.name = 'QuantityError';
  }
}

/** An exact value: numerator / denominator, denominator > 0. */
interface Exact {
  num: bigint;
  den: bigint;
}

const BINARY: Record<string, bigint> = { Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

// sign, integer digits, fraction digits, then the suffix (binary, decimal or exponent)
const QUANTITY_RE = /^([+-]?)(\d*)(?:\.(\d*))?(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;
/** Exponents beyond this are refused rather than turned into gigantic integers. */
const MAX_EXPONENT = 100;

function parseExact(text: string): Exact {
  const m = QUANTITY_RE.exec(text);
  if (!m) throw new QuantityError(text, 'is not a valid quantity');
  const [, sign, intPart, fracPart = '', suffix = ''] = m;
  if (intPart === '' && fracPart === '') throw new QuantityError(text, 'has no digits');
  let num = BigInt((intPart || '0') + fracPart);
  let den = 10n ** BigInt(fracPart.length);
  if (suffix in BINARY) {
    num *= BINARY[suffix];
  } else {
    const exp = suffix in DECIMAL ? DECIMAL[suffix] : Number(suffix.slice(1));
    if (Math.abs(exp) > MAX_EXPONENT) throw new QuantityError(text, 'has an exponent out of range');
    if (exp >= 0) num *= 10n ** BigInt(exp);
    else den *= 10n ** BigInt(-exp);
  }
  return { num: sign === '-' ? -num : num, den };
}

// The same few quantities (`100m`, `64Mi`) recur in every pod; parsing with BigInt is the
// costly part of validating and scheduling, so parsed values are kept in a bounded cache.
const CACHE_LIMIT = 4096;
const cache = new Map<string, Exact>();

function toExact(q: string | number): Exact {
  let text: string;
  if (typeof q === 'number') {
    if (!Number.isFinite(q)) throw new QuantityError(String(q), 'is not a finite number');
    // A JSON number in a manifest (`cpu: 2`, `cpu: 0.5`): its shortest decimal text is exact.
    text = String(q).replace(/e\+?/, 'e');
  } else {
    text = q.trim();
  }
  let exact = cache.get(text);
  if (exact === undefined) {
    exact = parseExact(text);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(text, exact);
  }
  return exact;
}

/** Rounds a fraction towards +infinity. */
function ceilDiv(num: bigint, den: bigint): bigint {
  const q = num / den;
  return num % den !== 0n && num > 0n ? q + 1n : q;
}

/** The value in base units (cores, bytes) as a number; throws QuantityError on bad input. */
export function parseQuantity(q: string | number): number {
  const { num, den } = toExact(q);
  return Number(num) / Number(den);
}

export function isValidQuantity(q: unknown): boolean {
  if (typeof q !== 'string' && typeof q !== 'number') return false;
  try {
    toExact(q);
    return true;
  } catch {
    return false;
  }
}

/** CPU in millicores, rounded up: `100m` → 100, `0.5` → 500, `1u` → 1. */
export function cpuToMillis(q: string | number): number {
  const { num, den } = toExact(q);
  return Number(ceilDiv(num * 1000n, den));
}

/** A quantity in whole base units (bytes), rounded up: `64Mi` → 67108864, `1.5k` → 1500. */
export function quantityToBytes(q: string | number): number {
  const { num, den } = toExact(q);
  return Number(ceilDiv(num, den));
}

/** Compares two quantities exactly: negative when a < b, 0 when equal, positive when a > b. */
export function compareQuantities(a: string | number, b: string | number): number {
  const x = toExact(a);
  const y = toExact(b);
  const diff = x.num * y.den - y.num * x.den;
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

/** CPU as `kubectl top` prints it: `250m`. */
export function formatCpuMillis(millis: number): string {
  return `${Math.round(millis)}m`;
}

/** Memory as `kubectl top` prints it: whole mebibytes, `128Mi`. */
export function formatBytes(bytes: number): string {
  return `${Math.floor(bytes / (1024 * 1024))}Mi`;
}

/**
 * A byte count in the largest binary unit that divides it evenly (`64Mi`, `1536Ki`, `1000`),
 * the canonical form of upstream quantities written in binary units.
 */
export function formatBinaryQuantity(bytes: number): string {
  if (!Number.isInteger(bytes)) throw new QuantityError(String(bytes), 'is not a whole number of bytes');
  for (const unit of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki'] as const) {
    const size = Number(BINARY[unit]);
    if (bytes !== 0 && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}

/** Millicores in canonical form: whole cores as `2`, otherwise `250m`. */
export function formatCpuQuantity(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${Math.round(millis)}m`;
}
