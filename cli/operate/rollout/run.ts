// `skiff rollout status|history|undo|restart|pause|resume` on Deployments and DaemonSets.

import { stringify } from 'yaml';
import type { ResourceType } from '../../../api/resources.js';
import type { ControllerRevision, DaemonSet, Deployment, KubeObject, ReplicaSet } from '../../../api/types.js';
import { isConflict } from '../../../client/errors.js';
import { connect, kindName, resourceName, type Connection, type ConnectionFlags } from '../../resources/connection.js';
import { parseDuration } from '../../resources/delete.js';
import { printError, printOut } from '../../resources/output.js';
import { follow } from '../follow.js';
import { statusLine } from '../status-line.js';
import { eachTarget, parseTargets, type Named } from '../target.js';
import { daemonSetProgress, deploymentProgress, RolloutFailed, type RolloutState } from './progress.js';
import { chooseUndo, controlledBy, controllerRevisions, replicaSetRevisions, type Revision } from './revisions.js';

export type RolloutVerb = 'status' | 'history' | 'undo' | 'restart' | 'pause' | 'resume';

export interface RolloutFlags extends ConnectionFlags {
  timeout?: string;
  watch?: boolean;
  revision?: string;
  toRevision?: string;
}

export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** The kinds each verb works on (pause and resume are Deployment-only, as in kubectl). */
const KINDS: Record<RolloutVerb, string[]> = {
  status: ['Deployment', 'DaemonSet'],
  history: ['Deployment', 'DaemonSet'],
  undo: ['Deployment', 'DaemonSet'],
  restart: ['Deployment', 'DaemonSet'],
  pause: ['Deployment'],
  resume: ['Deployment'],
};

export async function runRollout(verb: RolloutVerb, args: string[], flags: RolloutFlags): Promise<number> {
  const conn = await connect(flags);
  try {
    const targets = parseTargets(args, conn.registry);
    for (const t of targets) {
      if (t.type.group !== 'apps' || !KINDS[verb].includes(t.type.kind)) {
        throw new Error(`rollout ${verb} works on ${KINDS[verb].map((k) => `${k.toLowerCase()}s`).join(' and ')}, not ${resourceName(t.type)}`);
      }
    }
    return await eachTarget(targets, async (t) => (await ROLLOUT[verb](conn, t, flags)) === 0);
  } finally {
    conn.client.close();
  }
}

const ns = (conn: Connection, type: ResourceType) => (type.namespaced ? conn.namespace : undefined);
const label = (t: Named) => `${kindName(t.type)}/${t.name}`;

const ROLLOUT: Record<RolloutVerb, (conn: Connection, t: Named, flags: RolloutFlags) => Promise<number>> = {
  status: rolloutStatus,
  history: rolloutHistory,
  undo: rolloutUndo,
  restart: rolloutRestart,
  pause: (conn, t) => setPaused(conn, t, true),
  resume: (conn, t) => setPaused(conn, t, false),
};

async function rolloutStatus(conn: Connection, t: Named, flags: RolloutFlags): Promise<number> {
  const progress = (obj: KubeObject): RolloutState => (t.type.kind === 'Deployment' ? deploymentProgress(obj as Deployment) : daemonSetProgress(obj as DaemonSet));
  const timeoutMs = flags.timeout && flags.timeout !== '0' ? parseDuration(flags.timeout) : 0;
  const line = statusLine();
  const client = conn.client.resource(t.type);
  if (flags.watch === false) {
    const state = progress(await client.get(ns(conn, t.type), t.name));
    printOut(state.message);
    return 0;
  }
  const stop = new AbortController();
  const timer = timeoutMs ? setTimeout(() => stop.abort(new Error(`timed out waiting for the condition (rollout of ${label(t)} not finished after ${flags.timeout})`)), timeoutMs) : undefined;
  let warnedPaused = false;
  try {
    let final = '';
    await follow(
      client,
      ns(conn, t.type),
      t.name,
      (obj) => {
        const state = progress(obj);
        if (state.done) final = state.message;
        else line.update(state.message);
        if (!state.done && (obj as Deployment).spec?.paused && !warnedPaused) {
          warnedPaused = true;
          process.stderr.write(`note: ${label(t)} is paused; it will not finish until \`skiff rollout resume ${label(t)}\`\n`);
        }
        return state.done;
      },
      stop.signal,
    );
    line.done(final);
    return 0;
  } catch (err) {
    if (err instanceof RolloutFailed) {
      printError(`error: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** The workload's revisions, oldest first. */
async function history(conn: Connection, t: Named, workload: KubeObject): Promise<Revision[]> {
  const uid = workload.metadata?.uid;
  if (t.type.kind === 'Deployment') {
    const rss = await conn.client.for<ReplicaSet>('replicasets').list(ns(conn, t.type));
    return replicaSetRevisions(rss.items.filter((rs) => controlledBy(rs, uid)));
  }
  const revs = await conn.client.for<ControllerRevision>('controllerrevisions').list(ns(conn, t.type));
  return controllerRevisions(revs.items.filter((cr) => controlledBy(cr, uid)));
}

async function rolloutHistory(conn: Connection, t: Named, flags: RolloutFlags): Promise<number> {
  const workload = await conn.client.resource(t.type).get(ns(conn, t.type), t.name);
  const revisions = await history(conn, t, workload);
  if (flags.revision !== undefined && flags.revision !== '0') {
    const n = Number(flags.revision);
    const rev = revisions.find((r) => r.revision === n);
    if (!rev) throw new Error(`unable to find the specified revision ${flags.revision} of ${label(t)}; it has revisions ${revisions.map((r) => r.revision).join(', ') || 'none'}`);
    printOut(`${label(t)} with revision #${n}`);
    printOut('Pod Template:');
    process.stdout.write(indent(stringify(rev.template), '  '));
    return 0;
  }
  if (!revisions.length) {
    printOut(`No rollout history found for ${label(t)}.`);
    return 0;
  }
  printOut(label(t));
  const rows = [['REVISION', 'CHANGE-CAUSE'], ...revisions.map((r) => [String(r.revision), r.changeCause ?? '<none>'])];
  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [rev, cause] of rows) printOut(`${rev.padEnd(width)}  ${cause}`);
  printOut('');
  return 0;
}

const indent = (text: string, by: string) => text.replace(/^(?=.)/gm, by);

/** Annotations a rollback leaves alone, as kubectl's deployment rollback does. */
const NOT_ROLLED_BACK = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

async function rolloutUndo(conn: Connection, t: Named, flags: RolloutFlags): Promise<number> {
  const toRevision = flags.toRevision === undefined ? 0 : Number(flags.toRevision);
  if (!Number.isInteger(toRevision) || toRevision < 0) throw new Error(`--to-revision must be a revision number (see \`skiff rollout history ${label(t)}\`), not "${flags.toRevision}"`);
  const client = conn.client.resource(t.type);
  // Read, choose and write as one optimistic step: a conflict means someone changed the
  // workload meanwhile, so the choice is made again on what is there now.
  for (let attempt = 0; ; attempt++) {
    const workload = await client.get(ns(conn, t.type), t.name);
    if ((workload as Deployment).spec?.paused) {
      throw new Error(`you cannot roll back a paused deployment; resume it first with \`skiff rollout resume ${label(t)}\` and try again`);
    }
    const spec = (workload as Deployment | DaemonSet).spec;
    const choice = chooseUndo(await history(conn, t, workload), toRevision, spec?.template, label(t));
    if (choice.kind === 'skip') {
      printOut(`${label(t)} skipped rollback (current template already matches revision ${choice.revision})`);
      return 0;
    }
    try {
      if (t.type.kind === 'DaemonSet') {
        // The ControllerRevision holds the template as a strategic merge patch that replaces it.
        await client.patch(ns(conn, t.type), t.name, 'strategic', (choice.to.source as ControllerRevision).data);
      } else {
        const annotations = { ...(workload.metadata?.annotations ?? {}) };
        for (const [k, v] of Object.entries(choice.to.source.metadata?.annotations ?? {})) if (!NOT_ROLLED_BACK.has(k)) annotations[k] = v;
        const next = { ...workload, metadata: { ...workload.metadata, annotations }, spec: { ...spec, template: choice.to.template } } as KubeObject;
        await client.update(next);
      }
      printOut(`${label(t)} rolled back`);
      return 0;
    } catch (err) {
      if (!isConflict(err) || attempt >= 4) throw err;
    }
  }
}

async function rolloutRestart(conn: Connection, t: Named): Promise<number> {
  const client = conn.client.resource(t.type);
  const workload = await client.get(ns(conn, t.type), t.name);
  if ((workload as Deployment).spec?.paused) throw new Error(`can't restart paused ${label(t)} (run \`skiff rollout resume ${label(t)}\` first)`);
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  await client.patch(ns(conn, t.type), t.name, 'merge', { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: now } } } } });
  printOut(`${label(t)} restarted`);
  return 0;
}

async function setPaused(conn: Connection, t: Named, paused: boolean): Promise<number> {
  const client = conn.client.resource(t.type);
  const d = (await client.get(ns(conn, t.type), t.name)) as Deployment;
  if (Boolean(d.spec?.paused) === paused) {
    printError(`error: ${resourceName(t.type)} "${t.name}" is ${paused ? 'already paused' : 'not paused'}`);
    return 1;
  }
  await client.patch(ns(conn, t.type), t.name, 'merge', { spec: { paused: paused ? true : null } });
  printOut(`${label(t)} ${paused ? 'paused' : 'resumed'}`);
  return 0;
}
