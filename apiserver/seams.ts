// The entry points other parts of skiff provide to the HTTP layer: selector parsing,
// defaulting and validation (api/), admission, Tables, delete semantics and subresource
// handlers (apiserver/admission, tables, deletion, subresources). The verb handlers call them
// only through a Seams value, so a test can swap one (say, a failing admission plugin)
// without touching the rest.

import type { Duplex } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { applyDefaults } from '../api/defaults.js';
import { validateObject } from '../api/validation.js';
import { FieldSelectorError, fieldsOf, parseFieldSelector, unsupportedFields } from '../api/fields.js';
import { parseLabelSelector, SelectorError } from '../api/labels.js';
import type { ResourceType } from '../api/resources.js';
import type { KubeObject, StatusCause } from '../api/types.js';
import type { AdmissionAttributes, RequestContext, ServerParts, SubresourceHandler } from './context.js';
import { runAdmission } from './admission/index.js';
import { deleteObject, finalizeIfDone } from './deletion.js';
import { errors } from './errors.js';
import { handleUpgrade, subresources } from './subresources/index.js';
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

/** The entry points as the rest of skiff provides them; tests may substitute any of them. */
export function defaultSeams(): Seams {
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
    validateObject,
    runAdmission,
    toTable,
    deleteObject,
    finalizeIfDone,
    subresources,
    handleUpgrade,
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
