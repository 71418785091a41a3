// The CRD controller inside the API server, upstream's naming, establishing and finalizing
// controllers in one loop: for each CustomResourceDefinition it checks the names against the
// other CRDs of its group (NamesAccepted), serves the kind's versions (registry entries, the
// schema catalog, the custom-kind table the seams and store read) and sets Established. When
// a CRD is being deleted it deletes every object of the kind, then stops serving it and removes
// the cleanup finalizer so the CRD goes. Everything is read back from etcd at start, so the
// kinds survive a restart; a lost watch is followed by a relist.

import type { CustomResourceDefinition, CustomResourceDefinitionCondition, CustomResourceDefinitionNames } from 'kubernetes-types/apiextensions/v1.js';
import { isDeepStrictEqual } from 'node:util';
import type { ResourceRegistry, ResourceType } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import type { Logger } from '../../client/log.js';
import type { RequestContext, ServerParts } from '../context.js';
import { ApiError } from '../errors.js';
import { nowTimestamp } from '../object-meta.js';
import type { Seams } from '../seams.js';
import { customKindOf, type CustomKind, type CustomKinds } from './custom-kind.js';
import { CLEANUP_FINALIZER, CRD_GROUP } from './definition.js';

export interface CrdControllerOptions {
  parts: ServerParts;
  seams: Seams;
  kinds: CustomKinds;
  log: Logger;
  /** How soon a deleted CRD whose objects are still going is looked at again (default 1 s). */
  cleanupRetryMs?: number;
  /** How soon a lost CRD watch or a failed reconcile is retried (default 1 s). */
  retryMs?: number;
}

export interface CrdController {
  /** Resolves once every CRD stored at start has been reconciled once. */
  synced: Promise<void>;
  stop(): Promise<void>;
}

type Crd = CustomResourceDefinition & KubeObject;

const SYSTEM_USER = { name: 'system:apiserver', groups: ['system:masters'] };

/** Objects of a deleted CRD's kind deleted at once. */
const DELETE_CONCURRENCY = 16;

export function crdType(registry: ResourceRegistry): ResourceType {
  const t = registry.get(CRD_GROUP, 'v1', 'customresourcedefinitions');
  if (!t) throw new Error('the registry does not serve customresourcedefinitions');
  return t;
}

/**
 * Names of `crd` that a built-in kind or another CRD of the same group already uses: the
 * first conflict's reason and message. Built-in kinds always win (a CRD never shadows them).
 */
export function namesConflict(
  crd: CustomResourceDefinition,
  others: readonly CustomResourceDefinition[],
  builtins: readonly Pick<ResourceType, 'group' | 'resource' | 'kind'>[] = [],
): { reason: string; message: string } | undefined {
  const names = crd.spec.names;
  for (const b of builtins) {
    if (b.group !== crd.spec.group) continue;
    if (b.resource === names.plural) return { reason: 'PluralConflict', message: `"${names.plural}" is already in use by a built-in resource` };
    if (b.kind === names.kind) return { reason: 'KindConflict', message: `"${names.kind}" is already in use by a built-in resource` };
  }
  for (const other of others) {
    if (other.metadata?.name === crd.metadata?.name || other.spec.group !== crd.spec.group) continue;
    // Only names another CRD was given count: of two new CRDs wanting one name, the first accepted keeps it.
    const taken: CustomResourceDefinitionNames | undefined = other.status?.acceptedNames;
    if (!taken?.plural) continue;
    const plurals = new Set([taken.plural, taken.singular, ...(taken.shortNames ?? [])]);
    if (plurals.has(names.plural)) return { reason: 'PluralConflict', message: `"${names.plural}" is already in use` };
    if (names.singular && plurals.has(names.singular)) return { reason: 'SingularConflict', message: `"${names.singular}" is already in use` };
    for (const s of names.shortNames ?? []) if (plurals.has(s)) return { reason: 'ShortNamesConflict', message: `"${s}" is already in use` };
    const kinds = new Set([taken.kind, taken.listKind]);
    if (kinds.has(names.kind)) return { reason: 'KindConflict', message: `"${names.kind}" is already in use` };
    if (names.listKind && kinds.has(names.listKind)) return { reason: 'ListKindConflict', message: `"${names.listKind}" is already in use` };
  }
  return undefined;
}

/** `conditions` with `c` set; lastTransitionTime moves only when the status does. */
function setCondition(conditions: CustomResourceDefinitionCondition[], c: Omit<CustomResourceDefinitionCondition, 'lastTransitionTime'>): CustomResourceDefinitionCondition[] {
  const old = conditions.find((x) => x.type === c.type);
  const lastTransitionTime = old && old.status === c.status ? old.lastTransitionTime : nowTimestamp();
  return [...conditions.filter((x) => x.type !== c.type), { ...c, lastTransitionTime }];
}

export function startCrdController(opts: CrdControllerOptions): CrdController {
  const { parts, seams, kinds, log } = opts;
  const type = crdType(parts.registry);
  const retryMs = opts.retryMs ?? 1000;
  const cleanupRetryMs = opts.cleanupRetryMs ?? 1000;
  const known = new Map<string, Crd>();
  /** The spec each served CRD was served from, so status-only changes do not serve it again. */
  const servedSpecs = new Map<string, Crd['spec']>();
  const queue = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  let wake: (() => void) | undefined;
  let watch: { close(): void } | undefined;

  const enqueue = (name: string) => {
    queue.add(name);
    wake?.();
  };
  const later = (name: string, ms: number) => {
    const t = setTimeout(() => {
      timers.delete(t);
      enqueue(name);
    }, ms);
    timers.add(t);
  };

  const context = (t: ResourceType, namespace?: string, name?: string): RequestContext => ({
    ...parts,
    type: t,
    namespace,
    name,
    query: new URLSearchParams(),
    user: SYSTEM_USER,
    dryRun: false,
    warnings: [],
  });

  /** Serves the kind's versions, or stops serving those no longer served. */
  const serve = (kind: CustomKind) => {
    const previous = kinds.kind(kind.group, kind.resource);
    for (const v of previous?.versions.values() ?? []) {
      if (kind.versions.has(v.type.version)) continue;
      parts.registry.remove(kind.group, v.type.version, kind.resource);
      parts.schemas?.removeCustom(kind.group, v.type.version, v.type.kind);
    }
    for (const v of kind.versions.values()) {
      parts.registry.add(v.type);
      parts.schemas?.setCustom(kind.group, v.type.version, v.type.kind, v.schema as Parameters<NonNullable<ServerParts['schemas']>['setCustom']>[3]);
    }
    kinds.set(kind);
    // Start the kind's watch cache now rather than on the first request (informers list at once).
    const first = kind.versions.values().next().value;
    if (!previous && first) void parts.store.list(first.type, { resourceVersion: '0' }).catch(() => undefined);
  };

  /** Stops serving the kind, if the CRD with `uid` is the one serving it (another may own those names). */
  const unserve = (group: string, resource: string, uid: string | undefined) => {
    const kind = kinds.kind(group, resource);
    if (!kind || kind.uid !== uid) return;
    kinds.delete(group, resource);
    servedSpecs.delete(kind.name);
    for (const v of kind.versions.values()) {
      parts.registry.remove(group, v.type.version, resource);
      parts.schemas?.removeCustom(group, v.type.version, v.type.kind);
    }
    parts.store.release?.(kind.storageType);
    log.info({ crd: kind.name }, 'custom resource no longer served');
  };

  const writeStatus = async (name: string, update: (crd: Crd) => Crd['status']) => {
    await parts.store.guaranteedUpdate(type, undefined, name, (current) => {
      const crd = current as Crd;
      const status = update(crd);
      if (isDeepStrictEqual(status, crd.status)) return current;
      return { ...crd, status } as KubeObject;
    });
  };

  /** Deletes every object of the kind; true once none is left. */
  const deleteAll = async (kind: CustomKind): Promise<boolean> => {
    // Through the storage version's type: objects go even when no version is served any more.
    const t = kind.storageType;
    const list = await parts.store.list(t, {});
    const pending = list.items.filter((item) => !item.metadata?.deletionTimestamp);
    // A few deletes at a time: each goes through the delete semantics (finalizers, grace) of any object.
    await Promise.all(
      Array.from({ length: Math.min(DELETE_CONCURRENCY, pending.length) }, async () => {
        for (let item = pending.pop(); item; item = pending.pop()) {
          const meta = item.metadata ?? {};
          try {
            await seams.deleteObject(context(t, meta.namespace, meta.name), {});
          } catch (err) {
            if (!(err instanceof ApiError && err.code === 404)) throw err;
          }
        }
      }),
    );
    const left = await parts.store.list(t, {});
    return left.items.length === 0;
  };

  const finalize = async (crd: Crd) => {
    const name = crd.metadata!.name!;
    await writeStatus(name, (c) => ({
      ...c.status!,
      conditions: setCondition(c.status?.conditions ?? [], { type: 'Terminating', status: 'True', reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' }),
    }));
    const uid = crd.metadata?.uid;
    const served = kinds.kind(crd.spec.group, crd.spec.names.plural);
    let kind = served?.uid === uid ? served : undefined;
    // A CRD whose names were never accepted has no objects (those under its names are another's).
    const accepted = crd.status?.conditions?.some((c) => c.type === 'NamesAccepted' && c.status === 'True') ?? false;
    if (!kind && !served && accepted) {
      // Deleted before a restart: served again while its objects go, so their finalizers can be removed.
      kind = customKindOf(crd);
      serve(kind);
      servedSpecs.set(name, structuredClone(crd.spec));
    }
    if (kind) {
      // No new objects while the old ones go (creates answer 405, as upstream).
      kind.terminating = true;
      if (!(await deleteAll(kind))) {
        later(name, cleanupRetryMs);
        return;
      }
      unserve(crd.spec.group, crd.spec.names.plural, uid);
    }
    let before: KubeObject | undefined;
    const stored = await parts.store.guaranteedUpdate(type, undefined, name, (current) => {
      before = current;
      const finalizers = current.metadata?.finalizers ?? [];
      if (!finalizers.includes(CLEANUP_FINALIZER)) return current;
      return { ...current, metadata: { ...current.metadata, finalizers: finalizers.filter((f) => f !== CLEANUP_FINALIZER) } };
    });
    await seams.finalizeIfDone(context(type, undefined, name), stored, before);
    log.info({ crd: name }, 'custom resource definition finalized');
  };

  const establish = async (crd: Crd) => {
    const name = crd.metadata!.name!;
    const builtins = parts.registry.all().filter((t) => !kinds.kind(t.group, t.resource));
    const conflict = namesConflict(crd, [...known.values()], builtins);
    if (conflict) {
      await writeStatus(name, (c) => ({
        acceptedNames: c.status?.acceptedNames ?? { plural: '', kind: '' },
        storedVersions: c.status?.storedVersions ?? [],
        conditions: setCondition(setCondition(c.status?.conditions ?? [], { type: 'NamesAccepted', status: 'False', ...conflict }), {
          type: 'Established',
          status: 'False',
          reason: 'NotAccepted',
          message: 'not all names are accepted',
        }),
      }));
      return;
    }
    const kind = customKindOf(crd);
    const current = kinds.kind(kind.group, kind.resource);
    if (!current || current.uid !== kind.uid || !isDeepStrictEqual(servedSpecs.get(name), crd.spec)) {
      if (current && current.uid !== kind.uid) unserve(kind.group, kind.resource, current.uid);
      serve(kind);
      servedSpecs.set(name, structuredClone(crd.spec));
    }
    const storage = crd.spec.versions.find((v) => v.storage)?.name;
    await writeStatus(name, (c) => {
      let conditions = c.status?.conditions ?? [];
      conditions = setCondition(conditions, { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' });
      conditions = setCondition(conditions, { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' });
      const stored = c.status?.storedVersions ?? [];
      return {
        acceptedNames: c.spec.names,
        conditions,
        storedVersions: storage && !stored.includes(storage) ? [...stored, storage] : stored,
      };
    });
    log.debug({ crd: name, versions: [...kind.versions.keys()] }, 'custom resource served');
  };

  const reconcile = async (name: string) => {
    let crd: Crd;
    try {
      crd = (await parts.store.get(type, undefined, name)) as Crd;
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 404)) throw err;
      const gone = known.get(name);
      known.delete(name);
      if (gone) unserve(gone.spec.group, gone.spec.names.plural, gone.metadata?.uid);
      return;
    }
    known.set(name, crd);
    if (crd.metadata?.deletionTimestamp) {
      if (crd.metadata.finalizers?.includes(CLEANUP_FINALIZER)) await finalize(crd);
      return;
    }
    await establish(crd);
  };

  /** One list and watch of the CRDs; returns when the watch ends. */
  const listAndWatch = async (onListed: () => void) => {
    const list = await parts.store.list(type, {});
    for (const item of list.items) known.set(item.metadata!.name!, item as Crd);
    for (const name of known.keys()) if (!list.items.some((i) => i.metadata?.name === name)) enqueue(name);
    for (const item of list.items) enqueue(item.metadata!.name!);
    onListed();
    const stream = await parts.store.watch(type, { resourceVersion: list.metadata.resourceVersion });
    watch = stream;
    if (stopped) stream.close();
    for await (const e of stream) {
      if (e.type === 'ERROR' || e.type === 'BOOKMARK') continue;
      const name = e.object.metadata?.name;
      if (name) enqueue(name);
    }
  };

  let markSynced: () => void = () => undefined;
  const synced = new Promise<void>((resolve) => (markSynced = resolve));
  let listed = false;
  let drainedOnce: (() => void) | undefined;

  const watching = (async () => {
    while (!stopped) {
      try {
        await listAndWatch(() => {
          if (!listed) {
            drainedOnce = markSynced;
            wake?.(); // with nothing queued, the idle worker reports the sync itself
          }
          listed = true;
        });
      } catch (err) {
        if (!stopped) log.debug({ err }, 'CRD watch failed; listing again');
      }
      if (!stopped) await new Promise((r) => setTimeout(r, retryMs).unref());
    }
  })();

  const working = (async () => {
    while (!stopped) {
      const next = queue.values().next();
      if (next.done) {
        drainedOnce?.();
        drainedOnce = undefined;
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
        continue;
      }
      queue.delete(next.value);
      try {
        await reconcile(next.value);
      } catch (err) {
        if (stopped) break;
        log.debug({ err, crd: next.value }, 'reconciling a CRD failed; retrying');
        later(next.value, retryMs);
      }
    }
  })();

  return {
    synced,
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      watch?.close();
      wake?.();
      markSynced();
      await Promise.allSettled([watching, working]);
    },
  };
}
