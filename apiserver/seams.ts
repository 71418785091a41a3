// The entry points other parts of skiff provide to the HTTP layer: selector parsing,
// defaulting and validation (api/), admission, Tables, delete semantics and subresource
// handlers (apiserver/admission, tables, deletion, subresources). Each is called through one
// function here, so the verb handlers read the same whichever module provides it.
//
// Some of those modules are written alongside this one; `loadSeams()` picks up each that is
// present and otherwise uses the plain behaviour documented beside each fallback.

import type { Duplex } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { applyDefaults } from '../api/defaults.js';
import { FieldSelectorError, fieldsOf, parseFieldSelector, unsupportedFields } from '../api/fields.js';
import { parseLabelSelector, SelectorError } from '../api/labels.js';
import type { ResourceType } from '../api/resources.js';
import type { KubeObject, StatusCause } from '../api/types.js';
import type { AdmissionAttributes, RequestContext, ServerParts, SubresourceHandler } from './context.js';
import { runAdmission } from './admission/index.js';
import { deleteObject, finalizeIfDone } from './deletion.js';
import { errors } from './errors.js';
import { toTable } from './tables/index.js';
import type { ObjectFilter, Preconditions } from './storage/store.js';

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: Preconditions;
  dryRun?: string[];
  orphanDependents?: boolean;
}

export type IncludeObject = 'None' | 'Object' | 'Metadata';

export interface Seams {
  /** Builds the store filter for `labelSelector`/`fieldSelector`; 400 ApiError on bad syntax or unsupported fields. */
  selectorFilter(type: ResourceType, labelSelector: string, fieldSelector: string): ObjectFilter | undefined;
  applyDefaults(type: ResourceType, obj: KubeObject): void;
  validateObject(type: ResourceType, obj: KubeObject, old?: KubeObject): StatusCause[];
  runAdmission(phase: 'admit' | 'validate', attrs: AdmissionAttributes, parts: ServerParts): Promise<void>;
  /** A meta.k8s.io/v1 Table; when absent the caller answers plain JSON (kubectl then prints its own columns). */
  toTable?(type: ResourceType, objects: KubeObject[], opts: { includeObject: IncludeObject; listMeta?: { resourceVersion?: string; continue?: string } }): KubeObject;
  deleteObject(ctx: RequestContext, opts: DeleteOptions): Promise<{ obj: KubeObject; deleted: boolean }>;
  /** After an update of an object being deleted: removes it when nothing is left to wait for; returns its last state then. */
  finalizeIfDone(ctx: RequestContext, obj: KubeObject, old?: KubeObject): Promise<KubeObject | undefined>;
  subresources: SubresourceHandler[];
  handleUpgrade?(ctx: RequestContext, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
}

async function optional<T>(specifier: string): Promise<T | undefined> {
  try {
    return (await import(specifier)) as T;
  } catch (err) {
    const code = (err as { code?: string }).code;
    const message = (err as Error).message ?? '';
    // Only "module not there yet" is expected; a module that fails to load for another reason is a bug to surface.
    if (code === 'ERR_MODULE_NOT_FOUND' || /Cannot find module|Failed to load url|does not exist/.test(message)) return undefined;
    throw err;
  }
}

/** Loads every provided module once; call at server start. */
export async function loadSeams(): Promise<Seams> {
  const validation = await optional<{ validateObject: Seams['validateObject'] }>('../api/validation.js');
  const subresources = await optional<{ subresources?: SubresourceHandler[]; default?: SubresourceHandler[] }>('./subresources/index.js');
  const upgrade = await optional<{ handleUpgrade: NonNullable<Seams['handleUpgrade']> }>('./subresources/upgrade.js');

  return {
    selectorFilter(type, labelSelector, fieldSelector) {
      if (!labelSelector && !fieldSelector) return undefined;
      const matchers: Array<(obj: KubeObject) => boolean> = [];
      if (labelSelector) {
        const sel = parseOrBadRequest(() => parseLabelSelector(labelSelector), 'labelSelector');
        matchers.push((obj) => sel.matches(obj.metadata?.labels ?? {}));
      }
      if (fieldSelector) {
        const sel = parseOrBadRequest(() => parseFieldSelector(fieldSelector), 'fieldSelector');
        const unsupported = unsupportedFields(type, sel);
        if (unsupported.length > 0) throw errors.badRequest(`field label not supported: ${unsupported[0]}`);
        matchers.push((obj) => sel.matches(fieldsOf(type, obj)));
      }
      return { matches: (obj) => matchers.every((m) => m(obj)) };
    },
    applyDefaults,
    // Until api/validation.ts lands every object passes; defaulting and admission still run.
    validateObject: validation?.validateObject ?? (() => []),
    runAdmission,
    toTable,
    deleteObject,
    finalizeIfDone,
    subresources: subresources?.subresources ?? subresources?.default ?? [],
    handleUpgrade: upgrade?.handleUpgrade,
  };
}

function parseOrBadRequest<T>(parse: () => T, param: string): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof SelectorError || err instanceof FieldSelectorError) throw errors.badRequest(`${param}: ${err.message}`);
    throw err;
  }
}
