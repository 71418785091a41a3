// `skiff scale`: sets replicas through the `scale` subresource, so it works for every kind that
// has one (Deployments, ReplicaSets, custom kinds) without knowing where each keeps its count.

import { resourcePath, type ResourceType } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { isConflict } from '../../client/errors.js';
import { connect, kindName, resourceName, type Connection, type ConnectionFlags } from '../resources/connection.js';
import { printOut } from '../resources/output.js';
import { eachTarget, parseTargets } from './target.js';

export interface ScaleFlags extends ConnectionFlags {
  replicas?: string;
  currentReplicas?: string;
}

interface Scale extends KubeObject {
  spec?: { replicas?: number };
  status?: { replicas?: number };
}

/** A whole, non-negative count from a flag, or an error naming the flag. */
export function parseCount(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new Error(`${flag} must be a whole number of replicas (0 or more), not "${value}"`);
  return n;
}

export async function runScale(args: string[], flags: ScaleFlags): Promise<number> {
  const replicas = parseCount('--replicas', flags.replicas);
  if (replicas === undefined) throw new Error('--replicas is required: skiff scale deployment/web --replicas=3');
  const expected = parseCount('--current-replicas', flags.currentReplicas);
  const conn = await connect(flags);
  try {
    const targets = parseTargets(args, conn.registry);
    return await eachTarget(targets, async (t) => {
      await scaleOne(conn, t.type, t.name, replicas, expected);
      printOut(`${kindName(t.type)}/${t.name} scaled`);
    });
  } finally {
    conn.client.close();
  }
}

async function scaleOne(conn: Connection, type: ResourceType, name: string, replicas: number, expected: number | undefined): Promise<void> {
  if (!type.subresources.includes('scale')) {
    const scalable = conn.registry
      .all()
      .filter((t) => t.subresources.includes('scale'))
      .map(resourceName);
    throw new Error(`${resourceName(type)} cannot be scaled (no scale subresource); kinds that can: ${[...new Set(scalable)].sort().join(', ')}`);
  }
  const path = resourcePath(type, type.namespaced ? conn.namespace : undefined, name, 'scale');
  // The precondition and the write are one optimistic transaction: the write carries the
  // resourceVersion that was checked, and a conflict means "read and check again".
  for (let attempt = 0; ; attempt++) {
    const scale = await conn.client.send<Scale>('GET', path, undefined);
    const current = scale.spec?.replicas ?? 0;
    if (expected !== undefined && current !== expected) throw new Error(`Expected replicas to be ${expected}, was ${current}`);
    try {
      await conn.client.send('PUT', path, { ...scale, spec: { ...scale.spec, replicas } });
      return;
    } catch (err) {
      if (!isConflict(err) || attempt >= 4) throw err;
    }
  }
}
