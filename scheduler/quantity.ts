// Resource quantities (`100m`, `64Mi`, `1.5`, `2e3`) read as integers the scheduler can sum:
// cpu in millicores, everything else in base units. A private stand-in until api/quantity.ts
// lands; same semantics as resource.Quantity for the forms pods and nodes use.

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/;

/** The value of a quantity in base units (may be fractional: `100m` is 0.1). Throws on a malformed quantity. */
export function quantityValue(q: string | number): number {
  if (typeof q === 'number') return q;
  const m = QUANTITY.exec(q.trim());
  if (!m) throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': "${q}"`);
  const num = Number(m[1]);
  if (m[2]) return num * 10 ** Number(m[2].slice(1));
  const suffix = m[3] ?? '';
  return num * (BINARY[suffix] ?? DECIMAL[suffix]);
}

/** cpu in millicores, rounded up as Kubernetes rounds MilliValue. */
export function cpuMillis(q: string | number | undefined): number {
  if (q === undefined) return 0;
  return Math.ceil(Math.round(quantityValue(q) * 1e6) / 1e3);
}

/** A quantity as a whole number of base units (bytes for memory), rounded up. */
export function quantityUnits(q: string | number | undefined): number {
  if (q === undefined) return 0;
  return Math.ceil(quantityValue(q));
}
