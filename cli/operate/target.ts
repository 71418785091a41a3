// What an operate command acts on, as kubectl takes it: `KIND/NAME...` or `KIND NAME...`.

import type { ResourceType } from '../../api/resources.js';
import type { ResourceRegistry } from '../../api/resources.js';
import { resolveKind } from '../resources/connection.js';
import { describeError, printError } from '../resources/output.js';

export interface Named {
  type: ResourceType;
  name: string;
}

/**
 * `deploy/web rs/api` or `deploy web api`: each object with its kind. Throws naming the served
 * kinds when a kind is unknown, or saying what is missing.
 */
export function parseTargets(args: string[], registry: ResourceRegistry): Named[] {
  if (!args.length) throw new Error('say which object: KIND NAME or KIND/NAME (for example deployment/web)');
  if (args[0].includes('/')) {
    return args.map((a) => {
      const slash = a.indexOf('/');
      const kind = a.slice(0, slash);
      const name = a.slice(slash + 1);
      if (!kind || !name || name.includes('/')) throw new Error(`"${a}": expected KIND/NAME, like deployment/web`);
      return { type: resolveKind(kind, registry), name };
    });
  }
  const [kind, ...names] = args;
  const type = resolveKind(kind, registry);
  if (!names.length) throw new Error(`say which ${kind}: ${kind} NAME or ${kind}/NAME`);
  for (const n of names) if (n.includes('/')) throw new Error(`"${n}": after a kind give plain names, or give every object as KIND/NAME`);
  return names.map((name) => ({ type, name }));
}

/**
 * Runs `act` on every target, whatever happened to the ones before (as kubectl goes on after a
 * failed object); an error is printed kubectl-style. The exit code: 1 if any failed.
 * `act` prints its own outcome and may return false to count as failed without an error.
 */
export async function eachTarget<T>(targets: readonly T[], act: (target: T) => Promise<boolean | void>): Promise<number> {
  let failed = false;
  for (const t of targets) {
    try {
      if ((await act(t)) === false) failed = true;
    } catch (err) {
      failed = true;
      printError(describeError(err));
    }
  }
  return failed ? 1 : 0;
}
