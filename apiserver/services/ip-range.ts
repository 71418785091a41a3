// IPv4 ranges for ClusterIP allocation: parse a CIDR, test membership, walk its addresses.

export interface IPv4Range {
  cidr: string;
  base: number;
  size: number;
}

export function ipToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

export function parseCIDR(cidr: string): IPv4Range {
  const [addr, bits] = cidr.split('/');
  const n = ipToInt(addr);
  const prefix = Number(bits);
  if (n === undefined || !Number.isInteger(prefix) || prefix < 8 || prefix > 30) throw new Error(`invalid IPv4 service range "${cidr}" (want a.b.c.d/8../30)`);
  const size = 2 ** (32 - prefix);
  return { cidr, base: n - (n % size), size };
}

export function inRange(r: IPv4Range, ip: string): boolean {
  const n = ipToInt(ip);
  return n !== undefined && n >= r.base && n < r.base + r.size;
}

/** The usable addresses: without the network and broadcast addresses. */
export function usable(r: IPv4Range): { first: number; count: number } {
  return { first: r.base + 1, count: r.size - 2 };
}

/** The address the `kubernetes` Service gets: the first usable one, as upstream does. */
export function kubernetesServiceIP(r: IPv4Range): string {
  return intToIp(usable(r).first);
}

export function parsePortRange(range: string): { first: number; last: number } {
  const m = /^(\d+)-(\d+)$/.exec(range);
  const first = Number(m?.[1]);
  const last = Number(m?.[2]);
  if (!m || first < 1 || last > 65535 || first > last) throw new Error(`invalid node port range "${range}" (want FIRST-LAST)`);
  return { first, last };
}
