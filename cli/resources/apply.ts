// `skiff apply -f` and `skiff create -f`: one outcome line per object, every object tried
// whatever happened to the ones before. Apply creates what is absent and patches what exists,
// on the client from the last-applied annotation, or on the server (`--server-side`: the
// manifest goes as an apply patch and the server merges it and tracks field ownership).

import type { ResourceType } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { ApiStatusError, isNotFound } from '../../client/errors.js';
import { LAST_APPLIED, applyPatch, manifestForCreate } from './apply-patch.js';
import { connect, kindName, unknownKind, type Connection, type ConnectionFlags } from './connection.js';
import { readManifests, type Manifest } from './manifests.js';
import { describeError, fieldCauses, printError, printOut } from './output.js';

export interface ApplyFlags extends ConnectionFlags {
  filename: string[];
  recursive?: boolean;
  serverSide?: boolean;
  forceConflicts?: boolean;
  fieldManager?: string;
  /** `server`: the server checks and answers but stores nothing. */
  dryRun?: 'none' | 'server';
}

export type ApplyOutcome = 'created' | 'configured' | 'unchanged' | 'serverside-applied';

/** What one object goes through: resolved to its kind and namespace, then sent. */
type ObjectWrite = (conn: Connection, type: ResourceType, namespace: string | undefined, m: Manifest) => Promise<string>;

/** Runs `apply`; returns the exit code. */
export function runApply(flags: ApplyFlags): Promise<number> {
  if (flags.forceConflicts && !flags.serverSide) throw new Error('--force-conflicts only works with --server-side');
  const write: ObjectWrite = flags.serverSide ? (conn, type, ns, m) => serverSideApply(conn, type, ns, m, flags) : (conn, type, ns, m) => clientSideApply(conn, type, ns, m, flags);
  return forEachManifest(flags, 'apply', write);
}

/** Runs `create -f`: each object created, AlreadyExists for one that is there. */
export function runCreate(flags: ApplyFlags): Promise<number> {
  return forEachManifest(flags, 'create', async (conn, type, namespace, m) => {
    const body = structuredClone(m.object);
    if (namespace) body.metadata = { ...body.metadata, namespace };
    await conn.client.resource(type).create(namespace, body, { dryRun: flags.dryRun === 'server', fieldManager: flags.fieldManager });
    return 'created';
  });
}

async function forEachManifest(flags: ApplyFlags, verb: 'apply' | 'create', write: ObjectWrite): Promise<number> {
  if (!flags.filename.length) throw new Error('must specify -f FILE, a directory, or - for stdin');
  const { manifests, problems } = readManifests(flags.filename, flags.recursive ?? false);
  if (problems.length) {
    // A broken file may not say what the author meant: send none of it rather than a part.
    for (const p of problems) printError(`error: ${p.message}`);
    printError(`error: nothing was ${verb === 'apply' ? 'applied' : 'created'}: fix the ${problems.length === 1 ? 'problem' : `${problems.length} problems`} above`);
    return 1;
  }
  if (!manifests.length) {
    printError(`error: no objects passed to ${verb}`);
    return 1;
  }
  const conn = await connect(flags);
  const dryRun = flags.dryRun === 'server' ? ' (server dry run)' : '';
  let failed = 0;
  try {
    for (const m of manifests) {
      const label = `${m.object.kind}/${m.object.metadata?.name ?? ''}`;
      let type: ResourceType | undefined;
      try {
        type = conn.registry.byKind(m.object.apiVersion ?? '', m.object.kind ?? '');
        if (!type) throw unknownKind(`${m.object.kind} (apiVersion ${m.object.apiVersion})`, conn.registry);
        const outcome = await write(conn, type, objectNamespace(conn, type, m), m);
        printOut(`${kindName(type)}/${m.object.metadata!.name} ${outcome}${dryRun}`);
      } catch (err) {
        failed++;
        printError(`error when ${verb === 'apply' ? 'applying' : 'creating'} ${m.source} (${type ? `${kindName(type)}/${m.object.metadata?.name}` : label}): ${describeError(err)}`);
        for (const line of fieldCauses(err)) printError(line);
        if (isApplyConflict(err)) printError(CONFLICT_HINT);
      }
    }
  } finally {
    conn.client.close();
  }
  if (failed) printError(`error: ${failed} of ${manifests.length} objects failed to ${verb}`);
  return failed ? 1 : 0;
}

const isApplyConflict = (err: unknown): boolean => err instanceof ApiStatusError && err.code === 409 && (err.details?.causes ?? []).some((c) => c.reason === 'FieldManagerConflict');

const CONFLICT_HINT = `These fields are managed by someone else. To take them over, apply again with --force-conflicts;
to leave them to their manager, remove them from your manifest.`;

/** The manifest as an apply patch: the server merges it, owns its fields for the manager, and creates when absent. */
async function serverSideApply(conn: Connection, type: ResourceType, namespace: string | undefined, m: Manifest, flags: ApplyFlags): Promise<ApplyOutcome> {
  const body = structuredClone(m.object);
  if (namespace) body.metadata = { ...body.metadata, namespace };
  await conn.client.resource(type).patch(namespace, m.object.metadata!.name!, 'apply', body, {
    fieldManager: flags.fieldManager ?? 'skiff',
    force: flags.forceConflicts === true,
    dryRun: flags.dryRun === 'server',
  });
  return 'serverside-applied';
}

function objectNamespace(conn: Connection, type: ResourceType, m: Manifest): string | undefined {
  if (!type.namespaced) return undefined;
  const own = m.object.metadata?.namespace;
  if (own && conn.namespaceExplicit && own !== conn.namespace) {
    throw new Error(`the manifest's namespace "${own}" does not match --namespace "${conn.namespace}"; pass --namespace=${own} or drop it from the manifest`);
  }
  return own || conn.namespace;
}

async function clientSideApply(conn: Connection, type: ResourceType, namespace: string | undefined, m: Manifest, flags: ApplyFlags): Promise<ApplyOutcome> {
  const client = conn.client.resource(type);
  const name = m.object.metadata!.name!;
  const opts = { dryRun: flags.dryRun === 'server', fieldManager: flags.fieldManager ?? 'kubectl-client-side-apply' };
  let live: KubeObject;
  try {
    live = await client.get(namespace, name);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    const body = manifestForCreate(m.object) as KubeObject;
    if (namespace) body.metadata = { ...body.metadata, namespace };
    await client.create(namespace, body, opts);
    return 'created';
  }
  const lastApplied = live.metadata?.annotations?.[LAST_APPLIED];
  if (lastApplied === undefined) {
    // Without a record of the previous manifest nothing can be removed, only set.
    process.stderr.write(
      `Warning: ${kindName(type)}/${name} was not made by apply (it has no ${LAST_APPLIED} annotation); fields it has that the manifest lacks are kept. From now on apply tracks it.\n`,
    );
  }
  const patch = applyPatch(lastApplied, m.object);
  if (!patch) return 'unchanged';
  await client.patch(namespace, name, 'merge', patch, opts);
  return 'configured';
}
