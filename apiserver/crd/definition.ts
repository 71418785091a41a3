// The CustomResourceDefinition object itself: its defaults and its validation, as
// apiextensions-apiserver applies them on create and update. A CRD that passes is one the
// controller can serve: names that make paths, exactly one storage version, a structural
// schema per version, subresources and printer columns that can be evaluated.

import type { CustomResourceDefinition, CustomResourceDefinitionVersion } from 'kubernetes-types/apiextensions/v1.js';
import { isDNS1035Label, isDNS1123Subdomain } from '../../api/names.js';
import type { StatusCause } from '../../api/types.js';
import { isPlainObject, type Schema } from './schema/schema.js';
import { structuralProblems } from './schema/structural.js';
import { selectableFieldProblems } from './selectable-fields.js';
import { parsePath } from '../../cli/resources/jsonpath.js';

type Cause = Required<Pick<StatusCause, 'reason' | 'field' | 'message'>>;

export const CRD_GROUP = 'apiextensions.k8s.io';
export const CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

const required = (field: string, detail?: string): Cause => ({ reason: 'FieldValueRequired', field, message: detail ? `Required value: ${detail}` : 'Required value' });
const invalid = (field: string, value: unknown, detail: string): Cause => ({ reason: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(value ?? null)}: ${detail}` });
const notSupported = (field: string, value: unknown, supported: string[]): Cause => ({
  reason: 'FieldValueNotSupported',
  field,
  message: `Unsupported value: ${JSON.stringify(value ?? null)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
});

/** Fills in what upstream defaults: singular and listKind from the kind, conversion None. */
export function defaultDefinition(crd: CustomResourceDefinition): void {
  const spec = crd.spec as CustomResourceDefinition['spec'] | undefined;
  if (!isPlainObject(spec)) return;
  const names = spec.names as CustomResourceDefinition['spec']['names'] | undefined;
  if (isPlainObject(names) && typeof names.kind === 'string') {
    names.singular ||= names.kind.toLowerCase();
    names.listKind ||= `${names.kind}List`;
  }
  spec.conversion ??= { strategy: 'None' };
  if (Array.isArray(spec.versions)) {
    for (const v of spec.versions) {
      for (const col of v.additionalPrinterColumns ?? []) col.priority ??= 0;
    }
  }
}

function dns1035(field: string, value: unknown, out: Cause[]): void {
  if (typeof value !== 'string' || value === '') {
    out.push(required(field));
    return;
  }
  for (const m of isDNS1035Label(value)) out.push(invalid(field, value, m));
}

function validateNames(names: unknown, path: string, out: Cause[]): void {
  if (!isPlainObject(names)) {
    out.push(required(path));
    return;
  }
  dns1035(`${path}.plural`, names.plural, out);
  if (names.singular !== undefined) dns1035(`${path}.singular`, names.singular, out);
  if (typeof names.kind !== 'string' || names.kind === '') out.push(required(`${path}.kind`));
  else if (isDNS1035Label(names.kind.toLowerCase()).length > 0) out.push(invalid(`${path}.kind`, names.kind, 'may have mixed case, but should otherwise match: [a-z]([-a-z0-9]*[a-z0-9])?'));
  if (names.listKind !== undefined && (typeof names.listKind !== 'string' || names.listKind === names.kind)) out.push(invalid(`${path}.listKind`, names.listKind, 'kind and listKind must be different'));
  if (names.shortNames !== undefined) {
    if (!Array.isArray(names.shortNames)) out.push(invalid(`${path}.shortNames`, names.shortNames, 'must be a list of strings'));
    else names.shortNames.forEach((s, i) => dns1035(`${path}.shortNames[${i}]`, s, out));
  }
  if (names.categories !== undefined && !Array.isArray(names.categories)) out.push(invalid(`${path}.categories`, names.categories, 'must be a list of strings'));
}

/** A JSONPath a printer column or the scale subresource can evaluate. */
function jsonPathProblem(expr: string): string | undefined {
  try {
    parsePath(expr.replace(/^\{|\}$/g, ''));
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

const COLUMN_TYPES = ['integer', 'number', 'string', 'boolean', 'date'];

function validateVersion(v: CustomResourceDefinitionVersion, path: string, out: Cause[]): void {
  dns1035(`${path}.name`, v.name, out);
  if (typeof v.served !== 'boolean') out.push(required(`${path}.served`));
  if (typeof v.storage !== 'boolean') out.push(required(`${path}.storage`));
  const schema = v.schema?.openAPIV3Schema as Schema | undefined;
  if (schema === undefined) out.push(required(`${path}.schema.openAPIV3Schema`, 'schemas are required'));
  else out.push(...structuralProblems(schema, `${path}.schema.openAPIV3Schema`));
  const scale = v.subresources?.scale;
  if (scale) {
    const sp = `${path}.subresources.scale`;
    if (typeof scale.specReplicasPath !== 'string' || !scale.specReplicasPath.startsWith('.spec.')) out.push(invalid(`${sp}.specReplicasPath`, scale.specReplicasPath, 'should be a json path under .spec'));
    if (typeof scale.statusReplicasPath !== 'string' || !scale.statusReplicasPath.startsWith('.status.')) out.push(invalid(`${sp}.statusReplicasPath`, scale.statusReplicasPath, 'should be a json path under .status'));
    const sel = scale.labelSelectorPath;
    if (sel !== undefined && (typeof sel !== 'string' || !(sel.startsWith('.spec.') || sel.startsWith('.status.')))) out.push(invalid(`${sp}.labelSelectorPath`, sel, 'should be a json path under either .spec or .status'));
  }
  if (v.selectableFields !== undefined) {
    if (!Array.isArray(v.selectableFields)) out.push(invalid(`${path}.selectableFields`, v.selectableFields, 'must be a list'));
    else out.push(...selectableFieldProblems(v.selectableFields, schema, `${path}.selectableFields`));
  }
  (v.additionalPrinterColumns ?? []).forEach((col, i) => {
    const cp = `${path}.additionalPrinterColumns[${i}]`;
    if (typeof col.name !== 'string' || col.name === '') out.push(required(`${cp}.name`));
    if (!COLUMN_TYPES.includes(col.type)) out.push(notSupported(`${cp}.type`, col.type, COLUMN_TYPES));
    if (typeof col.jsonPath !== 'string' || col.jsonPath === '') out.push(required(`${cp}.jsonPath`));
    else {
      const problem = jsonPathProblem(col.jsonPath);
      if (problem) out.push(invalid(`${cp}.jsonPath`, col.jsonPath, problem));
    }
  });
}

/** Every problem with a CRD (`old`: the stored one, for an update). */
export function validateDefinition(crd: CustomResourceDefinition, old?: CustomResourceDefinition): Cause[] {
  const out: Cause[] = [];
  const spec = crd.spec as unknown;
  if (!isPlainObject(spec)) return [required('spec')];
  const group = spec.group;
  if (typeof group !== 'string' || group === '') out.push(required('spec.group'));
  else {
    for (const m of isDNS1123Subdomain(group)) out.push(invalid('spec.group', group, m));
    if (!group.includes('.')) out.push(invalid('spec.group', group, 'should be a domain with at least one dot'));
  }
  validateNames(spec.names, 'spec.names', out);
  const names = spec.names as { plural?: unknown } | undefined;
  if (typeof names?.plural === 'string' && typeof group === 'string' && crd.metadata?.name !== `${names.plural}.${group}`) {
    out.push(invalid('metadata.name', crd.metadata?.name, 'must be spec.names.plural+"."+spec.group'));
  }
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') out.push(notSupported('spec.scope', spec.scope, ['Cluster', 'Namespaced']));
  const versions = spec.versions;
  if (!Array.isArray(versions) || versions.length === 0) out.push(required('spec.versions', 'must have exactly one version marked as storage version'));
  else {
    const seen = new Set<unknown>();
    versions.forEach((v: CustomResourceDefinitionVersion, i) => {
      if (!isPlainObject(v)) {
        out.push(invalid(`spec.versions[${i}]`, v, 'must be an object'));
        return;
      }
      if (seen.has(v.name)) out.push({ reason: 'FieldValueDuplicate', field: `spec.versions[${i}].name`, message: `Duplicate value: ${JSON.stringify(v.name)}` });
      seen.add(v.name);
      validateVersion(v, `spec.versions[${i}]`, out);
    });
    const storage = versions.filter((v: CustomResourceDefinitionVersion) => isPlainObject(v) && v.storage === true).length;
    if (storage !== 1) out.push(invalid('spec.versions', storage, 'must have exactly one version marked as storage version'));
  }
  const conversion = spec.conversion as { strategy?: unknown } | undefined;
  if (conversion && conversion.strategy !== 'None') out.push(notSupported('spec.conversion.strategy', conversion.strategy, ['None']));
  if (old) {
    if (old.spec.group !== spec.group) out.push(invalid('spec.group', spec.group, 'field is immutable'));
    if (old.spec.scope !== spec.scope) out.push(invalid('spec.scope', spec.scope, 'field is immutable'));
    const stored = old.status?.storedVersions ?? [];
    if (Array.isArray(versions)) {
      stored.forEach((sv, i) => {
        if (!versions.some((v: CustomResourceDefinitionVersion) => v?.name === sv)) out.push(invalid(`status.storedVersions[${i}]`, sv, 'must appear in spec.versions'));
      });
    }
  }
  return out;
}
