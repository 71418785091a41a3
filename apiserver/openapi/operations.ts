// The operations of one served kind as OpenAPI describes them, in a neutral form that the v2 and
// v3 writers render: every verb the kind serves on its collection, object and status/scale
// paths, with the query parameters kubectl looks for (`fieldValidation`, `dryRun`,
// `fieldManager`, `force` on patch), upstream's operation ids and `x-kubernetes-action`s.

import { groupVersionPath, type ResourceType } from '../../api/resources.js';
import type { GroupVersionKind } from '../../api/schema/schema.js';

export interface Param {
  name: string;
  in: 'query' | 'path';
  type: 'string' | 'integer' | 'boolean';
  description: string;
  required?: boolean;
}

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface Operation {
  method: Method;
  action: 'get' | 'list' | 'watch' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection';
  operationId: string;
  description: string;
  query: Param[];
  /** Definition the request body holds (`$ref` target), if any. */
  body?: string;
  /** The body's content types where not plain JSON (PATCH). */
  consumes?: string[];
  /** Definition of the 200 answer. */
  response: string;
  gvk: GroupVersionKind;
}

export interface PathItem {
  path: string;
  params: Param[];
  operations: Operation[];
}

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const STATUS_DEF = `${META}.Status`;
export const DELETE_OPTIONS_DEF = `${META}.DeleteOptions`;
export const PATCH_DEF = `${META}.Patch`;
export const SCALE_DEF = 'io.k8s.api.autoscaling.v1.Scale';
const EVICTION_DEF = 'io.k8s.api.policy.v1.Eviction';
const BINDING_DEF = 'io.k8s.api.core.v1.Binding';

/** Subresources created by a POST of their own kind (kubectl drain evicts; the scheduler binds). */
const POSTED: Record<string, { def: string; gvk: GroupVersionKind; suffix: string }> = {
  eviction: { def: EVICTION_DEF, gvk: { group: 'policy', version: 'v1', kind: 'Eviction' }, suffix: 'Eviction' },
  binding: { def: BINDING_DEF, gvk: { group: '', version: 'v1', kind: 'Binding' }, suffix: 'Binding' },
};

/** The content types a PATCH takes (custom kinds: no strategic merge, as upstream). */
export function patchTypes(strategic: boolean): string[] {
  return ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', ...(strategic ? ['application/strategic-merge-patch+json'] : [])];
}

const q = (name: string, type: Param['type'], description: string): Param => ({ name, in: 'query', type, description });

const PRETTY = q('pretty', 'string', "If 'true', then the output is pretty printed.");
const DRY_RUN = q('dryRun', 'string', 'When present, indicates that modifications should not be persisted. The only valid value is All: every stage of the request runs, nothing is written.');
const FIELD_MANAGER = q('fieldManager', 'string', 'A name associated with the actor or entity that is making these changes, recorded in managedFields.');
const FIELD_VALIDATION = q(
  'fieldValidation',
  'string',
  'How the server treats unknown or duplicate fields in the object: Ignore (drop them silently), Warn (drop them and answer with a Warning header per field, the default) or Strict (refuse the request with every such field named).',
);
const FORCE = q('force', 'boolean', 'Force is going to "force" Apply requests: the request takes the fields other managers own. Must be unset for non-apply patches.');
const GRACE = q('gracePeriodSeconds', 'integer', 'The duration in seconds before the object should be deleted; zero means delete immediately.');
const PROPAGATION = q('propagationPolicy', 'string', "Whether and how garbage collection is performed: 'Orphan', 'Background' or 'Foreground'.");
const LIST_PARAMS: Param[] = [
  q('allowWatchBookmarks', 'boolean', 'Requests watch events with type "BOOKMARK".'),
  q('continue', 'string', 'The continue token of a previous list, to get the next chunk.'),
  q('fieldSelector', 'string', 'A selector to restrict the list of returned objects by their fields.'),
  q('labelSelector', 'string', 'A selector to restrict the list of returned objects by their labels.'),
  q('limit', 'integer', 'The maximum number of objects to return in one chunk.'),
  q('resourceVersion', 'string', 'Constrains which resource versions the request may be served from.'),
  q('resourceVersionMatch', 'string', 'How resourceVersion is applied to list calls: Exact or NotOlderThan.'),
  q('timeoutSeconds', 'integer', 'Timeout for the list/watch call.'),
  q('watch', 'boolean', 'Watch for changes to the described resources and return them as a stream of add, update and remove notifications.'),
];

/** `CoreV1`, `AppsV1`, `CoordinationV1`, `ExampleComV1`: the group-version part of an operation id. */
function opGroup(t: ResourceType): string {
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  const group = t.group === '' ? 'core' : t.group.replace(/\.k8s\.io$/, '');
  return `${group.split(/[.-]/).map(cap).join('')}${cap(t.version)}`;
}

/** The paths of one served kind. `kindDef`/`listDef` are its definition names. */
export function pathsOf(t: ResourceType, kindDef: string, listDef: string, strategic: boolean): PathItem[] {
  const gvk = { group: t.group, version: t.version, kind: t.kind };
  const base = groupVersionPath(t);
  const ns = t.namespaced ? 'Namespaced' : '';
  const id = (verb: string, suffix = '') => `${verb}${opGroup(t)}${ns}${t.kind}${suffix}`;
  const has = (verb: string) => t.verbs.includes(verb);
  const nsParam: Param[] = t.namespaced ? [{ name: 'namespace', in: 'path', type: 'string', required: true, description: 'object name and auth scope, such as for teams and projects' }] : [];
  const nameParam: Param = { name: 'name', in: 'path', type: 'string', required: true, description: `name of the ${t.kind}` };
  const collection = t.namespaced ? `${base}/namespaces/{namespace}/${t.resource}` : `${base}/${t.resource}`;
  const writes = [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION];
  const items: PathItem[] = [];

  const coll: Operation[] = [];
  if (has('list')) coll.push({ method: 'get', action: 'list', operationId: id('list'), description: `list or watch objects of kind ${t.kind}`, query: LIST_PARAMS, response: listDef, gvk });
  if (has('create')) coll.push({ method: 'post', action: 'post', operationId: id('create'), description: `create a ${t.kind}`, query: writes, body: kindDef, response: kindDef, gvk });
  if (has('deletecollection')) {
    coll.push({ method: 'delete', action: 'deletecollection', operationId: id('deleteCollection'), description: `delete collection of ${t.kind}`, query: [DRY_RUN, GRACE, PROPAGATION, ...LIST_PARAMS.filter((p) => p.name !== 'watch' && p.name !== 'allowWatchBookmarks')], body: DELETE_OPTIONS_DEF, response: STATUS_DEF, gvk });
  }
  if (coll.length > 0) items.push({ path: collection, params: [...nsParam, PRETTY], operations: coll });
  // Upstream also serves every namespace's objects at the group-version root.
  if (t.namespaced && has('list')) {
    items.push({ path: `${base}/${t.resource}`, params: [PRETTY], operations: [{ method: 'get', action: 'list', operationId: `list${opGroup(t)}${t.kind}ForAllNamespaces`, description: `list or watch objects of kind ${t.kind}`, query: LIST_PARAMS, response: listDef, gvk }] });
  }

  const obj: Operation[] = [];
  if (has('get')) obj.push({ method: 'get', action: 'get', operationId: id('read'), description: `read the specified ${t.kind}`, query: [], response: kindDef, gvk });
  if (has('update')) obj.push({ method: 'put', action: 'put', operationId: id('replace'), description: `replace the specified ${t.kind}`, query: writes, body: kindDef, response: kindDef, gvk });
  const consumes = patchTypes(strategic);
  if (has('patch')) obj.push({ method: 'patch', action: 'patch', operationId: id('patch'), description: `partially update the specified ${t.kind}`, query: [...writes, FORCE], body: PATCH_DEF, consumes, response: kindDef, gvk });
  if (has('delete')) obj.push({ method: 'delete', action: 'delete', operationId: id('delete'), description: `delete a ${t.kind}`, query: [DRY_RUN, GRACE, PROPAGATION], body: DELETE_OPTIONS_DEF, response: STATUS_DEF, gvk });
  if (obj.length > 0) items.push({ path: `${collection}/{name}`, params: [nameParam, ...nsParam, PRETTY], operations: obj });

  for (const [sub, def, suffix] of [['status', kindDef, 'Status'], ['scale', SCALE_DEF, 'Scale']] as const) {
    if (!t.subresources.includes(sub)) continue;
    const subGvk = sub === 'scale' ? { group: 'autoscaling', version: 'v1', kind: 'Scale' } : gvk;
    items.push({
      path: `${collection}/{name}/${sub}`,
      params: [nameParam, ...nsParam, PRETTY],
      operations: [
        { method: 'get', action: 'get', operationId: id('read', suffix), description: `read ${sub} of the specified ${t.kind}`, query: [], response: def, gvk: subGvk },
        { method: 'put', action: 'put', operationId: id('replace', suffix), description: `replace ${sub} of the specified ${t.kind}`, query: writes, body: def, response: def, gvk: subGvk },
        { method: 'patch', action: 'patch', operationId: id('patch', suffix), description: `partially update ${sub} of the specified ${t.kind}`, query: [...writes, FORCE], body: PATCH_DEF, consumes, response: def, gvk: subGvk },
      ],
    });
  }
  for (const sub of t.subresources) {
    const posted = POSTED[sub];
    if (!posted) continue;
    items.push({
      path: `${collection}/{name}/${sub}`,
      params: [nameParam, ...nsParam, PRETTY],
      operations: [{ method: 'post', action: 'post', operationId: id('create', posted.suffix), description: `create ${sub} of a ${t.kind}`, query: writes, body: posted.def, response: posted.def, gvk: posted.gvk }],
    });
  }
  return items;
}

/** Every definition the operations name (bodies and answers), for a document's schemas. */
export function definitionsNamed(items: PathItem[]): Set<string> {
  const out = new Set<string>();
  for (const item of items) {
    for (const op of item.operations) {
      out.add(op.response);
      if (op.body) out.add(op.body);
    }
  }
  return out;
}
