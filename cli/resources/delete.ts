// `skiff delete`: by manifest, by name, by label selector, or every object of a kind; each
// deletion reported, and with --wait, only done once the object is gone.

import type { ResourceType } from '../../api/resources.js';
import { isNotFound } from '../../client/errors.js';
import type { DeleteOptions } from '../../client/interfaces.js';
import { connect, kindName, resolveKind, unknownKind, type Connection, type ConnectionFlags } from './connection.js';
import { readManifests } from './manifests.js';
import { describeError, printError, printOut } from './output.js';

export interface DeleteFlags extends ConnectionFlags {
  filename?: string[];
  recursive?: boolean;
  selector?: string;
  all?: boolean;
  gracePeriod?: string;
  cascade?: string;
  wait?: boolean;
  timeout?: string;
  ignoreNotFound?: boolean;
}

interface Target {
  type: ResourceType;
  namespace?: string;
  name: string;
}

const CASCADE: Record<string, DeleteOptions['propagationPolicy']> = { background: 'Background', foreground: 'Foreground', orphan: 'Orphan' };

export function deleteOptions(flags: Pick<DeleteFlags, 'gracePeriod' | 'cascade'>): DeleteOptions {
  const opts: DeleteOptions = {};
  const cascade = (flags.cascade ?? 'background').toLowerCase();
  if (!(cascade in CASCADE)) throw new Error(`--cascade must be background, foreground or orphan, not "${flags.cascade}"`);
  opts.propagationPolicy = CASCADE[cascade];
  if (flags.gracePeriod !== undefined && flags.gracePeriod !== '-1') {
    const n = Number(flags.gracePeriod);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--grace-period must be a whole number of seconds, not "${flags.gracePeriod}"`);
    opts.gracePeriodSeconds = n;
  }
  return opts;
}

/** Runs `delete`; returns the exit code. */
export async function runDelete(args: string[], flags: DeleteFlags): Promise<number> {
  const options = deleteOptions(flags);
  const timeoutMs = parseDuration(flags.timeout ?? '60s');
  const fromFiles = Boolean(flags.filename?.length);
  if (fromFiles && args.length) throw new Error('give either -f or KIND [NAME...], not both');
  if (!fromFiles && !args.length) throw new Error('say what to delete: -f FILE, KIND NAME..., KIND -l SELECTOR, or KIND --all');
  const conn = await connect(flags);
  let failed = false;
  try {
    let targets: Target[];
    try {
      targets = fromFiles ? targetsFromFiles(conn, flags) : await targetsFromArgs(conn, args, flags);
    } catch (err) {
      printError(describeError(err));
      return 1;
    }
    if (!targets.length && !fromFiles) process.stderr.write('No resources found\n');
    const deleted: Target[] = [];
    for (const t of targets) {
      try {
        await conn.client.resource(t.type).delete(t.namespace, t.name, options);
        printOut(`${kindName(t.type)} "${t.name}" deleted`);
        deleted.push(t);
      } catch (err) {
        if (flags.ignoreNotFound && isNotFound(err)) continue;
        failed = true;
        printError(describeError(err));
      }
    }
    if (flags.wait) for (const t of deleted) if (!(await waitGone(conn, t, timeoutMs))) failed = true;
  } finally {
    conn.client.close();
  }
  return failed ? 1 : 0;
}

function targetsFromFiles(conn: Connection, flags: DeleteFlags): Target[] {
  const { manifests, problems } = readManifests(flags.filename ?? [], flags.recursive ?? false);
  if (problems.length) throw new Error(`cannot read the manifests:\n${problems.map((p) => `  ${p.message}`).join('\n')}`);
  return manifests.map((m) => {
    const type = conn.registry.byKind(m.object.apiVersion ?? '', m.object.kind ?? '');
    if (!type) throw unknownKind(`${m.object.kind} (apiVersion ${m.object.apiVersion})`, conn.registry);
    return { type, namespace: type.namespaced ? m.object.metadata?.namespace || conn.namespace : undefined, name: m.object.metadata!.name! };
  });
}

async function targetsFromArgs(conn: Connection, args: string[], flags: DeleteFlags): Promise<Target[]> {
  const ns = (t: ResourceType) => (t.namespaced && !flags.allNamespaces ? conn.namespace : undefined);
  // `pod/web deploy/api`: each argument names its own kind.
  if (args[0].includes('/')) {
    return args.map((a) => {
      const [kind, name] = a.split('/', 2);
      if (!name) throw new Error(`"${a}": expected KIND/NAME`);
      const type = resolveKind(kind, conn.registry);
      return { type, namespace: ns(type), name };
    });
  }
  const [kinds, ...names] = args;
  const types = kinds.split(',').map((k) => resolveKind(k, conn.registry));
  const bySelection = flags.all || flags.selector !== undefined;
  if (names.length && bySelection) throw new Error('give names, or -l / --all, not both');
  if (!names.length && !bySelection) throw new Error(`say which ${kinds} to delete: names, -l SELECTOR, or --all`);
  if (names.length) return types.flatMap((type) => names.map((name) => ({ type, namespace: ns(type), name })));
  const out: Target[] = [];
  for (const type of types) {
    const list = await conn.client.resource(type).list(ns(type), { labelSelector: flags.selector });
    for (const o of list.items) out.push({ type, namespace: type.namespaced ? o.metadata?.namespace : undefined, name: o.metadata?.name ?? '' });
  }
  return out;
}

/** Polls until the object is gone (finalizers and graceful pod shutdown take a while). */
async function waitGone(conn: Connection, t: Target, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await conn.client.resource(t.type).get(t.namespace, t.name);
    } catch (err) {
      if (isNotFound(err)) return true;
      printError(describeError(err));
      return false;
    }
    if (Date.now() >= deadline) {
      printError(`error: timed out waiting for ${kindName(t.type)} "${t.name}" to be deleted`);
      return false;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** `30s`, `2m`, `1h`, or plain seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not a duration (like 30s, 2m)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's'] ?? 1000;
  return Number(m[1]) * unit;
}
