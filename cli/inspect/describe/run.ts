// `skiff describe KIND [NAME...]`, `describe KIND/NAME...` or `describe KIND -l SEL`: fetch the
// objects, describe each (related objects and events included), print them as kubectl does —
// one after another, a blank line apart. A name that matches nothing exactly describes the
// objects whose names start with it (so `describe pod web` finds `web-7d9f-abcde`), as kubectl.

import type { ResourceType } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import { ApiStatusError } from '../../../client/errors.js';
import { connect, resolveKind, type Connection, type ConnectionFlags } from '../../resources/connection.js';
import { describeError, printError } from '../../resources/output.js';
import { getNamed } from '../lookup.js';
import { colourDescription, wantsColour } from './colour.js';
import { describeObject, type DescribeContext } from './index.js';

export interface DescribeFlags extends ConnectionFlags {
  selector?: string;
  showEvents?: boolean;
}

interface Target {
  type: ResourceType;
  names: string[];
}

/** `pod web api` → one target; `deploy,svc web` → one per kind, same names; `deploy/web svc/web` → one per object. */
export function parseDescribeArgs(args: string[], resolve: (kind: string) => ResourceType): Target[] {
  if (args.length === 0) throw new Error('you must name a kind: skiff describe KIND [NAME...] (see skiff api-resources)');
  if (args[0].includes('/')) {
    return args.map((a) => {
      const [kind, name, extra] = a.split('/');
      if (!kind || !name || extra !== undefined) throw new Error(`"${a}" is not KIND/NAME; give every object as KIND/NAME, or a kind and then names`);
      return { type: resolve(kind), names: [name] };
    });
  }
  return args[0]
    .split(',')
    .filter((k) => k !== '')
    .map((kind) => ({ type: resolve(kind), names: args.slice(1) }));
}

async function objectsFor(conn: Connection, target: Target, namespace: string | undefined, flags: DescribeFlags): Promise<KubeObject[]> {
  const client = conn.client.resource(target.type);
  if (target.names.length === 0) return (await client.list(namespace, { labelSelector: flags.selector })).items;
  const out: KubeObject[] = [];
  for (const name of target.names) {
    try {
      out.push(await getNamed(conn.client, target.type, namespace, name));
    } catch (err) {
      if (!(err instanceof ApiStatusError) || err.code !== 404) throw err;
      const prefixed = (await client.list(namespace)).items.filter((o) => o.metadata?.name?.startsWith(name));
      if (prefixed.length === 0) throw err;
      out.push(...prefixed);
    }
  }
  return out;
}

export async function runDescribe(args: string[], flags: DescribeFlags, clock: () => Date = () => new Date()): Promise<number> {
  const conn = await connect(flags);
  try {
    const targets = parseDescribeArgs(args, (k) => resolveKind(k, conn.registry));
    if (flags.allNamespaces && targets.some((t) => t.names.length)) throw new Error('a resource cannot be retrieved by name across all namespaces');
    const ctx: DescribeContext = { client: conn.client, registry: conn.registry, now: clock(), showEvents: flags.showEvents !== false };
    let failed = false;
    let printed = 0;
    const paint = wantsColour(process.stdout) ? colourDescription : (text: string) => text;
    for (const target of targets) {
      const namespace = target.type.namespaced && !flags.allNamespaces ? conn.namespace : undefined;
      let objects: KubeObject[];
      try {
        objects = await objectsFor(conn, target, namespace, flags);
      } catch (err) {
        failed = true;
        printError(describeError(err));
        continue;
      }
      for (const obj of objects) {
        const text = paint(await describeObject(ctx, target.type, obj));
        process.stdout.write(printed++ ? `\n\n${text}` : text);
      }
    }
    if (printed === 0 && !failed) process.stderr.write(flags.allNamespaces ? 'No resources found\n' : `No resources found in ${conn.namespace} namespace.\n`);
    return failed ? 1 : 0;
  } finally {
    conn.client.close();
  }
}
