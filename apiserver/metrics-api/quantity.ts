// Resource quantities in the canonical form Kubernetes prints them (resource.Quantity's
// String()): CPU from nanocores in decimal SI (`123456n`, `250m`, `2`), memory from bytes in
// binary SI when it divides evenly (`12345Ki`, `2Gi`), plain bytes otherwise.

const DECIMAL_SUFFIXES: ReadonlyArray<[number, string]> = [
  [-9, 'n'],
  [-6, 'u'],
  [-3, 'm'],
  [0, ''],
  [3, 'k'],
  [6, 'M'],
  [9, 'G'],
  [12, 'T'],
  [15, 'P'],
  [18, 'E'],
];
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

function wholeNonNegative(n: number, what: string): bigint {
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`${what} must be a finite non-negative number, got ${n}`);
  return BigInt(Math.round(n));
}

/** Nanocores as a CPU quantity: the largest SI exponent (a multiple of 3) that keeps the figure whole. */
export function cpuQuantity(nanoCores: number): string {
  let value = wholeNonNegative(nanoCores, 'nanocores');
  if (value === 0n) return '0';
  let i = 0;
  while (i < DECIMAL_SUFFIXES.length - 1 && value % 1000n === 0n) {
    value /= 1000n;
    i++;
  }
  return `${value}${DECIMAL_SUFFIXES[i][1]}`;
}

/** Bytes as a memory quantity: binary suffixes while the figure divides by 1024, as BinarySI does. */
export function memoryQuantity(bytes: number): string {
  let value = wholeNonNegative(bytes, 'bytes');
  // Below 1024 Kubernetes prints binary quantities as plain decimal numbers.
  if (value < 1024n) return `${value}`;
  let i = 0;
  while (i < BINARY_SUFFIXES.length - 1 && value % 1024n === 0n) {
    value /= 1024n;
    i++;
  }
  return `${value}${BINARY_SUFFIXES[i]}`;
}
