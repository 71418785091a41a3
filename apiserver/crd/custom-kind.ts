// What serving one CRD means, computed once from the CRD: a ResourceType per served version
// (for the registry, paths and storage), and per version its schema, printer columns and
// subresources. All versions share one storage location; objects are stored in the storage
// version and shown in the version asked for (conversion strategy None: only apiVersion
// changes).

import type { CustomResourceColumnDefinition, CustomResourceDefinition, CustomResourceSubresourceScale } from 'kubernetes-types/apiextensions/v1.js';
import type { ResourceType } from '../../api/resources.js';
import { hasDefaults } from './schema/defaults.js';
import type { Schema } from './schema/schema.js';
import { selectableFieldsOf, type SelectableFieldsOf } from './selectable-fields.js';

export interface CustomVersion {
  type: ResourceType;
  schema: Schema;
  /** The schema declares defaults somewhere (objects read from etcd are defaulted then). */
  defaults: boolean;
  columns: CustomResourceColumnDefinition[];
  status: boolean;
  scale?: CustomResourceSubresourceScale;
  /** What field selectors may name (metadata.name/namespace and the version's selectableFields). */
  selectable: SelectableFieldsOf;
}

export interface CustomKind {
  /** The CRD's name: `<plural>.<group>`. */
  name: string;
  uid: string;
  group: string;
  resource: string;
  kind: string;
  /** `group/version` objects are stored in. */
  storageApiVersion: string;
  /** The storage version's ResourceType (served or not): what cleanup lists and deletes through. */
  storageType: ResourceType;
  /** Served versions by name, in the CRD's order. */
  versions: Map<string, CustomVersion>;
  /** The CRD is being deleted: its objects are going and no new ones may be made. */
  terminating?: boolean;
}

const CUSTOM_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** The kind a CRD defines, with only its served versions. */
export function customKindOf(crd: CustomResourceDefinition): CustomKind {
  const { group, names, scope } = crd.spec;
  const typeOf = (v: CustomResourceDefinition['spec']['versions'][number]): ResourceType => ({
    group,
    version: v.name,
    kind: names.kind,
    resource: names.plural,
    singular: names.singular || names.kind.toLowerCase(),
    namespaced: scope === 'Namespaced',
    shortNames: names.shortNames ?? [],
    subresources: [...(v.subresources?.status ? ['status'] : []), ...(v.subresources?.scale ? ['scale'] : [])],
    categories: names.categories ?? [],
    verbs: CUSTOM_VERBS,
  });
  const versions = new Map<string, CustomVersion>();
  const storage = crd.spec.versions.find((v) => v.storage) ?? crd.spec.versions[0];
  for (const v of crd.spec.versions) {
    if (!v.served) continue;
    const schema = (v.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }) as Schema;
    versions.set(v.name, {
      type: typeOf(v),
      schema,
      defaults: hasDefaults(schema),
      columns: v.additionalPrinterColumns ?? [],
      status: v.subresources?.status !== undefined,
      scale: v.subresources?.scale,
      selectable: selectableFieldsOf(v.selectableFields ?? [], scope === 'Namespaced'),
    });
  }
  return {
    name: crd.metadata?.name ?? '',
    uid: crd.metadata?.uid ?? '',
    group,
    resource: names.plural,
    kind: names.kind,
    storageApiVersion: `${group}/${storage?.name ?? ''}`,
    storageType: typeOf(storage ?? { name: '', served: false, storage: true }),
    versions,
  };
}

/** The served custom kinds, looked up by the ResourceType a request resolved to. */
export class CustomKinds {
  private readonly kinds = new Map<string, CustomKind>();

  set(kind: CustomKind): void {
    this.kinds.set(`${kind.group}/${kind.resource}`, kind);
  }

  delete(group: string, resource: string): void {
    this.kinds.delete(`${group}/${resource}`);
  }

  kind(group: string, resource: string): CustomKind | undefined {
    return this.kinds.get(`${group}/${resource}`);
  }

  /** The custom kind and version `type` is, or undefined for built-in kinds. */
  lookup(type: Pick<ResourceType, 'group' | 'version' | 'resource'>): { kind: CustomKind; version: CustomVersion } | undefined {
    const kind = this.kinds.get(`${type.group}/${type.resource}`);
    const version = kind?.versions.get(type.version);
    return kind && version ? { kind, version } : undefined;
  }

  all(): CustomKind[] {
    return [...this.kinds.values()];
  }
}
