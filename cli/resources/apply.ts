// `skiff apply -f`: creates what is absent and patches what exists, one outcome line per
// object, every object tried whatever happened to the ones before.

import type { ResourceType } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { isNotFound } from '../../client/errors.js';
import { LAST_APPLIED, applyPatch, manifestForCreate } from './apply-patch.js';
import { connect, kindName, unknownKind, type Connection, type ConnectionFlags } from './connection.js';
import { readManifests, type Manifest } from './manifests.js';
import { describeError, fieldCauses, printError, printOut } from './output.js';

export interface ApplyFlags extends ConnectionFlags {
  filename: string[];
  recursive?: boolean;
}

export type ApplyOutcome = 'created' | 'configured' | 'unchanged';

/** Runs `apply`; returns the exit code. */
export async function runApply(flags: ApplyFlags): Promise<number> {
  if (!flags.filename.length) throw new Error('must specify -f FILE, a directory, or - for stdin');
  const { manifests, problems } = readManifests(flags.filename, flags.recursive ?? false);
  if (problems.length) {
    // A broken file may not say what the author meant: apply none of it rather than a part.
    for (const p of problems) printError(`error: ${p.message}`);
    printError(`error: nothing was applied: fix the ${problems.length === 1 ? 'problem' : `${problems.length} problems`} above`);
    return 1;
  }
  if (!manifests.length) {
    printError('error: no objects passed to apply');
    return 1;
  }
  const conn = await connect(flags);
  let failed = 0;
  try {
    for (const m of manifests) {
      const label = `${m.object.kind}/${m.object.metadata?.name ?? ''}`;
      let type: ResourceType | undefined;
      try {
        type = conn.registry.byKind(m.object.apiVersion ?? '', m.object.kind ?? '');
        if (!type) throw unknownKind(`${m.object.kind} (apiVersion ${m.object.apiVersion})`, conn.registry);
        const outcome = await applyOne(conn, type, m);
        printOut(`${kindName(type)}/${m.object.metadata!.name} ${outcome}`);
      } catch (err) {
        failed++;
        printError(`error when applying ${m.source} (${type ? `${kindName(type)}/${m.object.metadata?.name}` : label}): ${describeError(err)}`);
        for (const line of fieldCauses(err)) printError(line);
      }
    }
  } finally {
    conn.client.close();
  }
  if (failed) printError(`error: ${failed} of ${manifests.length} objects failed to apply`);
  return failed ? 1 : 0;
}

function objectNamespace(conn: Connection, type: ResourceType, m: Manifest): string | undefined {
  if (!type.namespaced) return undefined;
  const own = m.object.metadata?.namespace;
  if (own && conn.namespaceExplicit && own !== conn.namespace) {
    throw new Error(`the manifest's namespace "${own}" does not match --namespace "${conn.namespace}"; pass --namespace=${own} or drop it from the manifest`);
  }
  return own || conn.namespace;
}

async function applyOne(conn: Connection, type: ResourceType, m: Manifest): Promise<ApplyOutcome> {
  const client = conn.client.resource(type);
  const namespace = objectNamespace(conn, type, m);
  const name = m.object.metadata!.name!;
  let live: KubeObject;
  try {
    live = await client.get(namespace, name);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    const body = manifestForCreate(m.object) as KubeObject;
    if (namespace) body.metadata = { ...body.metadata, namespace };
    await client.create(namespace, body);
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
  await client.patch(namespace, name, 'merge', patch);
  return 'configured';
}
