// ObjectMeta: the name (or generateName) in the syntax each kind requires, the namespace a
// namespaced kind needs, labels, annotations, owner references and finalizers; on update,
// the identity fields that may not change.

import type { ResourceType } from '../resources.js';
import { checkAnnotations, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, TOTAL_ANNOTATION_SIZE_LIMIT } from '../names.js';
import type { KubeObject, ObjectMeta } from '../types.js';
import { immutable, labels } from './common.js';
import { type FieldError, Path, fieldErrors, invalidEach } from './field.js';

export type NameCheck = (name: string) => string[];

/** Name syntax per kind, as upstream's validators choose it; the rest use DNS-1123 subdomains. */
const NAME_CHECKS: Record<string, NameCheck> = {
  '/Namespace': isDNS1123Label,
  '/Service': isDNS1035Label,
};

export function nameCheckFor(type: ResourceType): NameCheck {
  return NAME_CHECKS[`${type.group}/${type.kind}`] ?? isDNS1123Subdomain;
}

/** A generateName prefix may end in `-`: it is checked as if a suffix followed. */
function maskTrailingDash(prefix: string): string {
  return prefix.length > 1 && prefix.endsWith('-') ? `${prefix.slice(0, -1)}a` : prefix;
}

function annotations(map: Record<string, string> | undefined, path: Path): FieldError[] {
  if (!map) return [];
  return checkAnnotations(map).map((p) => (p.tooLong ? fieldErrors.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT) : fieldErrors.invalid(path, p.key, p.message)));
}

function ownerReferences(meta: ObjectMeta, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  const refs = meta.ownerReferences ?? [];
  refs.forEach((r, i) => {
    const rp = path.index(i);
    if (!r.apiVersion) errs.push(fieldErrors.invalid(rp.child('apiVersion'), r.apiVersion ?? '', 'version must not be empty'));
    if (!r.kind) errs.push(fieldErrors.invalid(rp.child('kind'), r.kind ?? '', 'kind must not be empty'));
    if (!r.name) errs.push(fieldErrors.invalid(rp.child('name'), r.name ?? '', 'name must not be empty'));
    if (!r.uid) errs.push(fieldErrors.invalid(rp.child('uid'), r.uid ?? '', 'uid must not be empty'));
  });
  const controllers = refs.filter((r) => r.controller === true);
  if (controllers.length > 1) {
    const names = controllers.map((r) => `${r.kind}/${r.name}`).join(', ');
    errs.push(fieldErrors.invalid(path, refs, `Only one reference can have Controller set to true. Found "true" in references for ${names}`));
  }
  return errs;
}

function finalizers(list: string[] | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (list ?? []).forEach((f, i) => {
    errs.push(...invalidEach(path.index(i), f, isQualifiedName(f)));
    if (seen.has(f)) errs.push(fieldErrors.duplicate(path.index(i), f));
    seen.add(f);
  });
  return errs;
}

export function validateObjectMeta(type: ResourceType, obj: KubeObject): FieldError[] {
  const path = Path.root('metadata');
  const meta = obj.metadata;
  if (!meta) return [fieldErrors.required(path)];
  const errs: FieldError[] = [];
  const check = nameCheckFor(type);
  if (meta.name) {
    errs.push(...invalidEach(path.child('name'), meta.name, check(meta.name)));
  } else if (meta.generateName) {
    errs.push(...invalidEach(path.child('generateName'), meta.generateName, check(maskTrailingDash(meta.generateName))));
  } else {
    errs.push(fieldErrors.required(path.child('name'), 'name or generateName is required'));
  }
  if (type.namespaced) {
    if (!meta.namespace) errs.push(fieldErrors.required(path.child('namespace')));
    else errs.push(...invalidEach(path.child('namespace'), meta.namespace, isDNS1123Label(meta.namespace)));
  } else if (meta.namespace) {
    errs.push(fieldErrors.forbidden(path.child('namespace'), 'not allowed on this type'));
  }
  errs.push(...labels(meta.labels, path.child('labels')));
  errs.push(...annotations(meta.annotations, path.child('annotations')));
  errs.push(...ownerReferences(meta, path.child('ownerReferences')));
  errs.push(...finalizers(meta.finalizers, path.child('finalizers')));
  return errs;
}

/** Identity may not change: name, namespace, uid, creationTimestamp. */
export function validateObjectMetaUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const path = Path.root('metadata');
  const next = obj.metadata ?? {};
  const prev = old.metadata ?? {};
  const errs: FieldError[] = [];
  errs.push(...immutable(next.name, prev.name, path.child('name')));
  errs.push(...immutable(next.namespace || undefined, prev.namespace || undefined, path.child('namespace')));
  if (prev.uid !== undefined) errs.push(...immutable(next.uid, prev.uid, path.child('uid')));
  if (prev.creationTimestamp !== undefined) errs.push(...immutable(next.creationTimestamp, prev.creationTimestamp, path.child('creationTimestamp')));
  return errs;
}
