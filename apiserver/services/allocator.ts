// ClusterIP and NodePort allocation, kept in etcd: one record per address or port, written
// with the store's create transaction, so two concurrent Service creates can never get the
// same one (the second create of a record fails with AlreadyExists and tries another).
// A record names the Service that holds it; records whose Service is gone are released by
// the repair loop (allocation-repair.ts), which also covers a Service create that failed
// after its allocation.

import type { ResourceType } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { ApiError } from '../errors.js';
import type { Store } from '../storage/store.js';
import { inRange, intToIp, parseCIDR, parsePortRange, usable, type IPv4Range } from './ip-range.js';

function internalType(kind: string, resource: string): ResourceType {
  return { group: 'internal.skiff.io', version: 'v1', kind, resource, singular: kind.toLowerCase(), namespaced: false, shortNames: [], subresources: [], categories: [], verbs: [] };
}

export const SERVICE_IP_RECORDS = internalType('ServiceIPAllocation', 'serviceipallocations');
export const NODE_PORT_RECORDS = internalType('NodePortAllocation', 'nodeportallocations');

export interface ServiceRef {
  namespace: string;
  name: string;
}

export interface AllocationRecord extends KubeObject {
  service: ServiceRef;
}

const sameService = (a: ServiceRef, b: ServiceRef) => a.namespace === b.namespace && a.name === b.name;

/** Records created by one admission call, so a later refusal in the same call can undo them. */
export type Claims = { type: ResourceType; name: string }[];

export class ServiceAllocator {
  readonly ipRange: IPv4Range;
  readonly portRange: { first: number; last: number };

  constructor(
    private readonly store: Store,
    serviceClusterIPRange: string,
    serviceNodePortRange: string,
  ) {
    this.ipRange = parseCIDR(serviceClusterIPRange);
    this.portRange = parsePortRange(serviceNodePortRange);
  }

  /** Reserves `requested` for the service, or a free address when none is requested. */
  async allocateIP(owner: ServiceRef, requested: string | undefined, dryRun: boolean, field: string, claims: Claims = []): Promise<string> {
    if (requested) {
      if (!inRange(this.ipRange, requested)) {
        throw invalid(owner, field, requested, `provided IP is not in the valid range. The range of valid IPs is ${this.ipRange.cidr}`);
      }
      await this.claim(SERVICE_IP_RECORDS, requested, owner, dryRun, claims, () => invalid(owner, field, requested, 'provided IP is already allocated'));
      return requested;
    }
    const { first, count } = usable(this.ipRange);
    return this.claimAny(SERVICE_IP_RECORDS, owner, dryRun, claims, count, (i) => intToIp(first + i), 'no more IPs in the service range ' + this.ipRange.cidr);
  }

  async allocateNodePort(owner: ServiceRef, requested: number | undefined, dryRun: boolean, field: string, claims: Claims = []): Promise<number> {
    const { first, last } = this.portRange;
    if (requested) {
      if (requested < first || requested > last) {
        throw invalid(owner, field, String(requested), `provided port is not in the valid range. The range of valid ports is ${first}-${last}`);
      }
      await this.claim(NODE_PORT_RECORDS, String(requested), owner, dryRun, claims, () => invalid(owner, field, String(requested), 'provided port is already allocated'));
      return requested;
    }
    const port = await this.claimAny(NODE_PORT_RECORDS, owner, dryRun, claims, last - first + 1, (i) => String(first + i), `no more node ports in the range ${first}-${last}`);
    return Number(port);
  }

  /** Releases the records held by `owner` that are not in `keep` (by record name). */
  async release(owner: ServiceRef, keep: Set<string> = new Set()): Promise<number> {
    let released = 0;
    for (const type of [SERVICE_IP_RECORDS, NODE_PORT_RECORDS]) {
      for (const rec of (await this.store.list(type, {})).items as AllocationRecord[]) {
        const name = rec.metadata?.name ?? '';
        if (!sameService(rec.service, owner) || keep.has(`${type.resource}/${name}`)) continue;
        await this.deleteRecord(type, rec);
        released++;
      }
    }
    return released;
  }

  /** Undoes the claims of an admission call that was refused after making them. */
  async unclaim(claims: Claims): Promise<void> {
    for (const c of claims) {
      try {
        await this.store.delete(c.type, undefined, c.name);
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      }
    }
  }

  async records(): Promise<{ type: ResourceType; record: AllocationRecord }[]> {
    const out: { type: ResourceType; record: AllocationRecord }[] = [];
    for (const type of [SERVICE_IP_RECORDS, NODE_PORT_RECORDS]) {
      for (const record of (await this.store.list(type, {})).items as AllocationRecord[]) out.push({ type, record });
    }
    return out;
  }

  async deleteRecord(type: ResourceType, rec: AllocationRecord): Promise<void> {
    try {
      await this.store.delete(type, undefined, rec.metadata?.name ?? '', { resourceVersion: rec.metadata?.resourceVersion });
    } catch (err) {
      if (!(err instanceof ApiError && (err.code === 404 || err.code === 409))) throw err;
    }
  }

  /** Creates the record; an existing one is fine when the same service holds it. */
  private async claim(type: ResourceType, name: string, owner: ServiceRef, dryRun: boolean, claims: Claims, taken: () => ApiError): Promise<void> {
    try {
      const existing = (await this.store.get(type, undefined, name)) as AllocationRecord;
      if (sameService(existing.service, owner)) return;
      throw taken();
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 404)) throw err;
    }
    if (dryRun) return;
    try {
      await this.store.create(type, record(type, name, owner));
      claims.push({ type, name });
    } catch (err) {
      if (err instanceof ApiError && err.reason === 'AlreadyExists') throw taken();
      throw err;
    }
  }

  /** Claims a free value, starting at a random offset so concurrent creators rarely collide. */
  private async claimAny(type: ResourceType, owner: ServiceRef, dryRun: boolean, claims: Claims, count: number, nth: (i: number) => string, exhausted: string): Promise<string> {
    const taken = new Set(((await this.store.list(type, {})).items as AllocationRecord[]).map((r) => r.metadata?.name ?? ''));
    const start = Math.floor(Math.random() * count);
    for (let k = 0; k < count; k++) {
      const candidate = nth((start + k) % count);
      if (taken.has(candidate)) continue;
      if (dryRun) return candidate;
      try {
        await this.store.create(type, record(type, candidate, owner));
        claims.push({ type, name: candidate });
        return candidate;
      } catch (err) {
        if (!(err instanceof ApiError && err.reason === 'AlreadyExists')) throw err;
      }
    }
    throw new ApiError(500, 'InternalError', `Internal error occurred: failed to allocate a service address: ${exhausted}`);
  }
}

function record(type: ResourceType, name: string, owner: ServiceRef): AllocationRecord {
  return {
    apiVersion: `${type.group}/${type.version}`,
    kind: type.kind,
    metadata: { name, creationTimestamp: new Date().toISOString() },
    service: owner,
  };
}

function invalid(owner: ServiceRef, field: string, value: string, message: string): ApiError {
  return new ApiError(422, 'Invalid', `Service "${owner.name}" is invalid: ${field}: Invalid value: "${value}": ${message}`, {
    name: owner.name,
    kind: 'Service',
    causes: [{ reason: 'FieldValueInvalid', field, message: `Invalid value: "${value}": ${message}` }],
  });
}
