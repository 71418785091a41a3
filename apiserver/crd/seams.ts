// Custom kinds through the same seams as built-in kinds: the verb handlers stay generic and
// ask the seams for defaulting, validation, Tables, deletion and subresources; for a custom
// kind the answers come from its CRD version (schema, printer columns, status and scale),
// for the CRD kind itself from ./definition.ts, and for everything else from the base seams.

import type { CustomResourceDefinition } from 'kubernetes-types/apiextensions/v1.js';
import type { ResourceType } from '../../api/resources.js';
import { fieldsOf, mutableMeta, type KubeObject } from '../../api/types.js';
import type { SubresourceHandler } from '../context.js';
import { FieldSelectorError, parseFieldSelector } from '../../api/fields.js';
import { ApiError, errors } from '../errors.js';
import type { ObjectFilter } from '../storage/store.js';
import type { SelectableFieldsOf } from './selectable-fields.js';
import type { Seams } from '../seams.js';
import type { CustomKind, CustomKinds } from './custom-kind.js';
import { CLEANUP_FINALIZER, CRD_GROUP, defaultDefinition, validateDefinition } from './definition.js';
import { applySchemaDefaults, pruneNonNullableNulls } from './schema/defaults.js';
import { unknownCustomFields } from './schema/prune.js';
import { validateCustomObject } from './schema/validate.js';
import { customSubresourceHandlers } from './subresources.js';
import { customTable } from './table.js';

export function isDefinitionType(type: Pick<ResourceType, 'group' | 'resource'>): boolean {
  return type.group === CRD_GROUP && type.resource === 'customresourcedefinitions';
}

/** `base` extended with the custom kinds in `kinds` (read at each call, so kinds added later are served). */
export function withCustomResources(base: Seams, kinds: CustomKinds): Seams {
  const handlers = new WeakMap<CustomKind, SubresourceHandler[]>();
  const handlersOf = (kind: CustomKind) => {
    let list = handlers.get(kind);
    if (!list) {
      list = customSubresourceHandlers(kinds, kind);
      handlers.set(kind, list);
    }
    return list;
  };
  return {
    ...base,
    selectorFilter(type, labelSelector, fieldSelector) {
      const custom = kinds.lookup(type);
      if (!custom || !fieldSelector) return base.selectorFilter(type, labelSelector, fieldSelector);
      const labels = base.selectorFilter(type, labelSelector, '');
      const fields = customFieldFilter(custom.version.selectable, fieldSelector);
      return { matches: (obj) => (labels?.matches(obj) ?? true) && fields.matches(obj) };
    },
    applyDefaults(type, obj) {
      const custom = kinds.lookup(type);
      if (custom) {
        // Pruning happens whatever fieldValidation says (Strict was refused before this).
        unknownCustomFields(custom.version.schema, fieldsOf(obj), { prune: true });
        pruneNonNullableNulls(custom.version.schema, obj);
        applySchemaDefaults(custom.version.schema, obj);
        return;
      }
      if (isDefinitionType(type)) defaultDefinition(obj as CustomResourceDefinition);
      base.applyDefaults(type, obj);
    },
    validateObject(type, obj, old) {
      const causes = base.validateObject(type, obj, old);
      const custom = kinds.lookup(type);
      if (custom?.kind.terminating && old === undefined) {
        throw new ApiError(405, 'MethodNotAllowed', `create not allowed while custom resource definition is terminating`);
      }
      if (custom) causes.push(...validateCustomObject(custom.version.schema, fieldsOf(obj)));
      else if (isDefinitionType(type)) causes.push(...validateDefinition(obj as CustomResourceDefinition, old as CustomResourceDefinition | undefined));
      return causes;
    },
    toTable(type, objects, opts) {
      const custom = kinds.lookup(type);
      if (custom) return customTable(custom.version.columns, objects, opts);
      if (!base.toTable) throw new Error('no Table printer');
      return base.toTable(type, objects, opts);
    },
    async deleteObject(ctx, opts) {
      // A CRD goes only after its objects: the cleanup finalizer holds it until the
      // controller has deleted them (upstream's CRD storage adds it on delete too).
      if (isDefinitionType(ctx.type) && !ctx.dryRun) await ensureCleanupFinalizer(ctx.store, ctx.type, ctx.name!);
      return base.deleteObject(ctx, opts);
    },
    get subresources() {
      return [...base.subresources, ...kinds.all().flatMap(handlersOf)];
    },
  };
}

/** A field selector over a custom kind's selectable fields; 400 for bad syntax or a field it cannot select. */
function customFieldFilter(selectable: SelectableFieldsOf, text: string): ObjectFilter {
  let selector;
  try {
    selector = parseFieldSelector(text);
  } catch (err) {
    if (err instanceof FieldSelectorError) throw errors.badRequest(`fieldSelector: ${err.message}`);
    throw err;
  }
  const unsupported = selector.requirements.map((r) => r.field).find((f) => !selectable.names.includes(f));
  if (unsupported !== undefined) throw errors.badRequest(`field label not supported: ${unsupported}`);
  return { matches: (obj) => selector.matches(selectable.valuesOf(obj)) };
}

async function ensureCleanupFinalizer(store: Parameters<Seams['deleteObject']>[0]['store'], type: ResourceType, name: string): Promise<void> {
  await store.guaranteedUpdate(type, undefined, name, (current: KubeObject) => {
    const finalizers = current.metadata?.finalizers ?? [];
    if (current.metadata?.deletionTimestamp || finalizers.includes(CLEANUP_FINALIZER)) return current;
    const next = structuredClone(current);
    mutableMeta(next).finalizers = [...finalizers, CLEANUP_FINALIZER];
    return next;
  });
}
