// A set of equal-size subnets carved from the cluster CIDR (upstream's cidrset): the cluster
// 10.244.0.0/16 with mask 24 holds 256 node subnets. Allocation walks forward from the last
// one handed out, so a subnet just released is not reused at once.

function parseIPv4(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`invalid IPv4 address "${ip}"`);
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseCidr(cidr: string): { base: number; prefix: number } {
  const [ip, bits] = cidr.split('/');
  const prefix = Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new Error(`invalid CIDR "${cidr}"`);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { base: (parseIPv4(ip) & mask) >>> 0, prefix };
}

export class CidrSet {
  private readonly base: number;
  private readonly clusterPrefix: number;
  private readonly size: number;
  private readonly used: Uint8Array;
  private next = 0;

  constructor(
    clusterCidr: string,
    private readonly subnetPrefix: number,
  ) {
    const { base, prefix } = parseCidr(clusterCidr);
    if (subnetPrefix < prefix || subnetPrefix > 32) throw new Error(`--node-cidr-mask-size ${subnetPrefix} does not fit in ${clusterCidr}`);
    if (subnetPrefix - prefix > 20) throw new Error(`--node-cidr-mask-size ${subnetPrefix} makes too many subnets of ${clusterCidr}`);
    this.base = base;
    this.clusterPrefix = prefix;
    this.size = 2 ** (subnetPrefix - prefix);
    this.used = new Uint8Array(this.size);
  }

  private cidrAt(i: number): string {
    return `${formatIPv4((this.base + i * 2 ** (32 - this.subnetPrefix)) >>> 0)}/${this.subnetPrefix}`;
  }

  /** The subnet's index in this set, or undefined if it is not one of its subnets. */
  private indexOf(cidr: string): number | undefined {
    let parsed;
    try {
      parsed = parseCidr(cidr);
    } catch {
      return undefined;
    }
    if (parsed.prefix !== this.subnetPrefix) return undefined;
    const offset = parsed.base - this.base;
    const step = 2 ** (32 - this.subnetPrefix);
    if (offset < 0 || offset % step !== 0 || offset / step >= this.size) return undefined;
    return offset / step;
  }

  allocateNext(): string | undefined {
    for (let n = 0; n < this.size; n++) {
      const i = (this.next + n) % this.size;
      if (!this.used[i]) {
        this.used[i] = 1;
        this.next = (i + 1) % this.size;
        return this.cidrAt(i);
      }
    }
    return undefined;
  }

  /** Marks a subnet taken (rebuilding from existing nodes); false if it is not in this set. */
  occupy(cidr: string): boolean {
    const i = this.indexOf(cidr);
    if (i === undefined) return false;
    this.used[i] = 1;
    return true;
  }

  release(cidr: string): void {
    const i = this.indexOf(cidr);
    if (i !== undefined) this.used[i] = 0;
  }

  isUsed(cidr: string): boolean {
    const i = this.indexOf(cidr);
    return i !== undefined && this.used[i] === 1;
  }

  get capacity(): number {
    return this.size;
  }

  toString(): string {
    return `${formatIPv4(this.base)}/${this.clusterPrefix} in /${this.subnetPrefix}s`;
  }
}
